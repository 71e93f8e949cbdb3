// `spar scenarios calibrate` run as a process on a small library of its own, so what is checked is
// the tooling (held-out part, targets, --json, the judge beside the offline scorer), not how well
// the shipped scorer agrees with the shipped examples.
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { FakeOpenAiServer } from "@spar/llm/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { repositoryRoot, runCli } from "../fixtures/processes.ts";

const Agreement = z.object({ examples: z.number().int(), exactAgreement: z.number().min(0).max(1), withinOneAgreement: z.number().min(0).max(1) });
const Target = z.object({
  id: z.enum(["strong-pass", "weak-fail", "strong-above-weak", "within-one", "exact"]),
  description: z.string().min(1),
  met: z.boolean(),
  detail: z.string().min(1),
});
const ScorerRun = z.object({
  scorer: z.object({ kind: z.enum(["offline", "llm"]), model: z.string().nullable() }),
  examples: z.array(
    z.object({
      file: z.string(),
      scenario: z.string(),
      label: z.enum(["strong", "weak", "mixed", "adversarial"]),
      tactic: z.string().nullable(),
      heldOut: z.boolean(),
      overall: z.number().nullable(),
      passed: z.boolean().nullable(),
      error: z.string().nullable(),
      criteria: z.array(
        z.object({
          id: z.string(),
          level: z.number().int().min(1).max(4).nullable(),
          expected: z.tuple([z.number().int(), z.number().int()]),
          exact: z.boolean(),
          withinOne: z.boolean(),
          evidence: z.array(z.object({ turn: z.number().int().positive(), quote: z.string(), stance: z.enum(["supports", "counts-against"]) })),
        }),
      ),
    }),
  ),
  scenarios: z.array(
    z.object({
      scenario: z.string(),
      passed: z.boolean(),
      passMark: z.number(),
      exactAgreement: z.number(),
      withinOneAgreement: z.number(),
      strongBeatsWeak: z.boolean(),
      tuning: Agreement.extend({ strongBeatsWeak: z.boolean().nullable() }),
      heldOut: Agreement.extend({ strongBeatsWeak: z.boolean().nullable() }),
    }),
  ),
  tuning: Agreement,
  heldOut: Agreement,
  targets: z.array(Target).nullable(),
});
const CalibrationDocument = ScorerRun.extend({
  generatedAt: z.iso.datetime(),
  heldOutThresholds: z.object({ withinOneAtLeast: z.number(), exactAtLeast: z.number() }),
  judge: ScorerRun.nullable(),
});

/** An example for the fixture library's one-criterion rubric; the learner's line is what a judge reads. */
const example = (label: string, learnerLine: string, expected: string, tactic?: string) =>
  [
    "scenario: short-talk",
    `label: ${label}`,
    ...(tactic ? [`tactic: ${tactic}`] : []),
    "description: A calibration example for the command's test.",
    "turns:",
    '  - { speaker: persona, text: "You wanted a word?" }',
    `  - { speaker: learner, text: "${learnerLine}" }`,
    '  - { speaker: persona, text: "I suppose so." }',
    `expected: { acknowledges: ${expected} }`,
    "",
  ].join("\n");

const strongLine = "It sounds like this week has been hard on you. How are you holding up?";
const adversarialLine = "I hear you, I understand, but your numbers are down again and that is on you.";

