// Each person's data rights on the demo organisation with its weeks of history, over real HTTP on
// PGlite and PostgreSQL: an export holds everything about one person and nothing of another; an
// erasure leaves no trace of their name, address or words anywhere in the database while the
// programme's counts stay; the retention period erases old transcripts and keeps recent ones; and
// the same from the `spar` command.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type DatabaseKind, type PrismaClient, PrismaTranscriptRetention } from "@spar/db";
import { demoPassword, TranscriptRetention } from "@spar/domain";
import { AuditPage, EraseReport, ErrorBody, PeoplePage, PersonExport, ProgrammeView } from "@spar/protocol";
import { demoSignIn, ManualClock, startTestApp } from "@spar/server/testing";
import { signInCounterAccountKey } from "@spar/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PracticeClient } from "../fixtures/practice-client.ts";
import { runCli } from "../fixtures/processes.ts";

const day = 86_400_000;
const emails = {
  alex: "alex.morgan@demo.example",
  priya: "priya.natarajan@demo.example",
  sam: "sam.whitaker@demo.example",
  lena: "lena.fischer@demo.example",
  kenji: "kenji.watanabe@demo.example",
} as const;
type Who = keyof typeof emails;

// Words only Sam ever says or has written about him, to look for after his erasure.
const samSaid = "What is really getting in the way of the heliotrope-4417 rollout for you?";
const samSaysUnfinished = "Before we start, the nightjar-2290 account is the one I worry about.";
const keyPoint = "Freezes when the buyer mentions the quince-8812 budget";
const agreedAction = "Rehearse the marmalade-3306 opener twice";
const observationNote = "On the tamarind-5521 call he summarised well before proposing.";

/**
 * Every table and column of the database, cast to text, searched for each needle: the names of
 * the places that still hold one.
 */
async function placesHolding(prisma: PrismaClient, needles: readonly string[]): Promise<string[]> {
  const columns = await prisma.$queryRaw<{ table: string; column: string }[]>`
    SELECT c.table_name AS table, c.column_name AS column FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = 'public' ORDER BY c.table_name, c.ordinal_position`;
  const byTable = new Map<string, string[]>();
  for (const { table, column } of columns) byTable.set(table, [...(byTable.get(table) ?? []), column]);
  const patterns = needles.map((needle) => `%${needle}%`);
  const found: string[] = [];
  for (const [table, tableColumns] of byTable) {
    const sums = tableColumns.map((column, index) => `count(*) FILTER (WHERE "${column}"::text ILIKE ANY($1::text[]))::int AS c${index}`).join(", ");
    const [row] = await prisma.$queryRawUnsafe<Record<string, number>[]>(`SELECT ${sums} FROM "${table}"`, patterns);
    tableColumns.forEach((column, index) => {
      if ((row?.[`c${index}`] ?? 0) > 0) found.push(`${table}.${column}`);
    });
  }
  return found;
}

