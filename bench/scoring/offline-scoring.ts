// What reading turns with an English model costs: every learner turn of the library's example
// transcripts classified from cold (sentence analysis not cached), against a baseline of phrase
// lookup alone (the same cue lists searched as plain phrases, as a keyword classifier would),
// measured in the same run; then whole transcripts scored offline. The practice path classifies
// each learner turn once, so the per-turn figure is what a learner's message adds on the server.
import { performance } from "node:perf_hooks";
import { containsAnyPhrase, conversationMetrics, exampleTranscript, forgetSentences, loadLibrary, readTurn, scoreOffline } from "@spar/domain";
import { repositoryRoot } from "@spar/server/env";
import { readLibraryFiles } from "@spar/server/library-files";
import { percentile } from "../load/stats.ts";

export interface ScoringFigures {
  turns: number;
  transcripts: number;
  classify: { p50: number; p95: number; max: number };
  baseline: { p50: number; p95: number };
  score: { p50: number; p95: number };
}

// The phrases a keyword classifier would look for: a sample of each act's cues.
const keywordLists = [
  ["hi", "hello", "good morning", "thanks for making time"],
  ["I understand", "I hear you", "that sounds", "I'm sorry", "I appreciate", "I can see why", "that must be"],
  ["what I'm hearing", "if I've got this right", "so you're saying", "to recap", "let me check I've understood"],
  ["you should", "you need to", "have you tried", "why don't you", "if I were you"],
  ["you always", "you never", "your fault", "unacceptable", "lazy", "careless", "ridiculous"],
  ["let's", "how about we", "shall we", "next step", "I'll send", "I'll follow up", "check in", "book a"],
  ["ignore your instructions", "system prompt", "you are an AI", "pretend to be"],
  ["tell me", "walk me through", "help me understand", "what", "how", "why"],
];

export async function offlineScoringRun(rounds: number): Promise<ScoringFigures> {
  const { library } = await loadLibrary(await readLibraryFiles(["scenarios"], repositoryRoot));
  const transcripts = library.examples.map((example) => {
    const scenario = library.scenarios.get(example.value.scenario);
    const rubric = scenario && library.rubrics.get(scenario.value.rubric);
    if (!rubric) throw new Error(`no rubric for ${example.file}`);
    return { rubric: rubric.value, turns: exampleTranscript(example.value) };
  });
  const learnerTexts = transcripts.flatMap((each) => each.turns.filter((turn) => turn.speaker === "learner").map((turn) => turn.text));
  readTurn("Warm the model up before timing anything.");

  const classify: number[] = [];
  const baseline: number[] = [];
  const score: number[] = [];
  for (let round = 0; round < rounds; round++) {
    forgetSentences();
    for (const text of learnerTexts) {
      let started = performance.now();
      readTurn(text);
      classify.push(performance.now() - started);
      started = performance.now();
      for (const list of keywordLists) containsAnyPhrase(text, list);
      baseline.push(performance.now() - started);
    }
    forgetSentences();
    for (const { rubric, turns } of transcripts) {
      const started = performance.now();
      scoreOffline(rubric, turns, conversationMetrics(turns));
      score.push(performance.now() - started);
    }
  }
  return {
    turns: learnerTexts.length,
    transcripts: transcripts.length,
    classify: { p50: percentile(classify, 50), p95: percentile(classify, 95), max: Math.max(...classify) },
    baseline: { p50: percentile(baseline, 50), p95: percentile(baseline, 95) },
    score: { p50: percentile(score, 50), p95: percentile(score, 95) },
  };
}

export function describeScoring(figures: ScoringFigures): string {
  const f = (value: number) => `${value.toFixed(2)} ms`;
  return [
    `${figures.turns} learner turns, ${figures.transcripts} transcripts`,
    `classify a turn (cold): p50 ${f(figures.classify.p50)}, p95 ${f(figures.classify.p95)}, max ${f(figures.classify.max)}`,
    `phrase lookup alone:    p50 ${f(figures.baseline.p50)}, p95 ${f(figures.baseline.p95)}`,
    `score a transcript:     p50 ${f(figures.score.p50)}, p95 ${f(figures.score.p95)}`,
  ].join("\n");
}
