// What importing checked rows would do to the people and teams Spar holds now: every rule that
// needs the database's state (erased people, who is a manager, which team a manager's people join,
// the last L&D admin) and the exact writes that make the file true. Pure: the store reads the
// snapshot and writes the plan inside one transaction.
import type { ImportProblem, ImportReport, Role } from "@spar/protocol";
import { byLine, type ImportRow } from "./people-import.ts";

export interface ExistingPerson {
  id: string;
  email: string;
  name: string;
  role: Role;
  deactivated: boolean;
  erased: boolean;
  /** Deleted by the organisation's directory over SCIM. */
  deprovisioned: boolean;
  /** The teams the person has a row in: as a member (practises there) or as a manager. */
  memberships: { teamId: string; role: "member" | "manager" }[];
}

/** What the store reads, in the import's transaction, for the planner. */
export interface ImportSnapshot {
  /** Everyone whose e-mail the file names, as a person or as a manager. */
  people: ExistingPerson[];
  /** Every team. */
  teams: { id: string; name: string }[];
  /** L&D admins who are neither deactivated nor erased, in the whole organisation. */
  activeAdmins: number;
}

interface Change<T> {
  from: T;
  to: T;
}

/** What changes for one existing person; also the details of their `person.updated` audit entry. */
export interface PersonChanges {
  name?: Change<string>;
  role?: Change<Role>;
  team?: Change<string | null>;
  manages?: { added: string[] };
}

/** The writes that make the file true. People are named by e-mail and teams by name: new ones have no id yet. */
export interface ImportPlan {
  newTeams: { name: string; managers: string[] }[];
  newPeople: { email: string; name: string; role: Role; team: string | null }[];
  changedPeople: { id: string; email: string; name: string; role: Role; changes: PersonChanges }[];
  /** Managers who stop being managers (their role changed) and so stop managing every team. */
  managingEnds: string[];
  /** The one team each of these people practises in: a row there, and no member row elsewhere. */
  memberships: { email: string; team: string }[];
  /** Managers added to teams. */
  managerships: { email: string; team: string }[];
  report: Pick<ImportReport, "created" | "changed" | "unchanged" | "teamsCreated">;
}

export type ImportDecision = { ok: true; plan: ImportPlan } | { ok: false; problems: ImportProblem[] };

/** A team a row names: an existing one (matched regardless of case) or one to create. */
interface TeamRef {
  name: string;
  id: string | null;
}

function teamResolver(teams: ImportSnapshot["teams"]) {
  const exact = new Map(teams.map((team) => [team.name, team]));
  const folded = new Map<string, { id: string; name: string }>();
  for (const team of teams) if (!folded.has(team.name.toLowerCase())) folded.set(team.name.toLowerCase(), team);
  const added = new Map<string, TeamRef>();
  return (name: string): TeamRef => {
    const existing = exact.get(name) ?? folded.get(name.toLowerCase());
    if (existing) return { name: existing.name, id: existing.id };
    // The first spelling in the file names a new team; "sales" on a later row is the same team.
    const key = name.toLowerCase();
    const known = added.get(key);
    if (known) return known;
    const created = { name, id: null };
    added.set(key, created);
    return created;
  };
}

/** "<Manager name>'s team", cut to the 80 characters a team name may have. */
export function managerTeamName(managerName: string): string {
  const suffix = "'s team";
  return `${managerName.slice(0, 80 - suffix.length).trimEnd()}${suffix}`;
}

/**
 * `badRowEmails` are people on rows that already failed the file's own checks: while those rows
 * are fixed, naming such a person as a manager is not reported a second time.
 */
