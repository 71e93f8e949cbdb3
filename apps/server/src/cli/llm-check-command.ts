// `spar llm check`: asks the configured persona and judge models one small thing each, the way
// the server does, and prints what worked, what the endpoint refused and Spar did without, how
// long the first token took, and what to set when something fails.
import {
  classifyTurn,
  conversationMetrics,
  decidePersonaMove,
  exampleTranscript,
  initialPersonaState,
  type Library,
  loadLibrary,
  scoringContext,
  type TranscriptTurn,
} from "@spar/domain";
import { defaultJudgeSettings, defaultPersonaSettings, EndpointCapabilities, type LlmCallFailure, type LlmCapabilityFallback, type LlmObserver, OpenAiJudge, OpenAiPersonaEngine } from "@spar/llm";
import type { AppConfig } from "../env.ts";
import { readLibraryFiles } from "../library/library-files.ts";
import { engineSettings, type ProviderProfile } from "../llm-settings.ts";
import { llmCheckReport, type RoleProbe } from "./llm-check-report.ts";
import { invocationDir } from "./scenario-commands.ts";

/** What the probes' observer heard. */
function listening() {
  const heard = { fellBack: [] as LlmCapabilityFallback[], failure: null as LlmCallFailure | null, firstTokenSeconds: null as number | null };
  const observer: LlmObserver = {
    firstToken: (_model, seconds) => (heard.firstTokenSeconds ??= seconds),
    usage: () => {},
    failure: () => {},
    callFailed: (failure) => (heard.failure = failure),
    capabilityFellBack: (fallback) => heard.fellBack.push(fallback),
  };
  return { heard, observer };
}

const sinceSeconds = (started: number) => (performance.now() - started) / 1000;

async function probePersona(profile: ProviderProfile, library: Library): Promise<RoleProbe> {
  const scenario = [...library.scenarios.values()][0]?.value;
  if (!scenario) throw new Error("The library has no scenario to play: run `spar scenarios check`.");
  const { heard, observer } = listening();
  // A memory of its own, so the report shows every fallback this endpoint needs.
  const engine = new OpenAiPersonaEngine({ ...defaultPersonaSettings, ...engineSettings(profile), maxRetries: 1, observer, capabilities: new EndpointCapabilities() });
  const learnerText = "Hi, thanks for making the time. How are things going?";
  const transcript: TranscriptTurn[] = [
    { seq: 1, speaker: "persona", text: scenario.persona.opening_line },
    { seq: 2, speaker: "learner", text: learnerText },
  ];
  const state = initialPersonaState(scenario);
  const move = decidePersonaMove(scenario, state, { text: learnerText, acts: classifyTurn(learnerText), number: 1 });
  let chunks = 0;
  const started = performance.now();
  const result = await engine.reply({ scenario, state, move, transcript }, { signal: new AbortController().signal, onDelta: () => chunks++ });
  const words = result.ok ? result.text.split(/\s+/).filter(Boolean).length : 0;
  const cut = result.ok && result.interrupted === "token-limit" ? ", cut at the token limit (SPAR_PERSONA_MAX_TOKENS)" : "";
  const usage = result.ok && result.usage === null ? ", without token usage" : "";
  return {
    role: "persona",
    profile,
    ok: result.ok && words > 0,
    answer: `a reply of ${words} words streamed in ${chunks} chunks${cut}${usage}`,
    seconds: sinceSeconds(started),
    firstTokenSeconds: heard.firstTokenSeconds,
    fellBack: heard.fellBack,
    failure: heard.failure,
    problem: result.ok ? (words > 0 ? null : "the model answered with nothing") : result.message,
  };
}

async function probeJudge(profile: ProviderProfile & { seed: number }, library: Library): Promise<RoleProbe> {
  const example = library.examples.find((each) => library.scenarios.has(each.value.scenario));
  const scenario = example && library.scenarios.get(example.value.scenario)?.value;
  const rubric = scenario && library.rubrics.get(scenario.rubric)?.value;
  if (!example || !scenario || !rubric) throw new Error("The library has no example transcript to score: run `spar scenarios check`.");
  const { heard, observer } = listening();
  const judge = new OpenAiJudge({ ...defaultJudgeSettings, ...engineSettings(profile), seed: profile.seed, samples: 1, maxRetries: 1, observer, capabilities: new EndpointCapabilities() });
  const transcript = exampleTranscript(example.value);
  const started = performance.now();
  const result = await judge.score(rubric, transcript, conversationMetrics(transcript), scoringContext(scenario));
  return {
    role: "judge",
    profile,
    ok: result.ok,
    answer: result.ok ? `a scorecard of ${result.criteria.length} criteria for ${example.file}` : "",
    seconds: sinceSeconds(started),
    firstTokenSeconds: null,
    fellBack: heard.fellBack,
    failure: result.ok ? null : heard.failure,
    problem: result.ok ? null : result.message,
  };
}

/** Runs the check and prints its report; 0 when both roles work (or no LLM is configured). */
export async function checkLlm(config: AppConfig): Promise<number> {
  if (config.llm.engine === "offline") {
    console.log("Spar runs on its offline engine: no LLM is configured, so there is nothing to check.");
    console.log("To use one, set OPENAI_API_KEY, or the SPAR_PERSONA_* and SPAR_JUDGE_* settings in docs/llm-providers.md.");
    return 0;
  }
  const { library } = await loadLibrary(await readLibraryFiles([config.library.dir], invocationDir));
  console.log("Asking the persona and the judge one small thing each, as the server would (docs/llm-providers.md).\n");
  // One after the other, so the latencies are each role's own.
  const persona = await probePersona(config.llm.persona, library);
  const judge = await probeJudge(config.llm.judge, library);
  console.log(llmCheckReport([persona, judge]));
  return persona.ok && judge.ok ? 0 : 1;
}
