export interface AssignmentTargetRecord {
  learnerId: string;
  learnerName: string;
  status: "open" | "completed" | "cancelled";
  completedAt: Date | null;
}

export interface AssignmentRecord {
  id: string;
  scenarioId: string;
  createdByName: string;
  teamId: string | null;
  dueAt: Date | null;
  note: string | null;
  createdAt: Date;
  targets: AssignmentTargetRecord[];
}

export interface AssignmentStore {
  create(assignment: { scenarioId: string; createdById: string; teamId: string | null; dueAt: Date | null; note: string | null; learnerIds: string[] }): Promise<AssignmentRecord>;
  forLearner(learnerId: string): Promise<AssignmentRecord[]>;
  forLearners(learnerIds: readonly string[]): Promise<AssignmentRecord[]>;
  /** Marks the learner's open assignments on this scenario done by this session. */
  completeFor(learnerId: string, scenarioId: string, sessionId: string, at: Date): Promise<number>;
}

/** A new assignment may not start out overdue: its due time must still be ahead. */
export const dueTimeHasPassed = (dueAt: Date, now: Date) => dueAt.getTime() <= now.getTime();

export const isOverdue = (dueAt: Date | null, status: string, now: Date) => status === "open" && dueAt !== null && dueAt.getTime() < now.getTime();
