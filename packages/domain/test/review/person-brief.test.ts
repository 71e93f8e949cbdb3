import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../src/library/library.ts";
import { type BriefScorecard, personBrief } from "../../src/review/person-brief.ts";
import { type HistorySession, learnerHistory } from "../../src/scoring/learner-history.ts";
import { readYamlTree, repositoryRoot } from "../library/read-files.ts";

const { library } = await loadLibrary(await readYamlTree(path.join(repositoryRoot, "scenarios")));
const learner = { id: "learner-1", name: "Sam" };
const options = { recent: 10, stuckAfter: 3, now: new Date("2026-06-01T12:00:00Z") };

/** A difficult-conversations scorecard: stays-curious weakest, names-the-issue strongest. */
function scorecard(sessionId: string, at: string, curious: BriefScorecard["criteria"][number]["evidence"]): BriefScorecard {
  const criterion = (criterionId: string, level: number, evidence: BriefScorecard["criteria"][number]["evidence"]) => ({
    criterionId,
    competency: "difficult-conversations",
    level,
    rationale: `${criterionId} at ${level}`,
    evidence,
  });
  return {
    sessionId,
    scenarioTitle: "Missed deadline",
    at: new Date(at),
    criteria: [
      criterion("names-the-issue", 4, [{ turn: 2, quote: "The release was due on the 14th and slipped", stance: "supports" }]),
      criterion("manages-emotion", 3, [{ turn: 4, quote: "That sounds like a hard few months", stance: "supports" }]),
      criterion("agrees-way-forward", 3, [{ turn: 8, quote: "Can we agree you flag risks in standup", stance: "supports" }]),
      criterion("stays-curious", 1, curious),
    ],
  };
}

describe("the one-to-one brief", () => {
  const history = learnerHistory(learner, []);

  it("quotes, for the weakest criterion, the most recent line that counted against it, never its best line", () => {
    const brief = personBrief(
      learner,
      [
        // Newest first: the newest scorecard has a supporting quote first, then one against.
        scorecard("session-new", "2026-05-30T10:00:00Z", [
          { turn: 3, quote: "Help me understand what happened", stance: "supports" },
          { turn: 5, quote: "Why didn't you just tell me earlier?", stance: "counts-against" },
        ]),
        scorecard("session-old", "2026-05-20T10:00:00Z", [{ turn: 3, quote: "You clearly do not care about this any more", stance: "counts-against" }]),
      ],
      history,
      [],
      library,
      options,
    );
    expect(brief.weakest[0]).toBe("stays-curious");
    const weakest = brief.criteria.find((each) => each.criterionId === "stays-curious");
    expect(weakest?.counterEvidence).toMatchObject({ sessionId: "session-new", turn: 5, quote: "Why didn't you just tell me earlier?" });
    expect(weakest?.evidence).toMatchObject({ turn: 3, quote: "Help me understand what happened" });
    const strongest = brief.criteria.find((each) => each.criterionId === brief.strongest[0]);
    expect(strongest?.evidence?.quote).toBe("The release was due on the 14th and slipped");
    expect(strongest?.counterEvidence).toBeNull();
  });

  it("has no counter-evidence for a weakest criterion whose quotes all supported it", () => {
    const brief = personBrief(
      learner,
      [scorecard("session-1", "2026-05-30T10:00:00Z", [{ turn: 3, quote: "Help me understand what happened", stance: "supports" }])],
      history,
      [],
      library,
      options,
    );
    const weakest = brief.criteria.find((each) => each.criterionId === brief.weakest[0]);
    expect(weakest?.criterionId).toBe("stays-curious");
    expect(weakest?.counterEvidence).toBeNull();
  });

  it("counts no assessment attempt for a session too short to score", () => {
    const assessment = [...library.scenarios.values()].find((entry) => entry.value.assessment)?.value;
    if (!assessment?.assessment) throw new Error("the shipped library has no assessment scenario");
    const session = (id: string, scoring: HistorySession["scoring"], overall: number | null): HistorySession => ({
      id,
      scenario: { id: assessment.id, title: assessment.title, version: assessment.version },
      engine: "offline",
      status: "ended",
      startedAt: new Date("2026-05-30T10:00:00Z"),
      endedAt: new Date("2026-05-30T10:10:00Z"),
      scoring,
      latest: overall === null ? null : { overall, passed: overall >= 2.5, scorer: "offline", criteria: [] },
    });
    const brief = personBrief(
      learner,
      [],
      learnerHistory(learner, [session("a", "too_short", null), session("b", "done", 2.1), session("c", "too_short", null)]),
      [],
      library,
      options,
    );
    expect(brief.assessments.find((each) => each.scenarioId === assessment.id)).toMatchObject({
      attemptsUsed: 1,
      attemptsLeft: assessment.assessment.max_attempts - 1,
      best: 2.1,
    });
  });
});
