import type { TeamSummary } from "@spar/protocol";

export interface TeamDirectory {
  /** Ids of the managers of every team the person belongs to. */
  managersOf(userId: string): Promise<string[]>;
  listTeams(filter?: { managedBy?: string }): Promise<TeamSummary[]>;
}
