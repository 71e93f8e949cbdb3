import type { AccountStatus, PeopleQuery, Role, TeamDetail } from "@spar/protocol";

export interface PersonRecord {
  id: string;
  name: string;
  email: string;
  role: Role;
  status: AccountStatus;
  team: { id: string; name: string } | null;
  manages: { id: string; name: string }[];
  isDemo: boolean;
  createdAt: Date;
}

/** Who made a change: written to the audit log in the same transaction as the change. */
export interface Actor {
  id: string | null;
  /** How the change arrived when it was not by hand in the app: `scim`, `csv`, `oidc`, `cli`. */
  via?: string;
}

export interface NewPerson {
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  externalId?: string | null;
}

export interface PersonChange {
  name?: string;
  email?: string;
  role?: Role;
  /** null leaves every team as a member. */
  teamId?: string | null;
  active?: boolean;
  externalId?: string | null;
}

export type PersonWriteResult =
  | { ok: true; person: PersonRecord; changed: string[] }
  | { ok: false; reason: "not-found" | "email-taken" | "team-not-found" | "last-admin" | "erased" | "external-id-taken" };

export interface TeamChange {
  name?: string;
  managerIds?: string[];
  externalId?: string | null;
  /** Replaces the team's members (not its managers); SCIM Groups use it. */
  memberIds?: string[];
}

export type TeamWriteResult =
  | { ok: true; team: TeamDetail }
  | { ok: false; reason: "not-found" | "name-taken" | "person-not-found" | "not-a-manager" | "external-id-taken" };

/** People and teams as the L&D admin manages them; every write also appends its audit entry. */
export interface PeopleStore {
  list(query: PeopleQuery): Promise<{ people: PersonRecord[]; nextCursor: string | null; total: number }>;
  get(id: string): Promise<PersonRecord | null>;
  findByEmail(email: string): Promise<PersonRecord | null>;
  create(person: NewPerson, actor: Actor): Promise<PersonWriteResult>;
  /**
   * Applies the change in one transaction. Demoting or deactivating the last active L&D admin is
   * refused inside that transaction, under a lock on the admins' rows, so two admins demoting
   * each other at once cannot leave the organisation without one.
   */
  update(id: string, change: PersonChange, actor: Actor): Promise<PersonWriteResult>;
  listTeams(): Promise<TeamDetail[]>;
  getTeam(id: string): Promise<TeamDetail | null>;
  createTeam(team: { name: string; managerIds: string[]; externalId?: string | null }, actor: Actor): Promise<TeamWriteResult>;
  updateTeam(id: string, change: TeamChange, actor: Actor): Promise<TeamWriteResult>;
  deleteTeam(id: string, actor: Actor): Promise<{ ok: boolean }>;
}
