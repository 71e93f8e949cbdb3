import { demoPeople, demoTeams } from "@spar/domain";
import type { PrismaClient } from "../generated/prisma/client.ts";

export type SeedDemoResult =
  | { created: true; people: number }
  | { created: false; reason: "already-loaded" | "email-taken" | "real-accounts" };

// The same lock as the first admin's creation (PrismaAccountStore): a fresh install becomes
// either the demo organisation or a real one, never both, whichever request comes first.
export const firstRunLockKey = 7_317_712_002;

/**
 * Creates the demo organisation in one transaction: every account is marked as demo data, so
 * the sign-in page can list them while they exist. Only on a database with no real accounts:
 * demo and real data never mix.
 */
export async function seedDemoOrganisation(prisma: PrismaClient, passwordHash: string): Promise<SeedDemoResult> {
  return prisma.$transaction(async (transaction) => {
    await transaction.$executeRaw`SELECT pg_advisory_xact_lock(${firstRunLockKey}::bigint)`;
    if ((await transaction.user.count({ where: { isDemo: false } })) > 0) return { created: false, reason: "real-accounts" };
    const existing = await transaction.user.findMany({
      where: { email: { in: demoPeople.map((person) => person.email) } },
      select: { isDemo: true },
    });
    if (existing.length > 0) {
      return { created: false, reason: existing.every((user) => user.isDemo) ? "already-loaded" : "email-taken" };
    }
    const teamIds = new Map<string, string>();
    for (const name of demoTeams) {
      const team = await transaction.team.create({ data: { name, isDemo: true } });
      teamIds.set(name, team.id);
    }
    for (const person of demoPeople) {
      const user = await transaction.user.create({
        data: { name: person.name, email: person.email, role: person.role, passwordHash, isDemo: true },
      });
      const teamId = person.team ? teamIds.get(person.team) : undefined;
      if (teamId) {
        await transaction.teamMember.create({
          data: { teamId, userId: user.id, role: person.role === "manager" ? "manager" : "member" },
        });
      }
    }
    return { created: true, people: demoPeople.length };
  });
}

// The sign-in page lists the admin first, then managers, then learners.
const roleOrder = ["ld_admin", "manager", "learner"];

export async function listDemoAccounts(prisma: PrismaClient) {
  const users = await prisma.user.findMany({
    where: { isDemo: true, disabledAt: null },
    include: { teams: { include: { team: true } } },
    orderBy: { name: "asc" },
  });
  return users
    .sort((a, b) => roleOrder.indexOf(a.role) - roleOrder.indexOf(b.role))
    .map((user) => ({
    name: user.name,
    email: user.email,
    role: user.role,
    team: user.teams[0]?.team.name ?? null,
  }));
}

export type RemoveDemoResult = { removed: true; people: number; teams: number } | { removed: false; reason: "not-loaded" };

/**
 * Removes the demo organisation for good, in one transaction: its people with everything they
 * practised (cascades), its teams, and the audit entries about them. Real people are untouched.
 */
export async function removeDemoOrganisation(prisma: PrismaClient, actorId: string): Promise<RemoveDemoResult> {
  // Under the first-run lock, so a removal and a fresh set-up or demo load never interleave.
  return prisma.$transaction(async (transaction) => {
    await transaction.$executeRaw`SELECT pg_advisory_xact_lock(${firstRunLockKey}::bigint)`;
    const people = await transaction.user.findMany({ where: { isDemo: true }, select: { id: true } });
    if (people.length === 0) return { removed: false, reason: "not-loaded" } as const;
    const ids = people.map((person) => person.id);
    await transaction.auditEntry.deleteMany({ where: { subjectUserId: { in: ids } } });
    const teams = await transaction.team.deleteMany({ where: { isDemo: true } });
    await transaction.user.deleteMany({ where: { id: { in: ids } } });
    const actorRemains = !ids.includes(actorId);
    await transaction.auditEntry.create({
      data: { actorId: actorRemains ? actorId : null, action: "demo.removed", resourceType: "organisation", details: { people: ids.length, teams: teams.count } },
    });
    return { removed: true, people: ids.length, teams: teams.count } as const;
  });
}
