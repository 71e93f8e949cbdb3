import { demoPeople, demoTeams } from "@spar/domain";
import type { PrismaClient } from "../generated/prisma/client.ts";

export type SeedDemoResult = { created: true; people: number } | { created: false; reason: "already-loaded" | "email-taken" };

/**
 * Creates the demo organisation in one transaction: every account is marked as demo data, so
 * the sign-in page can list them while they exist.
 */
export async function seedDemoOrganisation(prisma: PrismaClient, passwordHash: string): Promise<SeedDemoResult> {
  return prisma.$transaction(async (transaction) => {
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
