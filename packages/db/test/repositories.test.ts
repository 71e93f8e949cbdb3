import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PrismaAccountStore,
  PrismaAuditLog,
  PrismaPracticeSessionViews,
  PrismaTeamDirectory,
  seedDemoOrganisation,
  listDemoAccounts,
} from "../src/index.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../src/testing/index.ts";

const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}@test.example`;

describe.each(databaseKinds)("repositories on %s", (kind) => {
  let database: TestDatabase;
  let accounts: PrismaAccountStore;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    accounts = new PrismaAccountStore(database.prisma);
  });
  afterAll(() => database?.close());

  it("creates only one first user when two set-ups race", async () => {
    const [first, second] = await Promise.all([
      accounts.createFirstUser({ email: unique("first"), name: "First", role: "ld_admin", passwordHash: "h1" }),
      accounts.createFirstUser({ email: unique("second"), name: "Second", role: "ld_admin", passwordHash: "h2" }),
    ]);
    expect([first, second].filter((user) => user !== null)).toHaveLength(1);
    expect(await accounts.countUsers()).toBe(1);
    expect(await accounts.createFirstUser({ email: unique("late"), name: "Late", role: "ld_admin", passwordHash: "h" })).toBeNull();
  });

  it("stores users with lower-case emails and finds them either way", async () => {
    const email = unique("Mixed.Case");
    const created = await accounts.createUser({ email, name: "Mixed", role: "learner", passwordHash: "hash" });
    expect(created.email).toBe(email.toLowerCase());
    expect((await accounts.findUserByEmail(email.toUpperCase()))?.id).toBe(created.id);
    expect((await accounts.findUserById(created.id))?.name).toBe("Mixed");
  });

  it("round-trips auth sessions, extends them, and sweeps expired ones", async () => {
    const user = await accounts.createUser({ email: unique("s"), name: "S", role: "learner", passwordHash: "h" });
    const now = new Date("2026-01-01T10:00:00Z");
    const live = { tokenHash: randomUUID(), userId: user.id, createdAt: now, lastSeenAt: now, expiresAt: new Date("2026-01-01T11:00:00Z") };
    const stale = { ...live, tokenHash: randomUUID(), expiresAt: new Date("2026-01-01T10:30:00Z") };
    await accounts.createAuthSession(live);
    await accounts.createAuthSession(stale);
    expect(await accounts.findAuthSession(live.tokenHash)).toEqual(live);

    const later = new Date("2026-01-01T10:45:00Z");
    await accounts.extendAuthSession(live.tokenHash, later, new Date("2026-01-01T11:45:00Z"));
    expect((await accounts.findAuthSession(live.tokenHash))?.expiresAt).toEqual(new Date("2026-01-01T11:45:00Z"));

    expect(await accounts.deleteExpiredAuthSessions(later)).toBe(1);
    expect(await accounts.findAuthSession(stale.tokenHash)).toBeNull();
    await accounts.deleteAuthSession(live.tokenHash);
    expect(await accounts.findAuthSession(live.tokenHash)).toBeNull();
  });

  it("never mixes the demo organisation with real accounts", async () => {
    // The tests above made real accounts in this database.
    expect(await seedDemoOrganisation(database.prisma, "demo-hash")).toEqual({ created: false, reason: "real-accounts" });
    expect(await database.prisma.user.count({ where: { isDemo: true } })).toBe(0);
  });

  it("builds the demo organisation once, with managers over their own teams", async () => {
    const fresh = await openTestDatabase(kind);
    try {
      await checkDemoOrganisation(fresh);
    } finally {
      await fresh.close();
    }
  });

  async function checkDemoOrganisation(database: TestDatabase) {
    expect(await seedDemoOrganisation(database.prisma, "demo-hash")).toEqual({ created: true, people: 15 });
    expect(await seedDemoOrganisation(database.prisma, "demo-hash")).toEqual({ created: false, reason: "already-loaded" });

    const listed = await listDemoAccounts(database.prisma);
    expect(listed.map((account) => account.role)).toEqual([
      "ld_admin", "manager", "manager", ...Array(12).fill("learner"),
    ]);
    const teams = new PrismaTeamDirectory(database.prisma);
    const all = await teams.listTeams();
    expect(all.map((team) => [team.name, team.managers.length, team.members.length])).toEqual([
      ["Customer Success", 1, 6],
      ["Mid-Market Sales", 1, 6],
    ]);
    const sales = all.find((team) => team.name === "Mid-Market Sales");
    const manager = sales?.managers[0]?.id as string;
    const report = sales?.members[0]?.id as string;
    expect(await teams.managersOf(report)).toEqual([manager]);
    expect((await teams.listTeams({ managedBy: manager })).map((team) => team.name)).toEqual(["Mid-Market Sales"]);
    expect(await database.prisma.team.count({ where: { isDemo: false } })).toBe(0);
  }

  it("reads a practice session with its transcript in order, and records audit entries", async () => {
    const learner = await accounts.createUser({ email: unique("l"), name: "Learner", role: "learner", passwordHash: "h" });
    const scenario = await database.prisma.scenarioVersion.create({
      data: { scenarioId: "missed-deadline", version: 2, contentHash: randomUUID(), title: "The missed deadline", family: "difficult-conversation", rubricId: "difficult-conversations", source: "id: missed-deadline", sourcePath: "scenarios/missed-deadline.scenario.yaml" },
    });
    const rubric = await database.prisma.rubricVersion.create({
      data: { rubricId: "difficult-conversations", version: 1, contentHash: randomUUID(), title: "Difficult conversations", competency: "difficult-conversations", source: "id: x", sourcePath: "x" },
    });
    const session = await database.prisma.practiceSession.create({
      data: {
        learnerId: learner.id, scenarioVersionId: scenario.id, rubricVersionId: rubric.id, engine: "offline",
        turns: { create: [
          { seq: 2, speaker: "learner", text: "What got in the way?", acts: ["open-question"], clientMessageId: "c1" },
          { seq: 1, speaker: "persona", text: "You wanted to see me?" },
          { seq: 3, speaker: "persona", text: "Honestly? A lot.", status: "interrupted" },
        ] },
      },
    });
    const view = await new PrismaPracticeSessionViews(database.prisma).findSessionView(session.id);
    expect(view?.scenario).toEqual({ id: "missed-deadline", version: 2, title: "The missed deadline", contentHash: scenario.contentHash });
    expect(view?.persona).toEqual({ name: "Persona" }); // the stored source here is not a whole scenario
    expect(view?.turns.map((turn) => [turn.seq, turn.speaker, turn.status, turn.acts])).toEqual([
      [1, "persona", "complete", []],
      [2, "learner", "complete", ["open-question"]],
      [3, "persona", "interrupted", []],
    ]);
    expect(await new PrismaPracticeSessionViews(database.prisma).findSessionView(randomUUID())).toBeNull();

    await new PrismaAuditLog(database.prisma).record({
      actorId: learner.id, action: "transcript.read", subjectUserId: learner.id, resourceType: "practice-session", resourceId: session.id,
    });
    const entries = await database.prisma.auditEntry.findMany({ where: { resourceId: session.id } });
    expect(entries.map((entry) => entry.action)).toEqual(["transcript.read"]);
  });
});
