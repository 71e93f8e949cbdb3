// Manager adjudication over HTTP, on the demo organisation with its practice history: a manager
// sets a criterion of a report's scorecard to another level with a reason and comments on a turn;
// the scorecard shows both levels to manager and learner, history, trends, the brief and the
// programme view follow the level in force, every override is kept and audited, and nobody else
// gets in. On PostgreSQL, racing overrides are all kept with one in force.
import { type DatabaseKind, openDatabase, PrismaAdjudications, PrismaTeamDirectory } from "@spar/db";
import { databaseKinds } from "@spar/db/testing";
import { ScoreAdjudication } from "@spar/domain";
import { ErrorBody, LearnerHistory, LevelOverrideHistory, LevelOverrideView, PersonBriefView, ProgrammeView, ScorecardView, TeamOverview, TurnComments, TurnCommentView } from "@spar/protocol";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

type Who = "tomas" | "sam" | "priya" | "jordan" | "alex";
const emails: Record<Who, string> = {
  tomas: "tomas.ortega@demo.example",
  sam: "sam.whitaker@demo.example",
  priya: "priya.natarajan@demo.example",
  jordan: "jordan.reyes@demo.example",
  alex: "alex.morgan@demo.example",
};
const Scorecards = z.object({ scorecards: z.array(ScorecardView) });

/** The weighted mean of the levels shown, as the rubric's overall is worked out. */
const weightedOverall = (scorecard: ScorecardView) => {
  const total = scorecard.criteria.reduce((sum, criterion) => sum + criterion.level * criterion.weight, 0);
  const weights = scorecard.criteria.reduce((sum, criterion) => sum + criterion.weight, 0);
  return Math.round((total / weights) * 100) / 100;
};
/** A level other than `level`, one step towards the middle of the scale. */
const anotherLevel = (level: number) => (level <= 2 ? level + 1 : level - 1);