export function planImport(rows: ImportRow[], snapshot: ImportSnapshot, badRowEmails: readonly string[] = []): ImportDecision {
  const existingByEmail = new Map(snapshot.people.map((person) => [person.email, person]));
  const rowByEmail = new Map(rows.map((row) => [row.email, row]));
  const teamNames = new Map(snapshot.teams.map((team) => [team.id, team.name]));
  const team = teamResolver(snapshot.teams);
  const faults = new Map<number, string[]>();
  const fault = (row: ImportRow, message: string) => faults.set(row.line, [...(faults.get(row.line) ?? []), message]);

  const finalRole = (email: string) => rowByEmail.get(email)?.role ?? existingByEmail.get(email)?.role;
  const finalName = (email: string) => rowByEmail.get(email)?.name ?? existingByEmail.get(email)?.name ?? email;

  for (const row of rows) {
    const existing = existingByEmail.get(row.email);
    if (existing?.erased) fault(row, `${row.email} belonged to a person whose data was erased; use another address`);
    else if (existing?.deprovisioned) fault(row, `${row.email} was removed by the organisation's directory (SCIM); add them back there`);
  }

  // Who may be named in manager_email: a manager, in the file or already in Spar.
  const onBadRow = new Set(badRowEmails);
  const managerProblem = (email: string): string | null => {
    const inFile = rowByEmail.get(email);
    if (!inFile && onBadRow.has(email)) return null;
    const existing = existingByEmail.get(email);
    if (existing?.erased || existing?.deprovisioned) return `manager ${email} is no longer in Spar`;
    if (existing?.deactivated) return `manager ${email} is deactivated; reactivate them or name another manager`;
    if (inFile) return inFile.role === "manager" ? null : `manager ${email} is not a manager: line ${inFile.line} gives them the role ${inFile.role}`;
    if (!existing) return `manager ${email} is neither in the file nor in Spar`;
    return existing.role === "manager" ? null : `manager ${email} is not a manager (their role in Spar is ${existing.role}); add a row for them with the role manager`;
  };
  const validManager = new Map<string, boolean>();
  for (const row of rows) {
    if (!row.managerEmail) continue;
    const problem = managerProblem(row.managerEmail);
    if (problem) fault(row, problem);
    validManager.set(row.managerEmail, problem === null);
  }

  // The teams each manager will manage: those they manage now (if they stay a manager) and those
  // rows of the file put them in charge of.
  const managed = new Map<string, Map<string, TeamRef>>();
  const managedBy = (email: string) => {
    let teams = managed.get(email);
    if (!teams) {
      teams = new Map();
      const existing = existingByEmail.get(email);
      if (existing && finalRole(email) === "manager") {
        for (const membership of existing.memberships) {
          if (membership.role === "manager") {
            const ref = team(teamNames.get(membership.teamId) ?? "");
            teams.set(ref.name, ref);
          }
        }
      }
      managed.set(email, teams);
    }
    return teams;
  };
  for (const row of rows) {
    if (row.managerEmail && row.team && validManager.get(row.managerEmail)) {
      const ref = team(row.team);
      managedBy(row.managerEmail).set(ref.name, ref);
    }
  }

  // The team each row's person practises in: the one named, or the one their manager manages.
  const teamOfRow = new Map<ImportRow, TeamRef>();
  for (const row of rows) {
    if (row.team) teamOfRow.set(row, team(row.team));
    else if (row.managerEmail && validManager.get(row.managerEmail)) {
      const teams = [...managedBy(row.managerEmail).values()];
      if (teams.length === 1 && teams[0]) teamOfRow.set(row, teams[0]);
      else if (teams.length === 0) teamOfRow.set(row, team(managerTeamName(finalName(row.managerEmail))));
      else {
        const names = teams.map((each) => each.name).sort((a, b) => a.localeCompare(b));
        fault(row, `manager ${row.managerEmail} manages several teams (${names.join(", ")}); name the team in the team column`);
      }
    }
  }

  // The organisation keeps at least one active L&D admin, as it does for changes made by hand.
  const stillAdmin = (person: ExistingPerson) => !person.deactivated && !person.erased;
  const demoting = rows.filter((row) => {
    const existing = existingByEmail.get(row.email);
    return existing?.role === "ld_admin" && stillAdmin(existing) && row.role !== "ld_admin";
  });
  const promoted = rows.filter((row) => {
    const existing = existingByEmail.get(row.email);
    return row.role === "ld_admin" && (!existing || (existing.role !== "ld_admin" && stillAdmin(existing)));
  }).length;
  if (demoting.length > 0 && snapshot.activeAdmins - demoting.length + promoted <= 0) {
    for (const row of demoting) fault(row, `${row.email} would leave the organisation without an active L&D admin; keep one row with the role ld_admin`);
  }

  if (faults.size > 0) {
    return { ok: false, problems: byLine([...faults].map(([line, messages]) => ({ line, message: messages.join("; ") }))) };
  }
  return { ok: true, plan: writesFor(rows, teamOfRow, existingByEmail, teamNames) };
}