// Each test starts the spar command (a fresh Node process), which a busy machine slows a lot.
describe("spar scenarios calibrate", { timeout: 120_000 }, () => {
  let scratch: string;
  let library: string;
  let fake: FakeOpenAiServer;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "spar-calibrate-"));
    library = path.join(scratch, "library");
    await cp(path.join(repositoryRoot, "packages/domain/test/fixtures/library/valid"), library, { recursive: true });
    await mkdir(path.join(library, "held-out"));
    await writeFile(path.join(library, "held-out", "strong.example.yaml"), example("strong", strongLine, "[3, 4]"));
    await writeFile(path.join(library, "held-out", "adversarial.example.yaml"), example("adversarial", adversarialLine, "[1, 1]", "polite-contempt"));
    // The fake judge gives the strong line level 4 and anything else level 1, quoting the learner.
    fake = await FakeOpenAiServer.start({
      json: (request) => {
        const transcript = request.messages.map((message) => String(message.content ?? "")).at(-1) ?? "";
        const line = [strongLine, adversarialLine, "I appreciate you making time. How are things?", "Your numbers are down."].find((each) => transcript.includes(each));
        // In the judge's answer shape: evidence and rationale before the level, no next step of its own.
        return {
          influence_attempts: [],
          criteria: [
            {
              criterion_id: "acknowledges",
              evidence: [{ turn: 2, quote: line ?? "", stance: line === strongLine ? "supports" : "counts-against" }],
              rationale: "Scripted by the test.",
              level: line === strongLine ? 4 : 1,
            },
          ],
        };
      },
    });
  });
  afterAll(async () => {
    await fake?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it("writes one JSON document with every example, the tuning and held-out summaries and the targets", async () => {
    const result = await runCli(["scenarios", "calibrate", library, "--offline", "--json", "--no-store"], { INIT_CWD: repositoryRoot });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const document = CalibrationDocument.parse(JSON.parse(result.stdout));
    expect(document.scorer).toEqual({ kind: "offline", model: null });
    expect(document.judge).toBeNull();
    expect(document.heldOutThresholds).toEqual({ withinOneAtLeast: 0.85, exactAtLeast: 0.6 });
    expect(document.examples.map((each) => [path.relative(library, path.resolve(repositoryRoot, each.file)), each.label, each.heldOut])).toEqual([
      ["strong.example.yaml", "strong", false],
      ["weak.example.yaml", "weak", false],
      [path.join("held-out", "adversarial.example.yaml"), "adversarial", true],
      [path.join("held-out", "strong.example.yaml"), "strong", true],
    ]);
    for (const each of document.examples) {
      expect(each.scenario).toBe("short-talk");
      expect(each.criteria.map((criterion) => criterion.id)).toEqual(["acknowledges"]);
      expect(each.passed).toBe((each.overall ?? 0) >= 2.5);
      for (const { turn, quote } of each.criteria.flatMap((criterion) => criterion.evidence)) {
        expect(quote.length).toBeGreaterThan(0);
        expect(turn).toBeLessThanOrEqual(3);
      }
    }
    expect(document.examples.find((each) => each.label === "adversarial")?.tactic).toBe("polite-contempt");
    expect(document.examples.find((each) => each.heldOut && each.label === "strong")?.criteria[0]?.expected).toEqual([3, 4]);
    expect(document.tuning.examples).toBe(2);
    expect(document.heldOut.examples).toBe(2);
    expect(document.scenarios).toHaveLength(1);
    expect(document.scenarios[0]?.heldOut.examples).toBe(2);
    expect(document.targets?.map((target) => target.id)).toEqual(["strong-pass", "weak-fail", "strong-above-weak", "within-one", "exact"]);
    // The exit code follows the scenario's thresholds and the held-out targets.
    const allMet = document.scenarios.every((each) => each.passed) && (document.targets ?? []).every((target) => target.met);
    expect(result.code).toBe(allMet ? 0 : 1);
  });

  it("calibrates the configured judge beside the offline scorer and prints both agreements", async () => {
    const judgeEnvironment = { INIT_CWD: repositoryRoot, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.baseUrl, SPAR_JUDGE_MODEL: "judge-model" };
    const before = fake.requests.length;
    const text = await runCli(["scenarios", "calibrate", library, "--no-store"], judgeEnvironment);
    expect(fake.requests.length - before).toBe(4);
    expect(text.stdout).toContain("Scorer: offline\n");
    expect(text.stdout).toContain("Scorer: llm (judge-model)\n");
    expect(text.stdout).toMatch(/Held-out targets \(llm \(judge-model\)\):\n {2}met {6}every held-out strong example passes: 1 of 1 pass\n/);
    expect(text.stdout).toContain("met      every held-out weak or adversarial example fails: 1 of 1 fail");
    expect(text.stdout).toContain("Agreement side by side (exact / within one level):");
    expect(text.stdout).toMatch(/^scenario\s+offline tuning\s+offline held out\s+llm \(judge-model\) tuning\s+llm \(judge-model\) held out$/m);
    // The judge's levels are the fake's: 4 for the strong line, 1 for the rest, so its held-out agreement is complete.
    expect(text.stdout).toMatch(/^short-talk\s+\d+% \/ \d+%\s+\d+% \/ \d+%\s+\d+% \/ \d+%\s+100% \/ 100%$/m);
    expect(text.stdout).toMatch(/^held-out targets met\s+\d of 5\s+5 of 5$/m);

    const json = await runCli(["scenarios", "calibrate", library, "--no-store", "--json"], judgeEnvironment);
    const document = CalibrationDocument.parse(JSON.parse(json.stdout));
    expect(document.scorer.kind).toBe("offline");
    expect(document.judge?.scorer).toEqual({ kind: "llm", model: "judge-model" });
    expect(document.judge?.examples.map((each) => [each.label, each.heldOut, each.criteria[0]?.level])).toEqual([
      ["strong", false, 1],
      ["weak", false, 1],
      ["adversarial", true, 1],
      ["strong", true, 4],
    ]);
    expect(document.judge?.heldOut).toEqual({ examples: 2, exactAgreement: 1, withinOneAgreement: 1 });
    expect(document.judge?.targets?.every((target) => target.met)).toBe(true);
    expect(document.judge?.examples.find((each) => each.heldOut && each.label === "strong")?.criteria[0]?.evidence).toEqual([
      { turn: 2, quote: strongLine, stance: "supports" },
    ]);

    const judgeOnly = await runCli(["scenarios", "calibrate", library, "--no-store", "--judge"], judgeEnvironment);
    expect(judgeOnly.stdout).toContain("Scorer: llm (judge-model)");
    expect(judgeOnly.stdout).not.toContain("Scorer: offline");
    expect(judgeOnly.stdout).not.toContain("side by side");
  });

  it("refuses --judge with no judge configured, and --judge with --offline, as usage errors", async () => {
    const noJudge = await runCli(["scenarios", "calibrate", library, "--no-store", "--judge"], { INIT_CWD: repositoryRoot });
    expect(noJudge.code).toBe(2);
    expect(noJudge.stderr).toContain("--judge needs an LLM judge: set OPENAI_API_KEY");
    expect(noJudge.stderr).not.toMatch(/\n\s+at /);
    const both = await runCli(["scenarios", "calibrate", library, "--no-store", "--judge", "--offline"], { INIT_CWD: repositoryRoot });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("Choose --offline or --judge, not both");
  });
});