describe.each(databaseKinds)("manager adjudication (%s)", (kind: DatabaseKind) => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  const cookies = new Map<Who, string>();
  let tomasId: string;
  let teamId: string;
  let sessionId: string;
  let scorecard: ScorecardView;

  beforeAll(async () => {
    server = await startTestApp(kind, { environment: { SPAR_DEMO_HISTORY: "on" } });
    for (const [who, email] of Object.entries(emails)) cookies.set(who as Who, await demoSignIn(server.app, email));
    const prisma = server.database.prisma;
    tomasId = (await prisma.user.findUniqueOrThrow({ where: { email: emails.tomas } })).id;
    teamId = (await prisma.team.findUniqueOrThrow({ where: { name: "Mid-Market Sales" } })).id;
    sessionId = (await prisma.practiceSession.findFirstOrThrow({ where: { learnerId: tomasId, scorecards: { some: {} } }, orderBy: { startedAt: "desc" } })).id;
    scorecard = (await scorecardsOf("priya"))[0] as ScorecardView;
  }, 180_000);
  afterAll(() => server?.close());

  const call = (who: Who, method: "GET" | "POST", url: string, payload?: object) =>
    server.app.inject({ method, url, headers: { cookie: cookies.get(who) as string }, ...(payload ? { payload } : {}) });
  const scorecardsOf = async (who: Who) => Scorecards.parse((await call(who, "GET", `/api/practice-sessions/${sessionId}/scorecards`)).json()).scorecards;
  const overrideUrl = (criterionId: string, card = scorecard.id) => `/api/scorecards/${card}/criteria/${criterionId}/override`;

  it("lets the learner's manager set a criterion to another level with a reason, and shows both levels to manager and learner", async () => {
    const criterion = scorecard.criteria[0];
    if (!criterion) throw new Error("the demo scorecard has no criteria");
    const wanted = anotherLevel(criterion.level);
    const response = await call("priya", "POST", overrideUrl(criterion.criterionId), { level: wanted, reason: "  On the call she named the budget freeze before he did.  " });
    expect(response.statusCode, response.body).toBe(201);
    const { override } = z.object({ override: LevelOverrideView }).parse(response.json());
    expect(override).toMatchObject({ criterionId: criterion.criterionId, scorerLevel: criterion.level, level: wanted, reason: "On the call she named the budget freeze before he did.", by: { name: "Priya Natarajan" }, inForce: true });

    for (const who of ["priya", "tomas"] as const) {
      const [seen] = await scorecardsOf(who);
      const shown = seen?.criteria.find((each) => each.criterionId === criterion.criterionId);
      expect(shown, who).toMatchObject({ level: wanted, scorerLevel: criterion.level, override: { level: wanted, reason: override.reason, by: { name: "Priya Natarajan" }, at: override.at } });
      expect(seen?.overall, who).toBe(weightedOverall(seen as ScorecardView));
      expect(seen?.scorerOverall, who).toBe(scorecard.overall);
      expect(seen?.passed, who).toBe((seen?.overall ?? 0) >= (seen?.passMark ?? 5));
    }
    const untouched = (await scorecardsOf("tomas"))[0]?.criteria.slice(1) ?? [];
    expect(untouched.every((each) => each.override === null && each.level === each.scorerLevel)).toBe(true);
  });

  it("feeds the level in force to history, trends, the team overview and the one-to-one brief", async () => {
    const criterion = scorecard.criteria[1];
    if (!criterion) throw new Error("the demo scorecard has fewer than two criteria");
    const briefBefore = PersonBriefView.parse((await call("priya", "GET", `/api/people/${tomasId}/brief`)).json());
    const overviewBefore = TeamOverview.parse((await call("priya", "GET", `/api/teams/${teamId}/overview`)).json());
    const wanted = anotherLevel(criterion.level);
    expect((await call("priya", "POST", overrideUrl(criterion.criterionId), { level: wanted, reason: "Asked about the renewal date twice, as an open question." })).statusCode).toBe(201);
    const [now] = await scorecardsOf("priya");
    if (!now) throw new Error("the scorecard went away");

    const history = LearnerHistory.parse((await call("tomas", "GET", `/api/learners/${tomasId}/history`)).json());
    expect(history.sessions.find((each) => each.sessionId === sessionId)?.score).toMatchObject({ overall: now.overall, passed: now.passed });
    const point = history.trends.find((trend) => trend.competency === now.criteria[0]?.competency)?.points.find((each) => each.sessionId === sessionId);
    const levels = now.criteria.map((each) => each.level);
    expect(point?.level).toBe(Math.round((levels.reduce((sum, level) => sum + level, 0) / levels.length) * 100) / 100);

    const briefAfter = PersonBriefView.parse((await call("priya", "GET", `/api/people/${tomasId}/brief`)).json());
    const before = briefBefore.criteria.find((each) => each.criterionId === criterion.criterionId);
    const after = briefAfter.criteria.find((each) => each.criterionId === criterion.criterionId);
    expect(after?.attempts).toBe(before?.attempts);
    expect(after?.meanLevel).toBeCloseTo((before?.meanLevel ?? 0) + (wanted - criterion.level) / (before?.attempts ?? 1), 1);

    const overviewAfter = TeamOverview.parse((await call("priya", "GET", `/api/teams/${teamId}/overview`)).json());
    const row = (overview: TeamOverview) => overview.members.find((member) => member.id === tomasId);
    expect(row(overviewAfter)?.overallPoints.at(-1)).toBe(now.overall);
    expect(row(overviewAfter)?.overallPoints.at(-1)).not.toBe(row(overviewBefore)?.overallPoints.at(-1));
  });

  it("keeps every override, newest in force, readable by the learner, their manager and L&D, and audited", async () => {
    const criterion = scorecard.criteria[0];
    if (!criterion) throw new Error("no criteria");
    // L&D adjudicates too: back to the scorer's level.
    const back = await call("alex", "POST", overrideUrl(criterion.criterionId), { level: criterion.level, reason: "The scorer had it right: the budget point came from the persona." });
    expect(back.statusCode, back.body).toBe(201);
    const [now] = await scorecardsOf("tomas");
    expect(now?.criteria[0]).toMatchObject({ level: criterion.level, scorerLevel: criterion.level, override: { level: criterion.level, by: { name: "Alex Morgan" } } });

    const history = LevelOverrideHistory.parse((await call("tomas", "GET", `/api/scorecards/${scorecard.id}/overrides`)).json());
    const ofCriterion = history.overrides.filter((each) => each.criterionId === criterion.criterionId);
    expect(ofCriterion.map((each) => [each.level, each.by?.name, each.inForce])).toEqual([
      [criterion.level, "Alex Morgan", true],
      [anotherLevel(criterion.level), "Priya Natarajan", false],
    ]);
    expect((await call("priya", "GET", `/api/scorecards/${scorecard.id}/overrides`)).statusCode).toBe(200);
    expect((await call("alex", "GET", `/api/scorecards/${scorecard.id}/overrides`)).statusCode).toBe(200);
    for (const who of ["sam", "jordan"] as const) expect((await call(who, "GET", `/api/scorecards/${scorecard.id}/overrides`)).statusCode, who).toBe(403);

    const audited = await server.database.prisma.auditEntry.findMany({ where: { action: "score.overridden", resourceId: scorecard.id }, orderBy: { at: "asc" } });
    expect(audited).toHaveLength(3);
    expect(audited.every((entry) => entry.subjectUserId === tomasId)).toBe(true);
    expect(audited.at(-1)?.details).toEqual({ criterionId: criterion.criterionId, from: anotherLevel(criterion.level), to: criterion.level, scorerLevel: criterion.level });
  });

  it("refuses the learner, other learners and another team's manager, whatever they send", async () => {
    const criterionId = scorecard.criteria[0]?.criterionId ?? "";
    for (const who of ["tomas", "sam"] as const) {
      const refused = await call(who, "POST", overrideUrl(criterionId), { level: 4, reason: "I think I did well." });
      expect(refused.statusCode, who).toBe(403);
    }
    const jordan = await call("jordan", "POST", overrideUrl(criterionId), { level: 4, reason: "Looks fine to me." });
    expect(jordan.statusCode).toBe(403);
    expect(ErrorBody.parse(jordan.json()).error.message).toContain("people you manage");
    expect(await server.database.prisma.scoreOverride.count({ where: { scorecardId: scorecard.id, author: { email: { in: [emails.tomas, emails.sam, emails.jordan] } } } })).toBe(0);
  });

  it("answers bad input with a clear 4xx", async () => {
    const criterion = scorecard.criteria[2] ?? scorecard.criteria[0];
    if (!criterion) throw new Error("no criteria");
    const post = (url: string, payload: object) => call("priya", "POST", url, payload);
    const cases: [string, object, number, string][] = [
      [overrideUrl(criterion.criterionId), { level: 5, reason: "x" }, 400, "choose a level from 1 to 4"],
      [overrideUrl(criterion.criterionId), { level: 2.5, reason: "x" }, 400, "choose a level from 1 to 4"],
      [overrideUrl(criterion.criterionId), { level: "high", reason: "x" }, 400, "choose a level from 1 to 4"],
      [overrideUrl(criterion.criterionId), { level: 3, reason: "   " }, 400, "say why the level should change"],
      [overrideUrl(criterion.criterionId), { level: 3 }, 400, "say why the level should change"],
      [overrideUrl(criterion.criterionId), { level: 3, reason: "x".repeat(1_001) }, 400, "keep the reason under 1000 characters"],
      [overrideUrl(criterion.criterionId), { level: criterion.level, reason: "Same again." }, 409, `already at level ${criterion.level}`],
      [overrideUrl("no-such-criterion"), { level: 3, reason: "x" }, 404, "no-such-criterion"],
      [overrideUrl("Not A Slug!"), { level: 3, reason: "x" }, 400, "criterion id"],
      [overrideUrl(criterion.criterionId, crypto.randomUUID()), { level: 3, reason: "x" }, 404, "This scorecard was not found"],
      [overrideUrl(criterion.criterionId, "not-a-uuid"), { level: 3, reason: "x" }, 400, "scorecard id"],
    ];
    for (const [url, payload, status, message] of cases) {
      const response = await post(url, payload);
      expect(response.statusCode, `${url} ${JSON.stringify(payload).slice(0, 60)}`).toBe(status);
      expect(ErrorBody.parse(response.json()).error.message).toContain(message);
    }
  });

  it("lets the manager comment on a transcript turn, shown to the learner, and refuses everyone else", async () => {
    const turns = await server.database.prisma.turn.findMany({ where: { sessionId }, orderBy: { seq: "asc" } });
    const learnerTurn = turns.find((turn) => turn.speaker === "learner");
    if (!learnerTurn) throw new Error("the demo session has no learner turn");
    const url = `/api/practice-sessions/${sessionId}/turns/${learnerTurn.seq}/comments`;
    const created = await call("priya", "POST", url, { body: "  Good: you let the silence work here.  " });
    expect(created.statusCode, created.body).toBe(201);
    expect(z.object({ comment: TurnCommentView }).parse(created.json()).comment).toMatchObject({ turn: learnerTurn.seq, body: "Good: you let the silence work here.", by: { name: "Priya Natarajan" } });
    expect((await call("priya", "POST", url, { body: "And a second thought." })).statusCode).toBe(201);

    const seen = TurnComments.parse((await call("tomas", "GET", `/api/practice-sessions/${sessionId}/comments`)).json());
    expect(seen.comments.map((comment) => [comment.turn, comment.body])).toEqual([
      [learnerTurn.seq, "Good: you let the silence work here."],
      [learnerTurn.seq, "And a second thought."],
    ]);
    for (const who of ["sam", "jordan", "alex"] as const) {
      expect((await call(who, "GET", `/api/practice-sessions/${sessionId}/comments`)).statusCode, who).toBe(403);
      expect((await call(who, "POST", url, { body: "Not mine to say." })).statusCode, who).toBe(403);
    }
    expect((await call("tomas", "POST", url, { body: "Replying to myself." })).statusCode).toBe(403);

    const bad: [string, object, number, string][] = [
      [`/api/practice-sessions/${sessionId}/turns/999/comments`, { body: "x" }, 404, "Turn 999"],
      [`/api/practice-sessions/${sessionId}/turns/0/comments`, { body: "x" }, 400, "turn number"],
      [`/api/practice-sessions/${sessionId}/turns/two/comments`, { body: "x" }, 400, "turn number"],
      [url, { body: " " }, 400, "write a comment"],
      [url, { body: "x".repeat(2_001) }, 400, "keep the comment under 2000 characters"],
      [`/api/practice-sessions/${crypto.randomUUID()}/turns/1/comments`, { body: "x" }, 404, "This practice session"],
    ];
    for (const [path, payload, status, message] of bad) {
      const response = await call("priya", "POST", path, payload);
      expect(response.statusCode, path).toBe(status);
      expect(ErrorBody.parse(response.json()).error.message).toContain(message);
    }
    expect(await server.database.prisma.auditEntry.count({ where: { action: "turn.commented", resourceId: sessionId } })).toBe(2);
  });

  /** Five people practise one scenario through the practice service and are scored, so one rubric has a group big enough to show. */
  async function fivePractise(scenarioId: string) {
    const prisma = server.database.prisma;
    const learners = await prisma.user.findMany({ where: { role: "learner", email: { endsWith: "@demo.example" } }, take: 5, orderBy: { email: "asc" } });
    const example = server.library.library.examples.find((each) => each.value.scenario === scenarioId && each.value.label === "strong");
    const lines = example?.value.turns.filter((turn) => turn.speaker === "learner").map((turn) => turn.text).slice(0, 2) ?? [];
    const ids: string[] = [];
    for (const learner of learners) {
      const started = await server.practice.start(learner.id, scenarioId);
      if (!started.ok) throw new Error(`could not start ${scenarioId}: ${JSON.stringify(started)}`);
      for (const [index, line] of lines.entries()) {
        const submitted = await server.practice.submitTurn(learner.id, started.session.id, `drift-${index}`, line);
        if (!submitted.ok || submitted.ended) break;
        await server.practice.reply(started.session.id, { signal: new AbortController().signal, onStart: () => {}, onDelta: () => {} });
      }
      await server.practice.end(learner.id, started.session.id);
      ids.push(started.session.id);
    }
    // Scored here rather than waiting on the worker's poll; the worker may take some of them too.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const waiting = await prisma.practiceSession.count({ where: { id: { in: ids }, scoringStatus: { not: "done" } } });
      if (waiting === 0) return;
      await server.scoring.scoreNext("adjudication-test");
    }
    throw new Error("the five practice sessions were not scored in time");
  }

  it("shows L&D how often and which way managers overrode each criterion, small groups suppressed", async () => {
    const programme = async () => ProgrammeView.parse((await call("alex", "GET", "/api/programme")).json());
    // Tomás's rubric is practised by fewer than five demo people: his overrides hide in a suppressed row.
    const his = (await programme()).overrides.find((each) => each.rubricId === scorecard.rubric.id && each.criterionId === scorecard.criteria[1]?.criterionId);
    expect(his).toMatchObject({ suppressed: true, people: null });

    await fivePractise("missed-deadline");
    const before = await programme();
    const shown = before.overrides.find((each) => !each.suppressed && each.rubricId === "difficult-conversations");
    if (!shown || shown.suppressed) throw new Error("five people practised, yet their rubric is suppressed");
    expect(shown.people).toBeGreaterThanOrEqual(before.minimumGroupSize);

    // L&D overrides one scorecard on that rubric and criterion, down one level.
    const prisma = server.database.prisma;
    const sessions = await prisma.practiceSession.findMany({
      where: { status: "ended", scorecards: { some: { rubricVersion: { rubricId: shown.rubricId } } } },
      include: { scorecards: { orderBy: { createdAt: "desc" }, take: 1, include: { criteria: true } } },
    });
    const target = sessions
      .map((session) => ({ card: session.scorecards[0], criterion: session.scorecards[0]?.criteria.find((each) => each.criterionId === shown.criterionId) }))
      .find(({ criterion }) => criterion !== undefined && criterion.level > 1);
    if (!target?.card || !target.criterion) throw new Error("no scorecard to override on that criterion");
    const response = await call("alex", "POST", overrideUrl(shown.criterionId, target.card.id), { level: target.criterion.level - 1, reason: "Calibration review: generous on this criterion." });
    expect(response.statusCode, response.body).toBe(201);

    const after = (await programme()).overrides.find((each) => each.rubricId === shown.rubricId && each.criterionId === shown.criterionId);
    expect(after).toMatchObject({ suppressed: false, people: shown.people, scored: shown.scored, overridden: shown.overridden + 1, up: shown.up, down: shown.down + 1 });
    for (const each of before.overrides) if (each.suppressed) expect(each.people).toBeNull();
    const csv = await call("alex", "GET", "/api/programme/overrides.csv");
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split("\n")[0]).toBe("rubric,criterion,people,scored,overridden,up,down,mean_change,suppressed");
    expect(csv.body).toContain(`${shown.rubricId},${shown.criterionId},${shown.people},${shown.scored},${shown.overridden + 1},`);
  });

  it.runIf(kind === "postgresql")("keeps every one of racing overrides from two server processes, with the last to take the lock in force", async () => {
    // A second process: its own connection pool on the same database.
    const other = await openDatabase({ kind: "postgresql", url: server.database.url as string, poolSize: 4 });
    try {
      const prisma = server.database.prisma;
      const here = new ScoreAdjudication({ store: new PrismaAdjudications(prisma), teams: new PrismaTeamDirectory(prisma), library: () => server.library.library });
      const there = new ScoreAdjudication({ store: new PrismaAdjudications(other.prisma), teams: new PrismaTeamDirectory(other.prisma), library: () => server.library.library });
      const priya = { id: (await prisma.user.findUniqueOrThrow({ where: { email: emails.priya } })).id, role: "manager" as const };
      const alex = { id: (await prisma.user.findUniqueOrThrow({ where: { email: emails.alex } })).id, role: "ld_admin" as const };
      const sessions = await prisma.practiceSession.findMany({
        where: { learnerId: tomasId, scorecards: { some: {} }, id: { not: sessionId } },
        orderBy: { startedAt: "desc" },
        take: 4,
        include: { scorecards: { orderBy: { createdAt: "desc" }, take: 1, include: { criteria: true } } },
      });
      expect(sessions.length).toBeGreaterThanOrEqual(2);
      for (const session of sessions) {
        const card = session.scorecards[0];
        const criterion = card?.criteria[0];
        if (!card || !criterion) throw new Error("a scored session without criteria");
        // Three levels, all different from the scorer's and from each other: any order keeps all three.
        const levels = [1, 2, 3, 4].filter((level) => level !== criterion.level);
        const results = await Promise.all(
          levels.map((level, index) =>
            (index % 2 === 0 ? here : there).overrideLevel(index === 1 ? alex : priya, card.id, criterion.criterionId, { level, reason: `Race to level ${level}` }),
          ),
        );
        expect(results.map((result) => result.ok)).toEqual([true, true, true]);
        const kept = await prisma.scoreOverride.findMany({ where: { scorecardId: card.id, criterionId: criterion.criterionId }, orderBy: { seq: "asc" } });
        expect(kept.map((row) => row.seq)).toEqual([1, 2, 3]);
        expect(kept.map((row) => row.level).sort()).toEqual(levels);
        const inForce = kept.at(-1);
        const view = Scorecards.parse((await call("priya", "GET", `/api/practice-sessions/${session.id}/scorecards`)).json()).scorecards[0];
        const shown = view?.criteria.find((each) => each.criterionId === criterion.criterionId);
        expect(shown).toMatchObject({ level: inForce?.level, scorerLevel: criterion.level, override: { reason: inForce?.reason } });
        // The session's score in brief, written under the same lock, agrees with the override in force.
        const stored = await prisma.practiceSession.findUniqueOrThrow({ where: { id: session.id }, select: { latestScore: true } });
        expect(stored.latestScore).toMatchObject({ overall: view?.overall, passed: view?.passed });
        expect(await prisma.auditEntry.count({ where: { action: "score.overridden", resourceId: card.id } })).toBe(3);
      }
    } finally {
      await other.close();
    }
  });

  it("erasing the person erases the comments and the reasons with the transcript, and keeps the adjusted levels", async () => {
    const prisma = server.database.prisma;
    const overridesBefore = await prisma.scoreOverride.findMany({ where: { scorecardId: scorecard.id }, orderBy: [{ criterionId: "asc" }, { seq: "asc" }] });
    expect(overridesBefore.length).toBeGreaterThan(0);
    expect(await prisma.turnComment.count({ where: { sessionId } })).toBeGreaterThan(0);
    const erased = await call("alex", "POST", `/api/people/${tomasId}/erase`, { confirmEmail: emails.tomas });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(await prisma.turnComment.count({ where: { sessionId } })).toBe(0);
    const overridesAfter = await prisma.scoreOverride.findMany({ where: { scorecardId: scorecard.id }, orderBy: [{ criterionId: "asc" }, { seq: "asc" }] });
    expect(overridesAfter.map((each) => [each.criterionId, each.seq, each.level, each.reason])).toEqual(overridesBefore.map((each) => [each.criterionId, each.seq, each.level, ""]));
  });
});
