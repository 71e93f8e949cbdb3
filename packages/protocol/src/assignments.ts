import { z } from "zod";
import { text } from "./text.ts";

export const AssignmentStatus = z.enum(["open", "completed", "cancelled"]);

export const CreateAssignmentRequest = z
  .object({
    scenarioId: text().min(1).max(100),
    /** Either people (learners in teams you manage) or a whole team. */
    learnerIds: z.array(z.uuid()).min(1).max(200).optional(),
    teamId: z.uuid().optional(),
    dueAt: z.iso.datetime({ offset: true }).optional(),
    note: text().trim().max(500).optional(),
  })
  .refine((request) => (request.learnerIds === undefined) !== (request.teamId === undefined), {
    message: "Give either learnerIds or teamId.",
    path: ["learnerIds"],
  });
export type CreateAssignmentRequest = z.infer<typeof CreateAssignmentRequest>;

export const MyAssignment = z.object({
  id: z.string(),
  scenario: z.object({ id: z.string(), title: z.string() }),
  assignedBy: z.string(),
  dueAt: z.string().nullable(),
  note: z.string().nullable(),
  status: AssignmentStatus,
  overdue: z.boolean(),
  completedAt: z.string().nullable(),
});
export type MyAssignment = z.infer<typeof MyAssignment>;

export const TeamAssignment = z.object({
  id: z.string(),
  scenario: z.object({ id: z.string(), title: z.string() }),
  dueAt: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  people: z.array(z.object({ id: z.string(), name: z.string(), status: AssignmentStatus, overdue: z.boolean(), completedAt: z.string().nullable() })),
});
export type TeamAssignment = z.infer<typeof TeamAssignment>;
