import path from "node:path";
import nlp from "compromise";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../src/library/library.ts";
import type { Criterion, Rubric } from "../../src/library/rubric-schema.ts";
import { nextStepFor, shortQuote } from "../../src/scoring/next-step.ts";
import type { CriterionResult } from "../../src/scoring/scorecard.ts";
import { readYamlTree, repositoryRoot } from "../library/read-files.ts";

const { library } = await loadLibrary(await readYamlTree(path.join(repositoryRoot, "scenarios")));
const rubrics = [...library.rubrics.values()].map((entry) => entry.value);

/** An instruction opens with a bare verb ("Name", "Talk"), not a description ("Names") or a clause ("When ..."). */
function opensWithBareVerb(sentence: string): boolean {
  const first = nlp(sentence).terms().first();
  if (first.has("(#Preposition|#Conjunction|#Determiner|#Pronoun|#Adverb|#QuestionWord|#Adjective)")) return false;
  const word = first.text("normal").replace(/[^a-z'-]/g, "");
  const asVerb = nlp(word);
  asVerb.tag("Verb");
  return asVerb.verbs().toInfinitive().text("normal") === word;
}

const levelKey = (level: number) => String(level) as "1" | "2" | "3" | "4";

/** Every criterion at 4 except `weakest`, which sits at `level`: the next step is about it. */
function resultsWith(rubric: Rubric, weakest: string, level: 1 | 2 | 3, evidence: CriterionResult["evidence"] = []): CriterionResult[] {
  return rubric.criteria.map((criterion) =>
    criterion.id === weakest
      ? { criterionId: criterion.id, level, rationale: "", evidence }
      : { criterionId: criterion.id, level: 4, rationale: "", evidence: [] },
  );
}

const cases = rubrics.flatMap((rubric) =>
  rubric.criteria.flatMap((criterion) => ([1, 2, 3] as const).map((level) => ({ name: `${rubric.id} / ${criterion.id} at level ${level}`, rubric, criterion, level }))),
);

describe("one thing to try next time, over every shipped rubric", () => {
  it("tells an instruction from a description", () => {
    expect(["Name the feeling.", "Talk less than them.", "Play back a detail."].map(opensWithBareVerb)).toEqual([true, true, true]);
    expect(["Names the feeling.", "Offers a generic acknowledgement.", "When it gets heated, pause."].map(opensWithBareVerb)).toEqual([false, false, false]);
  });

  it("covers every criterion of every rubric", () => {
    expect(rubrics.length).toBeGreaterThanOrEqual(7);
    expect(cases.length).toBe(rubrics.reduce((sum, rubric) => sum + rubric.criteria.length * 3, 0));
  });

  it.each(cases)("$name: names a behaviour above the level, as an instruction, with a line from a level at or above it", ({ rubric, criterion, level }) => {
    const step = nextStepFor(rubric, resultsWith(rubric, criterion.id, level));
    expect(step.criterionId).toBe(criterion.id);
    expect(step.text.startsWith(`${criterion.title}: `)).toBe(true);
    const [instruction, example] = step.text.slice(criterion.title.length + 2).split(" For example: ");
    if (!instruction || !example) throw new Error(`no instruction and example in "${step.text}"`);

    // The instruction is an authored `try` of a level above this one, never a level's descriptor.
    const target = ([2, 3, 4] as const).find((each) => criterion.levels[levelKey(each) as "2" | "3" | "4"].try?.trim() === instruction);
    expect(target, `"${instruction}" is not the try of any level`).toBeDefined();
    expect(target).toBeGreaterThan(level);
    for (const anchor of Object.values(criterion.levels)) expect(step.text).not.toContain(anchor.description.trim());
    expect(opensWithBareVerb(instruction), `"${instruction}" does not open with a bare verb`).toBe(true);

    // The example is a sounds-like line of a level at or above the target, and never a weak level's.
    const source = ([1, 2, 3, 4] as const).filter((each) => `“${criterion.levels[levelKey(each)].sounds_like.trim()}”` === example);
    expect(source.length, `"${example}" is not a sounds_like line`).toBeGreaterThan(0);
    expect(Math.min(...source)).toBeGreaterThanOrEqual(target ?? 5);
    expect(Math.min(...source)).toBeGreaterThanOrEqual(3);
    expect(step.moment).toBeNull();
  });

  it("aims at the next level up that has an instruction, and prints no weak descriptor when none has", () => {
    const rubric = rubrics.find((each) => each.id === "active-listening");
    if (!rubric) throw new Error("active-listening is not shipped");
    const strip = (criterion: Criterion, keep: ("2" | "3" | "4")[]): Criterion => ({
      ...criterion,
      levels: {
        "1": criterion.levels["1"],
        "2": { ...criterion.levels["2"], try: keep.includes("2") ? criterion.levels["2"].try : undefined },
        "3": { ...criterion.levels["3"], try: keep.includes("3") ? criterion.levels["3"].try : undefined },
        "4": { ...criterion.levels["4"], try: keep.includes("4") ? criterion.levels["4"].try : undefined },
      },
    });
    const [first] = rubric.criteria;
    if (!first) throw new Error("no criteria");

    const onlyFour = { ...rubric, criteria: [strip(first, ["4"]), ...rubric.criteria.slice(1)] };
    const towardsFour = nextStepFor(onlyFour, resultsWith(onlyFour, first.id, 1));
    expect(towardsFour.text).toContain(first.levels["4"].try?.trim());
    expect(towardsFour.text).toContain(first.levels["4"].sounds_like.trim());

    const none = { ...rubric, criteria: [strip(first, []), ...rubric.criteria.slice(1)] };
    const fallback = nextStepFor(none, resultsWith(none, first.id, 1));
    expect(fallback.text).toContain(`Aim for level 3: ${first.levels["3"].description.trim()}`);
    expect(fallback.text).not.toContain(first.levels["2"].description.trim());
    expect(fallback.text).not.toContain(first.levels["2"].sounds_like.trim());
  });

  it("points at the learner's turn that counted against the weakest criterion, shortened, and not at a supporting one", () => {
    const rubric = rubrics.find((each) => each.id === "active-listening");
    if (!rubric) throw new Error("active-listening is not shipped");
    const long = "I hear you, but honestly our policy is that refunds take ten working days and there is really nothing more I can do about it today, sorry.";
    const step = nextStepFor(
      rubric,
      resultsWith(rubric, "acknowledges-feelings", 1, [
        { turn: 2, quote: "That sounds frustrating for you", stance: "supports" },
        { turn: 4, quote: long, stance: "counts-against" },
      ]),
    );
    expect(step.criterionId).toBe("acknowledges-feelings");
    expect(step.moment).toEqual({ turn: 4, quote: shortQuote(long) });
    expect(step.moment?.quote.endsWith(" …")).toBe(true);
    expect(long.startsWith(step.moment?.quote.slice(0, -2) ?? "?")).toBe(true);

    const onlySupporting = nextStepFor(rubric, resultsWith(rubric, "acknowledges-feelings", 1, [{ turn: 2, quote: "That sounds frustrating for you", stance: "supports" }]));
    expect(onlySupporting.moment).toBeNull();
  });

  it("picks the lowest level, the heavier criterion on a tie, and praises a session at the top", () => {
    const rubric = rubrics.find((each) => each.id === "difficult-conversations");
    if (!rubric) throw new Error("difficult-conversations is not shipped");
    const levels: Record<string, 1 | 2 | 3 | 4> = { "names-the-issue": 3, "stays-curious": 2, "manages-emotion": 3, "agrees-way-forward": 2 };
    const results = rubric.criteria.map((criterion) => ({ criterionId: criterion.id, level: levels[criterion.id] ?? 4, rationale: "", evidence: [] }));
    expect(nextStepFor(rubric, results).criterionId).toBe("stays-curious");
    const top = nextStepFor(rubric, rubric.criteria.map((criterion) => ({ criterionId: criterion.id, level: 4 as const, rationale: "", evidence: [] })));
    expect(top.text).toMatch(/^Keep doing what you did/);
    expect(top.moment).toBeNull();
  });
});
