import type { Actor } from "./people-store.ts";

/**
 * People and teams as an organisation's identity provider sees them over SCIM: everyone except
 * the demo organisation, people whose data was erased and people the directory has deleted
 * (deprovisioned). Writes of names, e-mails, activity and team members go through the
 * PeopleStore, so its rules and audit entries hold; this port adds only what provisioning needs
 * beyond it: filtered, counted pages, and deprovisioning.
 */
export interface ProvisioningDirectory {
  listPeople(filter: DirectoryFilter<PersonField>, page: DirectoryPage): Promise<{ people: ProvisionedPerson[]; total: number }>;
  getPerson(id: string): Promise<ProvisionedPerson | null>;
  /** Ids among `ids` that are not provisioned people (unknown, erased, deprovisioned or demo). */
  missingPeople(ids: readonly string[]): Promise<string[]>;
  /**
   * Marks a person deleted by the directory, in one conditional statement with its audit entry:
   * of two deletions racing, one finds the person and the other does not. False when the person
   * was not provisioned (already deprovisioned, erased, demo or unknown).
   */
  deprovision(id: string, actor: Actor): Promise<boolean>;
  /**
   * Brings back a person the directory deleted earlier and now provisions again under the same
   * e-mail, with their practice history; returns their id, or null when there is none to restore.
   */
  restore(email: string, actor: Actor): Promise<string | null>;
  listTeams(filter: DirectoryFilter<TeamField>, page: DirectoryPage): Promise<{ teams: ProvisionedTeam[]; total: number }>;
  getTeam(id: string): Promise<ProvisionedTeam | null>;
}

export interface ProvisionedPerson {
  id: string;
  name: string;
  email: string;
  externalId: string | null;
  active: boolean;
  team: { id: string; name: string } | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProvisionedTeam {
  id: string;
  name: string;
  externalId: string | null;
  /** The people who practise in the team (not its managers). */
  members: { id: string; name: string }[];
  createdAt: Date;
  updatedAt: Date;
}

export type PersonField = "id" | "email" | "name" | "externalId" | "active" | "createdAt" | "updatedAt";
export type TeamField = "id" | "name" | "externalId" | "createdAt" | "updatedAt";

export type ComparisonOperator = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le" | "pr" | "np";

export interface Comparison<Field extends string> {
  field: Field;
  operator: ComparisonOperator;
  /** Absent for `pr` (present) and `np` (not present). */
  value?: string | boolean | Date;
}

/** Any of the groups matches when all comparisons in it do; no groups matches everyone. */
export type DirectoryFilter<Field extends string> = Comparison<Field>[][];

/** Zero-based offset and page size. */
export interface DirectoryPage {
  offset: number;
  limit: number;
}
