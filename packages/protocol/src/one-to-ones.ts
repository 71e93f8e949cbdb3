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
  recordedAt: z.string().describe("ISO 8601 time the record was saved."),
});
export type OneToOneView = z.infer<typeof OneToOneView>;

/**
 * When a one-to-one was over, as far as Spar can tell: when its record was saved, or the end of
 * the day it was held if it was written up later. Practice after this came after the talk.
 */
export function oneToOneOver(oneToOne: Pick<OneToOneView, "heldOn" | "recordedAt">): Date {
  const endOfDay = new Date(`${oneToOne.heldOn}T00:00:00Z`).getTime() + 86_400_000;
  return new Date(Math.min(new Date(oneToOne.recordedAt).getTime(), endOfDay));
}

/** The sessions started after the one-to-one, the ones its agreed actions could have led to. */
export function sessionsSince<T extends { startedAt: string }>(oneToOne: Pick<OneToOneView, "heldOn" | "recordedAt">, sessions: readonly T[]): T[] {
  const over = oneToOneOver(oneToOne).getTime();
  return sessions.filter((session) => new Date(session.startedAt).getTime() > over);
}

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
