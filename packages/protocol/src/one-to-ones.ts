import { z } from "zod";
import { text } from "./text.ts";

const Day = z.iso.date({ message: "use a date like 2026-11-23" });

export const CreateOneToOneRequest = z.object({
  heldOn: Day,
  durationMinutes: z.number().int().min(5).max(240),
  focusCompetency: text().min(1).max(60).optional(),
  keyPoints: z.array(text().trim().min(1).max(300)).min(1, { message: "add at least one key point" }).max(5, { message: "keep it to five key points" }),
  agreedActions: z.array(z.object({ text: text().trim().min(1).max(300), assignmentId: z.uuid().optional() })).max(10).default([]),
});
export type CreateOneToOneRequest = z.infer<typeof CreateOneToOneRequest>;

export const OneToOneView = z.object({
  id: z.string(),
  heldOn: z.string(),
  durationMinutes: z.number().int(),
  focusCompetency: z.string().nullable(),
  keyPoints: z.array(z.string()),
  agreedActions: z.array(z.object({ text: z.string(), assignment: z.object({ id: z.string(), status: z.string() }).nullable() })),
  manager: z.string(),
});
export type OneToOneView = z.infer<typeof OneToOneView>;

export const CreateObservationRequest = z.object({
  competency: text().min(1).max(60),
  level: z.number().int().min(1).max(4),
  note: text().trim().min(1).max(1_000),
  observedOn: Day,
});
export type CreateObservationRequest = z.infer<typeof CreateObservationRequest>;

export const ObservationView = z.object({
  id: z.string(),
  competency: z.string(),
  level: z.number().int(),
  note: z.string(),
  observedOn: z.string(),
  observer: z.string(),
});
export type ObservationView = z.infer<typeof ObservationView>;
