import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ExampleTranscript } from "../../src/library/example-schema.ts";
import { type ExampleEntry, type LibraryEntry, loadLibrary } from "../../src/library/library.ts";
import type { Rubric } from "../../src/library/rubric-schema.ts";
import type { Scenario } from "../../src/library/scenario-schema.ts";
import { heldOutTargets } from "../../src/scoring/calibration-targets.ts";
import { calibrateScenario } from "../../src/scoring/calibration.ts";
import type { CriterionResult } from "../../src/scoring/scorecard.ts";
import type { ScoringContext, TranscriptScorer } from "../../src/scoring/transcript-scorer.ts";
import { readYamlTree, repositoryRoot } from "../library/read-files.ts";

const fixtures = await loadLibrary(await readYamlTree(path.join(repositoryRoot, "packages/domain/test/fixtures/library/valid")));
const scenario = fixtures.library.scenarios.get("short-talk") as LibraryEntry<Scenario>;
const rubric = fixtures.library.rubrics.get("listening") as LibraryEntry<Rubric>;

/** A scorer that gives the level written in the learner's line ("level 3"), and remembers the context it was given. */
function scriptedScorer(): TranscriptScorer & { contexts: (ScoringContext | undefined)[] } {
  const contexts: (ScoringContext | undefined)[] = [];
  return {
    kind: "offline",
    model: null,
    contexts,
    async score(_rubric, transcript, _metrics, context) {
      contexts.push(context);
      const learner = transcript.find((turn) => turn.speaker === "learner");
      const level = Number(learner?.text.match(/level (\d)/)?.[1] ?? 1) as CriterionResult["level"];
      return {
        ok: true,
        criteria: [{ criterionId: "acknowledges", level, rationale: "scripted", evidence: [{ turn: 2, quote: learner?.text ?? "", stance: "supports" }] }],
        nextStep: null,
        usage: null,
      };
    },
  };
}

function example(file: string, label: ExampleTranscript["label"], level: number, heldOut: boolean, expected: [number, number]): ExampleEntry {
  return {
    file,
    heldOut,
    contentHash: file,
    source: "",
    value: {
      scenario: "short-talk",
      label,
      ...(label === "adversarial" ? { tactic: "phrase-stuffing" as const } : {}),
      description: file,
      turns: [
        { speaker: "persona", text: "You wanted a word?" },
        { speaker: "learner", text: `This one earns level ${level} from the scripted scorer.` },
      ],
      expected: { acknowledges: expected },
    },
  };
}

describe("calibration with a tuning and a held-out part", () => {
  it("gives the scorer the scenario's brief and hidden facts, and reports each part apart with evidence", async () => {
    const scorer = scriptedScorer();
    const result = await calibrateScenario(scorer, scenario, rubric, [
      example("strong.example.yaml", "strong", 4, false, [3, 4]),
      example("weak.example.yaml", "weak", 1, false, [1, 2]),
      example("held-out/strong.example.yaml", "strong", 2, true, [3, 4]),
      example("held-out/adversarial.example.yaml", "adversarial", 3, true, [1, 2]),
    ]);
    expect(scorer.contexts).toHaveLength(4);
    expect(scorer.contexts[0]).toEqual({
      scenarioTitle: "A short talk",
      brief: { role: "You are the manager.", situation: "Robin seems quiet lately.", objective: "Find out why." },
      personaName: "Robin",
      hidden: [{ id: "new-baby", fact: "Robin's partner just had a baby." }],
    });
    expect(result.tuning).toEqual({ examples: 2, exactAgreement: 1, withinOneAgreement: 1, strongBeatsWeak: true });
    expect(result.heldOut).toEqual({ examples: 2, exactAgreement: 0, withinOneAgreement: 1, strongBeatsWeak: false });
    // The adversarial example counts as weak: it outscored the held-out strong one.
    expect(result.strongBeatsWeak).toBe(false);
    expect(result.passed).toBe(false);
    const adversarial = result.examples.find((each) => each.label === "adversarial");
    expect(adversarial).toMatchObject({ heldOut: true, tactic: "phrase-stuffing", overall: 3, passed: true });
    expect(adversarial?.criteria[0]?.evidence).toEqual([{ turn: 2, quote: "This one earns level 3 from the scripted scorer.", stance: "supports" }]);
    expect(result.examples.find((each) => each.file === "held-out/strong.example.yaml")?.passed).toBe(false);
  });

  it("checks the held-out targets on the held-out examples only, naming what missed", async () => {
    const missed = await calibrateScenario(scriptedScorer(), scenario, rubric, [
      example("strong.example.yaml", "strong", 4, false, [3, 4]),
      example("weak.example.yaml", "weak", 1, false, [1, 2]),
      example("held-out/strong.example.yaml", "strong", 2, true, [3, 4]),
      example("held-out/adversarial.example.yaml", "adversarial", 3, true, [1, 2]),
    ]);
    const targets = heldOutTargets([missed]);
    expect(targets?.map((target) => [target.id, target.met])).toEqual([
      ["strong-pass", false],
      ["weak-fail", false],
      ["strong-above-weak", false],
      ["within-one", true],
      ["exact", false],
    ]);
    expect(targets?.[0]?.detail).toBe("0 of 1 pass; not passing: held-out/strong.example.yaml (2.00)");
    expect(targets?.[1]?.detail).toBe("0 of 1 fail; not failing: held-out/adversarial.example.yaml (3.00)");
    expect(targets?.[2]?.detail).toBe("0 of 1 scenarios; reversed in short-talk");

    const met = await calibrateScenario(scriptedScorer(), scenario, rubric, [
      example("strong.example.yaml", "strong", 1, false, [3, 4]),
      example("held-out/strong.example.yaml", "strong", 3, true, [3, 4]),
      example("held-out/weak.example.yaml", "weak", 2, true, [1, 2]),
      example("held-out/adversarial.example.yaml", "adversarial", 1, true, [1, 2]),
    ]);
    expect(heldOutTargets([met])?.every((target) => target.met)).toBe(true);
    // The tuning example the scorer got wrong does not count against the held-out targets.
    expect(met.tuning.exactAgreement).toBe(0);
  });

  it("has no held-out targets to check when no example is held out", async () => {
    const result = await calibrateScenario(scriptedScorer(), scenario, rubric, [example("strong.example.yaml", "strong", 4, false, [3, 4])]);
    expect(heldOutTargets([result])).toBeNull();
    expect(result.heldOut).toEqual({ examples: 0, exactAgreement: 0, withinOneAgreement: 0, strongBeatsWeak: null });
  });
});
