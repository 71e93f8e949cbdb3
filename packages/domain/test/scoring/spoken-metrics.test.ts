import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../src/library/library.ts";
import type { TurnRecord } from "../../src/practice/practice-store.ts";
import { conversationMetrics } from "../../src/scoring/conversation-metrics.ts";
import { scoreOffline } from "../../src/scoring/offline-scorer.ts";
import { spokenMetrics } from "../../src/scoring/scoring-service.ts";
import { readYamlTree, repositoryRoot } from "../library/read-files.ts";

// A spoken session's scorecard carries the voice metrics, measured from the times kept on its
// turns, and a rubric indicator on one earns its points only where it was measured.

const startedAt = new Date("2026-03-02T09:00:00.000Z");
const at = (ms: number) => new Date(startedAt.getTime() + ms);

function turn(seq: number, speaker: TurnRecord["speaker"], text: string, spoken?: [number, number]): TurnRecord {
  return {
    seq,
    speaker,
    text,
    status: "complete",
    interruption: null,
    guarded: false,
    acts: [],
    clientMessageId: null,
    at: at(seq * 10_000),
    mood: null,
    speech: spoken ? { startedAt: at(spoken[0]), endedAt: at(spoken[1]), words: [] } : null,
  };
}

const spoken = [
  turn(1, "persona", "You wanted to talk?", [0, 2_000]),
  turn(2, "learner", "Yes. Um, tell me how the launch went for you.", [3_000, 6_000]),
  turn(3, "persona", "Badly. The vendor was late and I took the blame.", [7_000, 11_000]),
  turn(4, "learner", "That sounds hard. What would have helped?", [12_000, 14_000]),
];

describe("the voice metrics of a spoken session", () => {
  it("are measured from the times kept on its turns", () => {
    expect(spokenMetrics({ turns: spoken, startedAt })).toEqual({
      "speaking-pace-wpm": Math.round(17 / (5_000 / 60_000)),
      "fillers-per-minute": 12,
      "longest-pause-seconds": 1,
      "learner-talk-time-share": 0.45,
      "learner-interruptions": 0,
      "interrupted-by-persona": 0,
      "response-latency-seconds": 1,
    });
  });

  it("are absent from a typed session, and from one where only the persona spoke", () => {
    const typed = spoken.map((each) => ({ ...each, speech: null }));
    expect(spokenMetrics({ turns: typed, startedAt })).toEqual({});
    const onlyHeard = spoken.map((each) => (each.speaker === "learner" ? { ...each, speech: null } : each));
    expect(spokenMetrics({ turns: onlyHeard, startedAt })).toEqual({});
  });

  it("earn a rubric indicator's points only where they were measured", async () => {
    const { library } = await loadLibrary(await readYamlTree(path.join(repositoryRoot, "scenarios")));
    const listening = library.rubrics.get("active-listening")?.value;
    if (!listening) throw new Error("no active-listening rubric");
    // A rubric that rewards answering within two seconds and few fillers.
    const rubric = {
      ...listening,
      criteria: listening.criteria.map((criterion) =>
        criterion.indicators
          ? {
              ...criterion,
              indicators: {
                ...criterion.indicators,
                metrics: [
                  { metric: "response-latency-seconds" as const, at_most: 2, points: 2 },
                  { metric: "fillers-per-minute" as const, at_most: 20, points: 1 },
                ],
              },
            }
          : criterion,
      ),
    };
    const transcript = spoken.map(({ seq, speaker, text }) => ({ seq, speaker, text }));
    const whenSpoken = scoreOffline(rubric, transcript, { ...conversationMetrics(transcript), ...spokenMetrics({ turns: spoken, startedAt }) });
    const whenTyped = scoreOffline(rubric, transcript, conversationMetrics(transcript));
    // Measured and within bounds, they count (and say so); unmeasured, they count for nothing.
    for (const criterion of whenSpoken) expect(criterion.rationale).toContain("a median of 1 s before answering, 12 fillers a minute");
    for (const criterion of whenTyped) expect(criterion.rationale).not.toMatch(/before answering|fillers/);
    const total = (criteria: typeof whenSpoken) => criteria.reduce((sum, criterion) => sum + criterion.level, 0);
    expect(total(whenSpoken)).toBeGreaterThanOrEqual(total(whenTyped));
  });
});
