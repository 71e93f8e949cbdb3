import { randomUUID } from "node:crypto";
import path from "node:path";
import { initialPersonaState, type LearnerTurnOutcome, loadLibrary, type StartLimits } from "@spar/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readYamlTree, repositoryRoot } from "../../domain/test/library/read-files.ts";
import { PrismaAccountStore, PrismaLibraryVersions, PrismaPracticeStore } from "../src/index.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../src/testing/index.ts";

const { library } = await loadLibrary(await readYamlTree(path.join(repositoryRoot, "scenarios")));
const scenario = library.scenarios.get("price-objection");
const rubric = scenario && library.rubrics.get(scenario.value.rubric);
if (!scenario || !rubric) throw new Error("the shipped library lacks price-objection");

// Turns are appended by single statements that race only through the session's row lock.
describe.each(databaseKinds)("practice store on %s", (kind) => {
  let database: TestDatabase;
  let store: PrismaPracticeStore;
  let learnerId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    store = new PrismaPracticeStore(database.prisma);
    await new PrismaLibraryVersions(database.prisma).record(library);
    const learner = await new PrismaAccountStore(database.prisma).createUser({ email: `${randomUUID()}@test.example`, name: "L", role: "learner", passwordHash: "h" });
    learnerId = learner.id;
  });
  afterAll(() => database?.close());

  const newSessionRow = (forLearner: string, limits: Partial<StartLimits> = {}) =>
    store.createSession(
      {
        learnerId: forLearner,
        scenarioHash: scenario.contentHash,
        rubricHash: rubric.contentHash,
        engine: "llm",
        model: "m",
        personaState: initialPersonaState(scenario.value),
        openingLine: "Hello.",
        at: new Date(),
        endsBy: new Date(Date.now() + 3_600_000),
      },
      { scenarioId: "price-objection", maxAttempts: null, maxActiveSessions: 1_000, activeSince: new Date(0), ...limits },
    );
  const newSession = async () => {
    const created = await newSessionRow(learnerId);
    if (created.kind !== "created") throw new Error(`no session: ${created.kind}`);
    return created.session;
  };
  const seqOf = (outcome: LearnerTurnOutcome) => ("turn" in outcome ? outcome.turn.seq : 0);
  const personaCommit = (answersSeq: number, text: string) => ({
    answersSeq,
    afterSeq: answersSeq,
    text,
    status: "complete" as const,
    interruption: null,
    guarded: false,
    personaState: initialPersonaState(scenario.value),
    usage: { inputTokens: 10, outputTokens: 2, cachedTokens: 8 },
    at: new Date(),
    end: null,
  });

  it("stores a turn sent twice at once exactly once, and answers the second as a duplicate", async () => {
    const session = await newSession();
    const turn = { clientMessageId: "c1", text: "Why now?", acts: [], at: new Date() };
    const results = await Promise.all([store.appendLearnerTurn(session.id, turn), store.appendLearnerTurn(session.id, turn)]);
    expect(results.map((result) => result.kind).sort()).toEqual(["duplicate", "stored"]);
    expect(results.map(seqOf)).toEqual([2, 2]);
    const found = await store.findSession(session.id);
    expect(found?.turns.map((each) => [each.seq, each.speaker])).toEqual([
      [1, "persona"],
      [2, "learner"],
    ]);
  });

  it("takes one of twenty new learner turns sent at once, and refuses the rest until the persona answers", async () => {
    const session = await newSession();
    const sends = Array.from({ length: 20 }, (_, index) =>
      store.appendLearnerTurn(session.id, { clientMessageId: `burst-${index}`, text: `Turn ${index}.`, acts: [], at: new Date() }),
    );
    const outcomes = await Promise.all(sends);
    expect(outcomes.filter((outcome) => outcome.kind === "stored")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.kind === "awaiting-reply")).toHaveLength(19);
    await store.appendPersonaTurn(session.id, personaCommit(2, "Go on."));
    const next = await store.appendLearnerTurn(session.id, { clientMessageId: "after", text: "Thanks.", acts: [], at: new Date() });
    expect(next.kind).toBe("stored");
    const found = await store.findSession(session.id);
    expect(found?.turns.map((each) => each.speaker)).toEqual(["persona", "learner", "persona", "learner"]);
  });

  it("lets twenty simultaneous starts fit the open-session and attempt limits, never more", async () => {
    const accounts = new PrismaAccountStore(database.prisma);
    const racer = await accounts.createUser({ email: `${randomUUID()}@test.example`, name: "R", role: "learner", passwordHash: "h" });
    const opened = await Promise.all(Array.from({ length: 20 }, () => newSessionRow(racer.id, { maxActiveSessions: 3 })));
    expect(opened.filter((outcome) => outcome.kind === "created")).toHaveLength(3);
    expect(opened.filter((outcome) => outcome.kind === "too-many-sessions")).toHaveLength(17);

    const assessed = await accounts.createUser({ email: `${randomUUID()}@test.example`, name: "A", role: "learner", passwordHash: "h" });
    const attempts = await Promise.all(Array.from({ length: 20 }, () => newSessionRow(assessed.id, { maxAttempts: 2 })));
    expect(attempts.filter((outcome) => outcome.kind === "created")).toHaveLength(2);
    expect(attempts.filter((outcome) => outcome.kind === "attempts-used")).toHaveLength(18);
    expect(await store.countAttempts(assessed.id, "price-objection")).toBe(2);
  });

  it("keeps one persona answer when two processes answer the same turn", async () => {
    const session = await newSession();
    await store.appendLearnerTurn(session.id, { clientMessageId: "c1", text: "Why now?", acts: [], at: new Date() });
    const answers = await Promise.all([store.appendPersonaTurn(session.id, personaCommit(2, "First.")), store.appendPersonaTurn(session.id, personaCommit(2, "Second."))]);
    expect(answers.filter((answer) => answer !== null)).toHaveLength(1);
    const found = await store.findSession(session.id);
    expect(found?.turns.map((each) => each.seq)).toEqual([1, 2, 3]);
    const tokens = await database.prisma.turn.findFirstOrThrow({ where: { sessionId: session.id, seq: 3 } });
    expect([tokens.inputTokens, tokens.outputTokens, tokens.cachedTokens]).toEqual([10, 2, 8]);
  });

  it("ends a session with its closing line and its persona turn's end, and takes no turn after", async () => {
    const session = await newSession();
    await store.appendLearnerTurn(session.id, { clientMessageId: "c1", text: "Goodbye.", acts: [], at: new Date() });
    const closing = await store.appendPersonaTurn(session.id, { ...personaCommit(2, "Bye then."), end: "persona-ended" });
    expect(closing?.seq).toBe(3);
    const ended = await store.findSession(session.id);
    expect([ended?.status, ended?.endReason]).toEqual(["ended", "persona-ended"]);
    const row = await database.prisma.practiceSession.findUniqueOrThrow({ where: { id: session.id } });
    // One learner turn is too short to score, however the session ends.
    expect([row.scoringStatus, row.lastSeq]).toEqual(["too_short", 3]);
    expect(await store.appendLearnerTurn(session.id, { clientMessageId: "c2", text: "Wait.", acts: [], at: new Date() })).toEqual({ kind: "session-ended" });
    expect(await store.endSession(session.id, { reason: "learner-ended", at: new Date(), closingLine: null })).toBe(false);

    const other = await newSession();
    expect(await store.endSession(other.id, { reason: "time-limit", at: new Date(), closingLine: "Out of time." })).toBe(true);
    const timedOut = await store.findSession(other.id);
    expect(timedOut?.turns.map((each) => [each.seq, each.text])).toEqual([
      [1, "Hello."],
      [2, "Out of time."],
    ]);
  });

  it("queues an ended session for scoring only with two learner turns, and counts no attempt for a shorter one", async () => {
    const scoringStatus = async (id: string) => (await database.prisma.practiceSession.findUniqueOrThrow({ where: { id } })).scoringStatus;
    const withTurns = async (count: number) => {
      const session = await newSession();
      for (let turn = 0; turn < count; turn++) {
        const learner = await store.appendLearnerTurn(session.id, { clientMessageId: `c${turn}`, text: `Turn ${turn}.`, acts: [], at: new Date() });
        await store.appendPersonaTurn(session.id, personaCommit(seqOf(learner), "Go on."));
      }
      return session;
    };
    const attemptsBefore = await store.countAttempts(learnerId, "price-objection");

    const silent = await withTurns(0);
    const once = await withTurns(1);
    const twice = await withTurns(2);
    for (const session of [silent, once, twice]) expect(await store.endSession(session.id, { reason: "learner-ended", at: new Date(), closingLine: null })).toBe(true);
    expect([await scoringStatus(silent.id), await scoringStatus(once.id), await scoringStatus(twice.id)]).toEqual(["too_short", "too_short", "pending"]);

    // The persona ending it counts the same way, in the statement that ends it.
    const answered = await withTurns(1);
    const second = await store.appendLearnerTurn(answered.id, { clientMessageId: "last", text: "Thanks.", acts: [], at: new Date() });
    await store.appendPersonaTurn(answered.id, { ...personaCommit(seqOf(second), "Bye."), end: "persona-ended" });
    expect(await scoringStatus(answered.id)).toBe("pending");

    // Only the two scored sessions are attempts; the two too short to score are not.
    expect(await store.countAttempts(learnerId, "price-objection")).toBe(attemptsBefore + 2);

    // A second turn racing the end either lands before it (and counts) or is refused.
    for (let round = 0; round < 15; round++) {
      const racing = await withTurns(1);
      const [turn] = await Promise.all([
        store.appendLearnerTurn(racing.id, { clientMessageId: "racing", text: "One more thing.", acts: [], at: new Date() }),
        store.endSession(racing.id, { reason: "learner-ended", at: new Date(), closingLine: null }),
      ]);
      expect(await scoringStatus(racing.id)).toBe(turn.kind === "stored" ? "pending" : "too_short");
    }
  });
});
