import { randomUUID } from "node:crypto";
import path from "node:path";
import { conversationMetrics, draftScorecard, initialPersonaState, loadLibrary } from "@spar/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readYamlTree, repositoryRoot } from "../../domain/test/library/read-files.ts";
import { PrismaAccountStore, PrismaLibraryVersions, PrismaPracticeStore, PrismaScoringStore, PrismaTranscriptRetention } from "../src/index.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../src/testing/index.ts";

const { library } = await loadLibrary(await readYamlTree(path.join(repositoryRoot, "scenarios")));
const scenario = library.scenarios.get("frustrated-customer");
const rubric = scenario && library.rubrics.get(scenario.value.rubric);
if (!scenario || !rubric) throw new Error("the shipped library lacks frustrated-customer");

// The next step's learner turn is stored with the scorecard, read back with it, and erased with the transcript.
describe.each(databaseKinds)("the scorecard's next step on %s", (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await new PrismaLibraryVersions(database.prisma).record(library);
  });
  afterAll(() => database?.close());

  it("keeps the turn where the next step would have fitted, until the transcript is erased", async () => {
    const practice = new PrismaPracticeStore(database.prisma);
    const scoring = new PrismaScoringStore(database.prisma);
    const learner = await new PrismaAccountStore(database.prisma).createUser({ email: `${randomUUID()}@test.example`, name: "L", role: "learner", passwordHash: "h" });
    const created = await practice.createSession(
      {
        learnerId: learner.id,
        scenarioHash: scenario.contentHash,
        rubricHash: rubric.contentHash,
        engine: "offline",
        model: null,
        personaState: initialPersonaState(scenario.value),
        openingLine: "This is the third time.",
        at: new Date(),
        endsBy: new Date(Date.now() + 3_600_000),
      },
      { scenarioId: scenario.value.id, maxAttempts: null, maxActiveSessions: 10, activeSince: new Date(0) },
    );
    if (created.kind !== "created") throw new Error("the session was not created");
    const session = created.session;
    const lines = ["Calm down, it's only an invoice.", "Our policy is that credits take a month."];
    for (const [index, text] of lines.entries()) {
      const stored = await practice.appendLearnerTurn(session.id, { clientMessageId: `c${index}`, text, acts: [], at: new Date() });
      await practice.appendPersonaTurn(session.id, {
        answersSeq: "turn" in stored ? stored.turn.seq : 0,
        afterSeq: "turn" in stored ? stored.turn.seq : 0,
        text: "Right.",
        status: "complete",
        interruption: null,
        guarded: false,
        personaState: initialPersonaState(scenario.value),
        usage: null,
        at: new Date(),
        end: null,
      });
    }
    expect(await practice.endSession(session.id, { reason: "learner-ended", at: new Date(), closingLine: null })).toBe(true);

    const claim = await scoring.claimNext("worker", new Date(), 60_000);
    expect(claim?.session.id).toBe(session.id);
    const results = rubric.value.criteria.map((criterion) => ({
      criterionId: criterion.id,
      level: criterion.id === "acknowledges-feelings" ? (1 as const) : (3 as const),
      rationale: "",
      evidence: criterion.id === "acknowledges-feelings" ? [{ turn: 2, quote: "Calm down, it's only an invoice.", stance: "counts-against" as const }] : [],
    }));
    const draft = draftScorecard(rubric.value, results, conversationMetrics(claim?.session.turns ?? []));
    expect(draft.nextStep.moment).toEqual({ turn: 2, quote: "Calm down, it's only an invoice." });
    await scoring.complete(session.id, "worker", { ...draft, influenceAttempts: [] }, { scorer: "offline", model: null, rubricHash: rubric.contentHash, usage: null }, new Date());

    const [stored] = await scoring.scorecards(session.id);
    expect(stored).toMatchObject({ nextStepCriterionId: "acknowledges-feelings", nextStep: draft.nextStep.text, nextStepMoment: { turn: 2, quote: "Calm down, it's only an invoice." } });

    await new PrismaTranscriptRetention(database.prisma).eraseTranscriptsEndedBefore(new Date(Date.now() + 60_000), new Date(), 100);
    const [erased] = await scoring.scorecards(session.id);
    expect(erased).toMatchObject({ nextStep: "", nextStepMoment: null });
  });
});