describe.each<DatabaseKind>(["pglite", "postgresql"])("each person's data rights (%s)", (kind) => {
  const clock = new ManualClock(new Date());
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  const cookies = {} as Record<Who, string>;
  const ids = {} as Record<Who, string>;
  let prisma: PrismaClient;

  beforeAll(async () => {
    server = await startTestApp(kind, {
      clock,
      environment: { SPAR_DEMO_HISTORY: "on", SPAR_RETENTION_DAYS: "30" },
      socket: { messagesPerSecond: 200, messageBurst: 200 },
    });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    prisma = server.database.prisma;
    for (const [who, email] of Object.entries(emails) as [Who, string][]) {
      cookies[who] = await demoSignIn(server.app, email);
      ids[who] = (await prisma.user.findUniqueOrThrow({ where: { email } })).id;
    }
  }, 180_000);
  afterAll(() => server?.close());

  const call = (who: Who | null, method: "GET" | "POST", url: string, payload?: object) =>
    server.app.inject({ method, url, headers: who ? { cookie: cookies[who] } : {}, ...(payload ? { payload } : {}) });
  const programme = async () => ProgrammeView.parse((await call("alex", "GET", "/api/programme")).json());

  it("exports everything Spar holds about one person, and nothing of another", async () => {
    // Sam practises, and is scored; his manager writes about him and reads his transcript.
    const client = await PracticeClient.connect(baseUrl, cookies.sam);
    client.send({ type: "session-start", scenarioId: "missed-deadline" });
    const { session } = await client.next("session-ready");
    await client.say(session.id, samSaid);
    await client.say(session.id, "I hear you, and I appreciate you telling me. What would help you most this week?");
    const since = client.mark;
    client.send({ type: "session-end", sessionId: session.id });
    await client.next("score-ready", (message) => message.sessionId === session.id, 15_000, since);
    client.close();
    const assignment = await call("priya", "POST", "/api/assignments", { scenarioId: "price-objection", learnerIds: [ids.sam], note: "Before the pricing review" });
    expect(assignment.statusCode, assignment.body).toBe(201);
    const oneToOne = await call("priya", "POST", `/api/people/${ids.sam}/one-to-ones`, {
      heldOn: "2026-11-20",
      durationMinutes: 25,
      keyPoints: [keyPoint],
      agreedActions: [{ text: agreedAction, assignmentId: assignment.json().assignment.id }],
    });
    expect(oneToOne.statusCode, oneToOne.body).toBe(201);
    const observation = await call("priya", "POST", `/api/people/${ids.sam}/observations`, {
      competency: "feedback-delivery", level: 3, note: observationNote, observedOn: "2026-11-19",
    });
    expect(observation.statusCode, observation.body).toBe(201);
    expect((await call("priya", "GET", `/api/practice-sessions/${session.id}`)).statusCode).toBe(200);

    const response = await call("alex", "GET", `/api/people/${ids.sam}/export`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers["content-disposition"]).toBe(`attachment; filename="spar-export-${emails.sam}.json"`);
    const document = PersonExport.parse(response.json());
    expect(document).toMatchObject({ format: "spar-person-export", version: 1, exportedAt: clock.now().toISOString() });
    expect(document.person).toMatchObject({
      id: ids.sam, name: "Sam Whitaker", email: emails.sam, role: "learner", status: "active", externalId: null, singleSignOnLinked: false,
      memberOf: [{ name: "Mid-Market Sales" }], manages: [],
    });

    const stored = await prisma.practiceSession.findMany({ where: { learnerId: ids.sam }, include: { turns: true, scorecards: { include: { criteria: true } } } });
    expect(document.sessions.map((each) => each.id).sort()).toEqual(stored.map((each) => each.id).sort());
    expect(document.sessions.flatMap((each) => each.turns)).toHaveLength(stored.flatMap((each) => each.turns).length);
    const practised = document.sessions.find((each) => each.id === session.id);
    expect(practised?.turns.find((turn) => turn.seq === 2)).toMatchObject({ speaker: "learner", text: samSaid, status: "complete" });
    expect(practised?.scorecards[0]?.criteria.length).toBeGreaterThan(0);
    const criteria = document.sessions.flatMap((each) => each.scorecards.flatMap((scorecard) => scorecard.criteria));
    expect(criteria).toHaveLength(stored.flatMap((each) => each.scorecards.flatMap((scorecard) => scorecard.criteria)).length);
    expect(criteria.some((criterion) => criterion.evidence.length > 0 && criterion.rationale.length > 0)).toBe(true);

    expect(document.assignments).toEqual([expect.objectContaining({ scenarioId: "price-objection", assignedBy: { id: ids.priya, name: "Priya Natarajan" }, status: "open" })]);
    expect(document.oneToOnes).toEqual([
      expect.objectContaining({ keyPoints: [keyPoint], manager: { id: ids.priya, name: "Priya Natarajan" }, agreedActions: [expect.objectContaining({ text: agreedAction })] }),
    ]);
    expect(document.observations).toEqual([expect.objectContaining({ note: observationNote, level: 3, observer: { id: ids.priya, name: "Priya Natarajan" } })]);
    const actions = document.audit.map((entry) => entry.action);
    expect(actions).toContain("person.exported");
    expect(document.audit.filter((entry) => entry.resourceId === session.id && entry.actor?.id === ids.priya).length).toBeGreaterThan(0);
    expect(document.audit.every((entry) => entry.subject?.id === ids.sam || entry.actor?.id === ids.sam)).toBe(true);

    // Nothing of Lena (her words, her sessions, her address), and no secret of Sam's.
    const text = JSON.stringify(document);
    const lenaSessions = await prisma.practiceSession.findMany({ where: { learnerId: ids.lena }, select: { id: true } });
    expect(lenaSessions.length).toBeGreaterThan(0);
    for (const { id } of lenaSessions) expect(text).not.toContain(id);
    expect(text).not.toContain(emails.lena);
    expect(text).not.toContain("Lena Fischer");
    const account = await prisma.user.findUniqueOrThrow({ where: { id: ids.sam } });
    expect(text).not.toContain(account.passwordHash as string);
    expect(text).not.toMatch(/passwordHash|tokenHash/);

    const exported = await prisma.auditEntry.findMany({ where: { action: "person.exported", subjectUserId: ids.sam } });
    expect(exported).toEqual([expect.objectContaining({ actorId: ids.alex })]);
  });

  it("keeps export and erasure to L&D admins", async () => {
    for (const who of ["sam", "priya", "lena"] as const) {
      expect((await call(who, "GET", `/api/people/${ids.sam}/export`)).statusCode, who).toBe(403);
      expect((await call(who, "POST", `/api/people/${ids.sam}/erase`, { confirmEmail: emails.sam })).statusCode, who).toBe(403);
    }
    expect((await call(null, "GET", `/api/people/${ids.sam}/export`)).statusCode).toBe(401);
  });

  it("refuses an erasure without the person's exact address, and changes nothing", async () => {
    const before = await prisma.user.findUniqueOrThrow({ where: { id: ids.sam } });
    const turnsBefore = await prisma.turn.count({ where: { session: { learnerId: ids.sam } } });
    const auditBefore = await prisma.auditEntry.count();

    const wrong = await call("alex", "POST", `/api/people/${ids.sam}/erase`, { confirmEmail: emails.lena });
    expect(wrong.statusCode).toBe(400);
    expect(ErrorBody.parse(wrong.json()).error).toMatchObject({ code: "VALIDATION_FAILED", issues: [{ path: "confirmEmail" }] });
    const malformed = await call("alex", "POST", `/api/people/${ids.sam}/erase`, { confirmEmail: "sam whitaker" });
    expect(malformed.statusCode).toBe(400);
    expect(ErrorBody.parse(malformed.json()).error.issues?.map((issue) => issue.path)).toEqual(["confirmEmail"]);
    const missing = await call("alex", "POST", `/api/people/${ids.sam}/erase`, {});
    expect(ErrorBody.parse(missing.json()).error.issues?.map((issue) => issue.path)).toEqual(["confirmEmail"]);

    expect(await prisma.user.findUniqueOrThrow({ where: { id: ids.sam } })).toEqual(before);
    expect(await prisma.turn.count({ where: { session: { learnerId: ids.sam } } })).toBe(turnsBefore);
    expect(await prisma.auditEntry.count()).toBe(auditBefore);
    expect((await call("sam", "GET", "/api/auth/me")).statusCode).toBe(200);
  });

  it("refuses to erase the last active L&D admin", async () => {
    const response = await call("alex", "POST", `/api/people/${ids.alex}/erase`, { confirmEmail: emails.alex });
    expect(response.statusCode).toBe(409);
    expect(ErrorBody.parse(response.json()).error.message).toContain("last active L&D admin");
    expect(await prisma.user.findUniqueOrThrow({ where: { id: ids.alex } })).toMatchObject({ name: "Alex Morgan", erasedAt: null });
  });

  it("erases a person for good: no trace of their name, address or words, counts kept, sign-ins and sockets ended", async () => {
    const programmeBefore = await programme();
    expect(programmeBefore.weakCriteria.suppressed).toBe(false);
    const sessionsBefore = await prisma.practiceSession.findMany({
      where: { learnerId: ids.sam, status: "ended" },
      select: { id: true, latestScore: true, scorecards: { orderBy: { id: "asc" }, select: { overall: true, passed: true, metrics: true, criteria: { orderBy: { criterionId: "asc" }, select: { criterionId: true, level: true } } } } },
      orderBy: { id: "asc" },
    });
    const turnsBefore = await prisma.turn.count({ where: { session: { learnerId: ids.sam } } });
    const readsBefore = await prisma.auditEntry.count({ where: { subjectUserId: ids.sam } });
    // The search below finds what it looks for while it is there.
    expect(await placesHolding(prisma, [emails.sam, samSaid, keyPoint, agreedAction, observationNote])).toEqual(
      expect.arrayContaining(["User.email", "Turn.text", "OneToOne.keyPoints", "AgreedAction.text", "Observation.note"]),
    );

    // Someone has been guessing at Sam's password: the counters name him by a hash of his address.
    await call(null, "POST", "/api/auth/sign-in", { email: emails.sam, password: "a wrong guess" });
    const counterKey = signInCounterAccountKey(emails.sam);
    expect(await prisma.rateLimiterFlexible.count({ where: { key: { contains: counterKey } } })).toBeGreaterThan(0);

    // Sam is mid-practice when the erasure comes.
    const socket = await PracticeClient.connect(baseUrl, cookies.sam);
    socket.send({ type: "session-start", scenarioId: "frustrated-customer" });
    const { session: unfinished } = await socket.next("session-ready");
    await socket.say(unfinished.id, samSaysUnfinished);

    const response = await call("alex", "POST", `/api/people/${ids.sam}/erase`, { confirmEmail: "Sam.Whitaker@demo.example" });
    expect(response.statusCode, response.body).toBe(200);
    expect(await prisma.rateLimiterFlexible.count({ where: { key: { contains: counterKey } } })).toBe(0);
    const report = EraseReport.parse(response.json());
    expect(report).toEqual({ sessions: sessionsBefore.length + 1, turns: turnsBefore + 3, scorecards: sessionsBefore.flatMap((each) => each.scorecards).length });
    expect(await socket.closed).toMatchObject({ code: 4001 });

    // Signed out everywhere, and nobody can sign in as them again.
    expect((await call("sam", "GET", "/api/auth/me")).statusCode).toBe(401);
    expect((await call(null, "POST", "/api/auth/sign-in", { email: emails.sam, password: demoPassword })).statusCode).toBe(401);

    // Nowhere in the database: not the name, the address, their words, or what was written about them.
    expect(await placesHolding(prisma, ["Sam Whitaker", emails.sam, samSaid, samSaysUnfinished, keyPoint, agreedAction, observationNote])).toEqual([]);
    expect(await prisma.turn.count({ where: { session: { learnerId: ids.sam } } })).toBe(0);
    expect(await prisma.practiceSession.count({ where: { id: unfinished.id } })).toBe(0);
    const criteria = await prisma.criterionScore.findMany({ where: { scorecard: { session: { learnerId: ids.sam } } } });
    expect(criteria.length).toBeGreaterThan(0);
    expect(criteria.every((criterion) => criterion.rationale === "" && JSON.stringify(criterion.evidence) === "[]")).toBe(true);
    const user = await prisma.user.findUniqueOrThrow({ where: { id: ids.sam }, include: { teams: true, authSessions: true, accountTokens: true } });
    expect(user).toMatchObject({ name: "Erased person", email: `erased-${ids.sam}@erased.invalid`, passwordHash: null, externalId: null, oidcSubject: null, teams: [], authSessions: [], accountTokens: [] });
    expect(user.erasedAt).not.toBeNull();
    expect(user.disabledAt).not.toBeNull();

    // Scores stay as anonymous counts: the programme view is what it was.
    const sessionsAfter = await prisma.practiceSession.findMany({
      where: { learnerId: ids.sam },
      select: { id: true, latestScore: true, scorecards: { orderBy: { id: "asc" }, select: { overall: true, passed: true, metrics: true, criteria: { orderBy: { criterionId: "asc" }, select: { criterionId: true, level: true } } } } },
      orderBy: { id: "asc" },
    });
    expect(sessionsAfter).toEqual(sessionsBefore);
    // Every score-based figure is what it was; team rows count today's members, and Sam has left his.
    const { teams: teamsAfter, ...programmeAfter } = await programme();
    const { teams: teamsBefore, ...scoresBefore } = programmeBefore;
    expect(programmeAfter).toEqual(scoresBefore);
    expect(teamsAfter.map((team) => team.team)).toEqual(teamsBefore.map((team) => team.team));

    // The audit log keeps the record, in counts, and every earlier entry about them.
    const log = AuditPage.parse((await call("alex", "GET", `/api/audit?personId=${ids.sam}&action=person.erased`)).json());
    expect(log.entries).toHaveLength(1);
    expect(log.entries[0]).toMatchObject({ actor: { id: ids.alex }, subject: { id: ids.sam, name: "Erased person" }, details: { sessions: report.sessions, turns: report.turns } });
    expect(await prisma.auditEntry.count({ where: { subjectUserId: ids.sam } })).toBe(readsBefore + 1);

    // An erased person is not found again.
    expect((await call("alex", "POST", `/api/people/${ids.sam}/erase`, { confirmEmail: `erased-${ids.sam}@erased.invalid` })).statusCode).toBe(404);
    expect((await call("alex", "GET", `/api/people/${ids.sam}/export`)).statusCode).toBe(404);
    const people = PeoplePage.parse((await call("alex", "GET", "/api/people?limit=200")).json());
    expect(people.people.map((person) => person.id)).not.toContain(ids.sam);
  });

  it("scrubs an erased person's earlier names and addresses from the audit details others' entries carry", async () => {
    // A rename, then a new address: both land in audit details.
    expect((await call("alex", "POST", "/api/people", { name: "Ruth Okafor", email: "ruth.okafor@example.com", role: "manager" })).statusCode).toBe(201);
    const ruth = (await prisma.user.findUniqueOrThrow({ where: { email: "ruth.okafor@example.com" } })).id;
    const renamed = await server.services.people.update(ruth, { name: "Ruth Okafor-Mensah", email: "ruth.om@example.com" }, { id: ids.alex });
    expect(renamed.ok).toBe(true);
    expect((await call("alex", "POST", "/api/teams", { name: "Field Partners", managerIds: [ruth] })).statusCode).toBe(201);
    expect(await placesHolding(prisma, ["Ruth Okafor", "ruth.okafor@example.com"])).not.toEqual([]);

    const erased = await call("alex", "POST", `/api/people/${ruth}/erase`, { confirmEmail: "ruth.om@example.com" });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(await placesHolding(prisma, ["Ruth Okafor", "Okafor-Mensah", "ruth.okafor@example.com", "ruth.om@example.com"])).toEqual([]);
    const teamCreated = await prisma.auditEntry.findFirstOrThrow({ where: { action: "team.created", details: { path: ["name"], equals: "Field Partners" } } });
    expect(teamCreated.details).toMatchObject({ name: "Field Partners", managers: ["(erased)"] });
  });

  it("erases transcripts past the retention period and keeps recent ones, once however many sweeps run", async () => {
    const retention = server.services.retention;
    if (!retention) throw new Error("SPAR_RETENTION_DAYS is set for this test: the retention service should exist");
    const programmeBefore = await programme();
    const kept = await prisma.practiceSession.findMany({
      where: { status: "ended", transcriptErasedAt: null },
      select: { id: true, endedAt: true, scorecards: { orderBy: { id: "asc" }, select: { overall: true, criteria: { orderBy: { criterionId: "asc" }, select: { level: true } } } } },
      orderBy: { endedAt: "asc" },
    });
    expect(kept.length).toBeGreaterThan(8);
    // Move the clock so that the retention period ends at the middle session: older ones are due.
    const middle = kept[Math.floor(kept.length / 2)]?.endedAt as Date;
    clock.advance(middle.getTime() + 30 * day - clock.now().getTime());
    const due = kept.filter((session) => (session.endedAt as Date) < middle);
    const recent = kept.filter((session) => !due.includes(session));
    expect(due.length).toBeGreaterThan(0);

    const swept = await retention.sweep();
    expect(swept).toMatchObject({ sessions: due.length, cutoff: middle });
    expect(swept.turns).toBeGreaterThan(0);
    const after = await prisma.practiceSession.findMany({
      where: { id: { in: kept.map((session) => session.id) } },
      select: { id: true, transcriptErasedAt: true, _count: { select: { turns: true } }, scorecards: { orderBy: { id: "asc" }, select: { overall: true, criteria: { orderBy: { criterionId: "asc" }, select: { level: true, rationale: true, evidence: true } } } } },
    });
    const byId = new Map(after.map((session) => [session.id, session]));
    for (const session of due) {
      const now = byId.get(session.id);
      expect(now?.transcriptErasedAt).not.toBeNull();
      expect(now?._count.turns).toBe(0);
      expect(now?.scorecards.flatMap((scorecard) => scorecard.criteria).every((criterion) => criterion.rationale === "" && JSON.stringify(criterion.evidence) === "[]")).toBe(true);
      // The scores stay.
      expect(now?.scorecards.map((scorecard) => [scorecard.overall, scorecard.criteria.map((criterion) => criterion.level)])).toEqual(
        session.scorecards.map((scorecard) => [scorecard.overall, scorecard.criteria.map((criterion) => criterion.level)]),
      );
    }
    for (const session of recent) {
      expect(byId.get(session.id)?.transcriptErasedAt).toBeNull();
      expect(byId.get(session.id)?._count.turns).toBeGreaterThan(0);
    }
    expect((await retention.sweep()).sessions).toBe(0);

    // A later cutoff, swept by two processes' worth of sweepers at once in small batches.
    const later = recent[Math.floor(recent.length / 2)]?.endedAt as Date;
    clock.advance(later.getTime() + 30 * day - clock.now().getTime());
    const dueLater = recent.filter((session) => (session.endedAt as Date) < later);
    const sweeper = () => new TranscriptRetention({ store: new PrismaTranscriptRetention(prisma), clock, retentionDays: 30, batchSize: 3 });
    const together = await Promise.all([sweeper().sweep(), sweeper().sweep()]);
    expect(together.reduce((sum, each) => sum + each.sessions, 0)).toBe(dueLater.length);
    expect(await prisma.practiceSession.count({ where: { id: { in: dueLater.map((session) => session.id) }, transcriptErasedAt: null } })).toBe(0);
    expect(await prisma.turn.count({ where: { sessionId: { in: dueLater.map((session) => session.id) } } })).toBe(0);

    // A week on, the admin signs in again: the programme's numbers have not moved.
    cookies.alex = await demoSignIn(server.app, emails.alex);
    expect(await programme()).toEqual(programmeBefore);
    // And an erased transcript cannot be sent back to be scored from nothing, not even with its
    // whole rubric.
    const erased = await prisma.practiceSession.findUniqueOrThrow({ where: { id: due[0]?.id as string }, select: { scoringStatus: true, rubricVersion: { select: { rubricId: true } } } });
    const rescore = await call("alex", "POST", "/api/programme/rescore", { rubricId: erased.rubricVersion.rubricId, rubric: "original" });
    expect(rescore.statusCode).toBe(202);
    expect((await prisma.practiceSession.findUniqueOrThrow({ where: { id: due[0]?.id as string }, select: { scoringStatus: true } })).scoringStatus).toBe(erased.scoringStatus);
  });

  it.runIf(kind === "postgresql")(
    "exports and erases from the spar command, and names an unknown address",
    async () => {
      const environment = { DATABASE_URL: server.database.url as string };
      const scratch = await mkdtemp(path.join(os.tmpdir(), "spar-rights-"));
      try {
        const printed = await runCli(["people", "export", emails.lena], environment);
        expect(printed.stderr).toBe("");
        expect(printed.code).toBe(0);
        const document = PersonExport.parse(JSON.parse(printed.stdout));
        expect(document.person).toMatchObject({ id: ids.lena, email: emails.lena });
        expect(document.sessions.length).toBeGreaterThan(0);

        const file = path.join(scratch, "lena.json");
        const written = await runCli(["people", "export", emails.lena, "--out", file], environment);
        expect(written.code).toBe(0);
        expect(written.stdout).toContain(file);
        expect(PersonExport.parse(JSON.parse(await readFile(file, "utf8"))).person.id).toBe(ids.lena);
        const viaCli = await prisma.auditEntry.findMany({ where: { action: "person.exported", subjectUserId: ids.lena } });
        expect(viaCli).toHaveLength(2);
        expect(viaCli.every((entry) => entry.actorId === null && (entry.details as { via?: string }).via === "cli")).toBe(true);

        const unknown = await runCli(["people", "export", "nobody@demo.example"], environment);
        expect(unknown.code).toBe(1);
        expect(unknown.stdout).toBe("");
        expect(unknown.stderr.trim()).toBe("No person has the e-mail address nobody@demo.example.");
        const unknownErase = await runCli(["people", "erase", "nobody@demo.example", "--yes"], environment);
        expect(unknownErase.code).toBe(1);
        expect(unknownErase.stderr.trim()).toBe("No person has the e-mail address nobody@demo.example.");

        // Piped, with no terminal to type the confirmation on and no --yes: refused, nothing erased.
        const unconfirmed = await runCli(["people", "erase", emails.kenji], environment, "");
        expect(unconfirmed.code).toBe(1);
        expect(unconfirmed.stderr).toContain("pass --yes");
        expect(await prisma.user.findUniqueOrThrow({ where: { id: ids.kenji } })).toMatchObject({ erasedAt: null, name: "Kenji Watanabe" });

        const erased = await runCli(["people", "erase", emails.kenji, "--yes"], environment);
        expect(erased.stderr).toBe("");
        expect(erased.code).toBe(0);
        expect(erased.stdout).toMatch(new RegExp(`^Erased ${emails.kenji.replaceAll(".", "\\.")}: \\d+ practice sessions`));
        expect(await prisma.user.findUniqueOrThrow({ where: { id: ids.kenji } })).toMatchObject({ name: "Erased person", erasedAt: expect.any(Date) });
        expect(await placesHolding(prisma, ["Kenji Watanabe", emails.kenji])).toEqual([]);
        expect((await call("kenji", "GET", "/api/auth/me")).statusCode).toBe(401);

        const sweep = await runCli(["retention", "sweep"], { ...environment, SPAR_RETENTION_DAYS: "36500" });
        expect(sweep.code).toBe(0);
        expect(sweep.stdout).toMatch(/^Erased the transcripts of 0 sessions that ended before /);
        const off = await runCli(["retention", "sweep"], environment);
        expect(off.stdout).toContain("SPAR_RETENTION_DAYS is not set");
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },
    300_000,
  );
});

describe("the retention schedule (PGlite)", () => {
  it("sweeps at start-up and logs what it erased, and stops with the app", async () => {
    const lines: { msg?: string; sessions?: number; retentionDays?: number }[] = [];
    let logged: () => void = () => {};
    const sweptOnce = new Promise<void>((resolve) => {
      logged = resolve;
    });
    const server = await startTestApp("pglite", {
      environment: { SPAR_RETENTION_DAYS: "90" },
      logger: {
        level: "info",
        stream: {
          write: (line: string) => {
            const entry = JSON.parse(line) as { msg?: string; sessions?: number; retentionDays?: number };
            lines.push(entry);
            if (entry.msg === "transcript retention sweep") logged();
          },
        },
      },
    });
    try {
      await sweptOnce;
      expect(lines.find((entry) => entry.msg === "transcript retention sweep")).toMatchObject({ sessions: 0, retentionDays: 90 });
    } finally {
      await server.close();
    }
  });
});