function writesFor(
  rows: ImportRow[],
  teamOfRow: Map<ImportRow, TeamRef>,
  existingByEmail: Map<string, ExistingPerson>,
  teamNames: Map<string, string>,
): ImportPlan {
  const plan: ImportPlan = {
    newTeams: [],
    newPeople: [],
    changedPeople: [],
    managingEnds: [],
    memberships: [],
    managerships: [],
    report: { created: [], changed: [], unchanged: 0, teamsCreated: [] },
  };
  const newTeams = new Map<string, { name: string; managers: string[] }>();
  const needTeam = (ref: TeamRef) => {
    if (ref.id === null && !newTeams.has(ref.name)) newTeams.set(ref.name, { name: ref.name, managers: [] });
  };
  const changes = new Map<string, PersonChanges>();
  const changesOf = (email: string) => {
    const found = changes.get(email) ?? {};
    changes.set(email, found);
    return found;
  };

  for (const row of rows) {
    const ref = teamOfRow.get(row) ?? null;
    if (ref) needTeam(ref);
    const existing = existingByEmail.get(row.email);
    if (!existing) {
      plan.newPeople.push({ email: row.email, name: row.name, role: row.role, team: ref?.name ?? null });
      if (ref) plan.memberships.push({ email: row.email, team: ref.name });
      continue;
    }
    const personChanges = changesOf(row.email);
    if (row.name !== existing.name) personChanges.name = { from: existing.name, to: row.name };
    if (row.role !== existing.role) {
      personChanges.role = { from: existing.role, to: row.role };
      if (existing.role === "manager" && existing.memberships.some((each) => each.role === "manager")) plan.managingEnds.push(existing.id);
    }
    if (ref) {
      // In the team already: as a member, or as its manager when they stay a manager (one row per
      // person and team, so a manager who also practises in their team keeps the manager's row).
      const inTeam = existing.memberships.some(
        (each) => ref.id !== null && each.teamId === ref.id && (each.role === "member" || row.role === "manager"),
      );
      const memberElsewhere = existing.memberships.filter((each) => each.role === "member" && each.teamId !== ref.id);
      if (!inTeam || memberElsewhere.length > 0) {
        const current = existing.memberships.find((each) => each.role === "member");
        personChanges.team = { from: current ? (teamNames.get(current.teamId) ?? null) : null, to: ref.name };
        plan.memberships.push({ email: row.email, team: ref.name });
      }
    }
  }

  // Managers named in manager_email take charge of their people's teams.
  const added = new Set<string>();
  for (const row of rows) {
    const ref = teamOfRow.get(row);
    if (!row.managerEmail || !ref) continue;
    const key = `${row.managerEmail}\n${ref.name}`;
    if (added.has(key)) continue;
    added.add(key);
    const manager = existingByEmail.get(row.managerEmail);
    // Only a manager can be named (checked above), so a manager's row there is theirs to keep.
    const managesAlready = ref.id !== null && manager?.memberships.some((each) => each.teamId === ref.id && each.role === "manager");
    if (managesAlready) continue;
    plan.managerships.push({ email: row.managerEmail, team: ref.name });
    newTeams.get(ref.name)?.managers.push(row.managerEmail);
    if (manager) {
      const personChanges = changesOf(row.managerEmail);
      personChanges.manages = { added: [...(personChanges.manages?.added ?? []), ref.name] };
    }
  }

  plan.newTeams = [...newTeams.values()];
  plan.report.teamsCreated = plan.newTeams.map((each) => each.name);
  plan.report.created = plan.newPeople.map((person) => person.email);
  const rowByEmail = new Map(rows.map((row) => [row.email, row]));
  for (const [email, personChanges] of changes) {
    const existing = existingByEmail.get(email);
    if (Object.keys(personChanges).length === 0 || !existing) continue;
    const row = rowByEmail.get(email);
    plan.changedPeople.push({ id: existing.id, email, name: row?.name ?? existing.name, role: row?.role ?? existing.role, changes: personChanges });
  }
  // People of the file in file order (the map kept it), then managers outside the file who took on a team.
  const changedInFile = plan.changedPeople.filter((each) => rowByEmail.has(each.email));
  plan.report.changed = [...changedInFile, ...plan.changedPeople.filter((each) => !rowByEmail.has(each.email))].map((each) => each.email);
  plan.report.unchanged = rows.length - plan.report.created.length - changedInFile.length;
  return plan;
}
