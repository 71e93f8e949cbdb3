import type { Actor, ExistingPerson, ImportDecision, ImportPlan, ImportSnapshot, ImportStoreResult, PeopleImportStore } from "@spar/domain";
import { v7 as uuidv7 } from "uuid";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";
import { adminsLockKey } from "./prisma-people.ts";

type Transaction = Prisma.TransactionClient;

// Two imports run one after the other, so the second plans against what the first wrote.
const importLockKey = 7_317_712_004;

/**
 * Imports a people CSV in one transaction with bulk statements (a statement per kind of write,
 * not per row), so 20,000 rows take seconds. Uniqueness (e-mail, team name) is the database's:
 * a concurrent write of the same address fails the whole import, which then writes nothing.
 */
export class PrismaPeopleImport implements PeopleImportStore {
  constructor(private readonly prisma: PrismaClient) {}

  async importPeople(
    emails: string[],
    decide: (snapshot: ImportSnapshot) => ImportDecision,
    actor: Actor,
    options: { dryRun: boolean },
  ): Promise<ImportStoreResult> {
    try {
      return await this.prisma.$transaction(
        async (transaction) => {
          await transaction.$executeRaw`SELECT pg_advisory_xact_lock(${importLockKey}::bigint)`;
          // The last-admin rule reads the admins: the same lock as changes made by hand.
          await transaction.$executeRaw`SELECT pg_advisory_xact_lock(${adminsLockKey}::bigint)`;
          const decision = decide(await readSnapshot(transaction, emails));
          if (decision.ok && !options.dryRun) await write(transaction, decision.plan, actor);
          return { kind: "decided", decision } as const;
        },
        // Big files take longer than Prisma's default of five seconds.
        { timeout: 10 * 60_000, maxWait: 60_000 },
      );
    } catch (error) {
      if (isUniqueViolation(error)) return { kind: "conflict" };
      throw error;
    }
  }
}

interface PersonRow {
  id: string;
  email: string;
  name: string;
  role: ExistingPerson["role"];
  deactivated: boolean;
  erased: boolean;
  deprovisioned: boolean;
  memberships: ExistingPerson["memberships"];
}

async function readSnapshot(transaction: Transaction, emails: string[]): Promise<ImportSnapshot> {
  // One array parameter, however many addresses: an IN list of 20,000 would pass the bind limit.
  const people = await transaction.$queryRaw<PersonRow[]>`
    SELECT u.id, u.email, u.name, u.role::text AS role,
      u."disabledAt" IS NOT NULL AS deactivated, u."erasedAt" IS NOT NULL AS erased,
      u."deprovisionedAt" IS NOT NULL AS deprovisioned,
      COALESCE(json_agg(json_build_object('teamId', m."teamId", 'role', m.role)) FILTER (WHERE m."teamId" IS NOT NULL), '[]'::json) AS memberships
    FROM "User" u LEFT JOIN "TeamMember" m ON m."userId" = u.id
    WHERE u.email = ANY(${emails}::text[])
    GROUP BY u.id`;
  const teams = await transaction.team.findMany({ select: { id: true, name: true } });
  const activeAdmins = await transaction.user.count({ where: { role: "ld_admin", disabledAt: null, erasedAt: null } });
  return { people, teams, activeAdmins };
}

async function write(transaction: Transaction, plan: ImportPlan, actor: Actor): Promise<void> {
  const teamIds = new Map((await transaction.team.findMany({ select: { id: true, name: true } })).map((team) => [team.name, team.id]));
  // Rows are inserted from arrays (one statement, a handful of parameters, whatever the count):
  // Prisma's createMany binds every value separately and takes seconds for thousands of rows.
  // Ids are UUIDv7 as Prisma would make them, so id order stays creation (and file) order.
  if (plan.newTeams.length > 0) {
    const ids = plan.newTeams.map(() => uuidv7());
    await transaction.$executeRaw`
      INSERT INTO "Team"(id, name) SELECT * FROM unnest(${ids}::uuid[], ${plan.newTeams.map((team) => team.name)}::text[])`;
    for (const [index, team] of plan.newTeams.entries()) teamIds.set(team.name, ids[index] as string);
  }

  const personIds = new Map(plan.changedPeople.map((person) => [person.email, person.id]));
  const createdIds = new Map<string, string>();
  if (plan.newPeople.length > 0) {
    const ids = plan.newPeople.map(() => uuidv7());
    await transaction.$executeRaw`
      INSERT INTO "User"(id, email, name, role)
      SELECT p.id, p.email, p.name, p.role::"Role"
      FROM unnest(${ids}::uuid[], ${plan.newPeople.map((person) => person.email)}::text[],
        ${plan.newPeople.map((person) => person.name)}::text[], ${plan.newPeople.map((person) => person.role)}::text[]) AS p(id, email, name, role)`;
    for (const [index, person] of plan.newPeople.entries()) createdIds.set(person.email, ids[index] as string);
  }
  // Managers named only in manager_email, and unchanged people who join a team, are neither created nor changed.
  const missing = [...plan.memberships, ...plan.managerships].map((each) => each.email).filter((email) => !personIds.has(email) && !createdIds.has(email));
  if (missing.length > 0) {
    const found = await transaction.$queryRaw<{ id: string; email: string }[]>`SELECT id, email FROM "User" WHERE email = ANY(${[...new Set(missing)]}::text[])`;
    for (const person of found) personIds.set(person.email, person.id);
  }
  const idOf = (email: string) => {
    const id = createdIds.get(email) ?? personIds.get(email);
    if (!id) throw new Error(`import plan names ${email}, who is not in the database`);
    return id;
  };
  const teamIdOf = (name: string) => {
    const id = teamIds.get(name);
    if (!id) throw new Error(`import plan names the team ${name}, which is not in the database`);
    return id;
  };

  const renamed = plan.changedPeople.filter((person) => person.changes.name || person.changes.role);
  if (renamed.length > 0) {
    await transaction.$executeRaw`
      UPDATE "User" u SET name = c.name, role = c.role::"Role", "updatedAt" = now()
      FROM unnest(${renamed.map((each) => each.id)}::uuid[], ${renamed.map((each) => each.name)}::text[], ${renamed.map((each) => each.role)}::text[]) AS c(id, name, role)
      WHERE u.id = c.id`;
  }
  if (plan.managingEnds.length > 0) {
    // Only managers manage teams: someone who stops being one stops managing theirs.
    await transaction.$executeRaw`DELETE FROM "TeamMember" WHERE "userId" = ANY(${plan.managingEnds}::uuid[]) AND role = 'manager'`;
  }
  if (plan.memberships.length > 0) {
    const users = plan.memberships.map((each) => idOf(each.email));
    const teams = plan.memberships.map((each) => teamIdOf(each.team));
    // A person practises in one team: joining it ends their membership elsewhere. A manager of
    // the team keeps their one row there, as its manager.
    await transaction.$executeRaw`
      DELETE FROM "TeamMember" m USING unnest(${users}::uuid[], ${teams}::uuid[]) AS t(user_id, team_id)
      WHERE m."userId" = t.user_id AND m.role = 'member' AND m."teamId" <> t.team_id`;
    await transaction.$executeRaw`
      INSERT INTO "TeamMember"("teamId", "userId", role)
      SELECT t.team_id, t.user_id, 'member'::"TeamRole" FROM unnest(${users}::uuid[], ${teams}::uuid[]) AS t(user_id, team_id)
      ON CONFLICT ("teamId", "userId") DO NOTHING`;
  }
  if (plan.managerships.length > 0) {
    await transaction.$executeRaw`
      INSERT INTO "TeamMember"("teamId", "userId", role)
      SELECT t.team_id, t.user_id, 'manager'::"TeamRole"
      FROM unnest(${plan.managerships.map((each) => idOf(each.email))}::uuid[], ${plan.managerships.map((each) => teamIdOf(each.team))}::uuid[]) AS t(user_id, team_id)
      ON CONFLICT ("teamId", "userId") DO UPDATE SET role = 'manager'::"TeamRole"`;
  }

  const via = actor.via ? { via: actor.via } : {};
  const entries: AuditRow[] = [
    {
      action: "people.imported",
      subjectUserId: null,
      resourceType: "people",
      resourceId: null,
      details: {
        created: plan.report.created.length,
        changed: plan.report.changed.length,
        unchanged: plan.report.unchanged,
        teamsCreated: plan.report.teamsCreated.length,
        ...via,
      },
    },
    ...plan.newTeams.map((team) => ({
      action: "team.created",
      subjectUserId: null,
      resourceType: "team",
      resourceId: teamIdOf(team.name),
      details: { name: team.name, managers: team.managers, ...via },
    })),
    ...managersAddedToExistingTeams(plan).map(([team, managers]) => ({
      action: "team.managers_changed",
      subjectUserId: null,
      resourceType: "team",
      resourceId: teamIdOf(team),
      details: { team, added: managers.map(idOf), removed: [], ...via },
    })),
    ...plan.newPeople.map((person) => ({
      action: "person.created",
      subjectUserId: idOf(person.email),
      resourceType: "person",
      resourceId: idOf(person.email),
      details: { email: person.email, role: person.role, team: person.team, ...via },
    })),
    ...plan.changedPeople.map((person) => ({
      action: "person.updated",
      subjectUserId: person.id,
      resourceType: "person",
      resourceId: person.id,
      details: { ...person.changes, ...via },
    })),
  ];
  await transaction.$executeRaw`
    INSERT INTO "AuditEntry"(id, "actorId", action, "subjectUserId", "resourceType", "resourceId", details)
    SELECT e.id, ${actor.id}::uuid, e.action, e.subject, e.resource_type, e.resource_id, e.details::jsonb
    FROM unnest(${entries.map(() => uuidv7())}::uuid[], ${entries.map((entry) => entry.action)}::text[],
      ${entries.map((entry) => entry.subjectUserId)}::uuid[], ${entries.map((entry) => entry.resourceType)}::text[],
      ${entries.map((entry) => entry.resourceId)}::text[], ${entries.map((entry) => JSON.stringify(entry.details))}::text[])
      AS e(id, action, subject, resource_type, resource_id, details)`;
}

interface AuditRow {
  action: string;
  subjectUserId: string | null;
  resourceType: string;
  resourceId: string | null;
  details: Record<string, unknown>;
}

function managersAddedToExistingTeams(plan: ImportPlan): [team: string, managers: string[]][] {
  const created = new Set(plan.newTeams.map((team) => team.name));
  const byTeam = new Map<string, string[]>();
  for (const { email, team } of plan.managerships) {
    if (!created.has(team)) byTeam.set(team, [...(byTeam.get(team) ?? []), email]);
  }
  return [...byTeam];
}

/** A unique index refused a write: through Prisma's own statements or a raw one. */
function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === "P2002") return true;
  const described = `${error.message} ${JSON.stringify(error.meta ?? {})}`;
  return described.includes("UniqueConstraintViolation") || described.includes("23505");
}
