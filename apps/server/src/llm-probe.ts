// One small question to each configured model, the way the server asks: a short persona reply,
// streamed, and a tiny judge answer. `spar llm check` prints the result; a deployed server asks at
// start-up and shows the outcome in /health (llm.calls.lastProbe).
import {
  classifyTurn,
  conversationMetrics,
  decidePersonaMove,
  exampleTranscript,
  initialPersonaState,
  type Library,
  scoringContext,
  type TranscriptTurn,
} from "@spar/domain";
import { defaultJudgeSettings, defaultPersonaSettings, type EndpointCapabilities, type LlmCallFailure, type LlmCapabilityFallback, type LlmObserver, type LlmPurpose, OpenAiJudge, OpenAiPersonaEngine } from "@spar/llm";
import { engineSettings, type LlmConfig, type ProviderProfile } from "./llm-settings.ts";

/** What one probe of a role's endpoint showed. */
export interface RoleProbe {
  role: LlmPurpose;
  profile: ProviderProfile;
  ok: boolean;
  /** What came back, e.g. "a reply of 9 words streamed in 4 chunks". */
  answer: string;
  seconds: number;
  /** Persona only: from asking to the first streamed word. */
  firstTokenSeconds: number | null;
  fellBack: LlmCapabilityFallback[];
  /** The call that failed for good, when one did. */
  failure: LlmCallFailure | null;
  /** Why the role does not work, when it does not. */
  problem: string | null;
}

/** What the probes' observer heard; each event is told to `also` too (the server's own observer). */
function listening(also?: LlmObserver) {
  const heard = { fellBack: [] as LlmCapabilityFallback[], failure: null as LlmCallFailure | null, firstTokenSeconds: null as number | null };
  const observer: LlmObserver = {
    firstToken: (model, seconds) => {
      heard.firstTokenSeconds ??= seconds;
      also?.firstToken(model, seconds);
    },
    usage: (model, purpose, usage) => also?.usage(model, purpose, usage),
    failure: (model, code) => also?.failure(model, code),
    callFailed: (failure) => {
      heard.failure = failure;
      also?.callFailed?.(failure);
    },
    callSucceeded: (model, purpose) => also?.callSucceeded?.(model, purpose),
    capabilityFellBack: (fallback) => {
      heard.fellBack.push(fallback);
      also?.capabilityFellBack?.(fallback);
    },
  };
  return { heard, observer };
}

const sinceSeconds = (started: number) => (performance.now() - started) / 1000;

async function probePersona(profile: ProviderProfile, library: Library, capabilities: EndpointCapabilities, also?: LlmObserver): Promise<RoleProbe> {
  const scenario = [...library.scenarios.values()][0]?.value;
  if (!scenario) throw new Error("The library has no scenario to play: run `spar scenarios check`.");
  const { heard, observer } = listening(also);
  const engine = new OpenAiPersonaEngine({ ...defaultPersonaSettings, ...engineSettings(profile), maxRetries: 1, observer, capabilities });
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

async function probeJudge(profile: ProviderProfile & { seed: number }, library: Library, capabilities: EndpointCapabilities, also?: LlmObserver): Promise<RoleProbe> {
  const example = library.examples.find((each) => library.scenarios.has(each.value.scenario));
  const scenario = example && library.scenarios.get(example.value.scenario)?.value;
  const rubric = scenario && library.rubrics.get(scenario.rubric)?.value;
  if (!example || !scenario || !rubric) throw new Error("The library has no example transcript to score: run `spar scenarios check`.");
  const { heard, observer } = listening(also);
  const judge = new OpenAiJudge({ ...defaultJudgeSettings, ...engineSettings(profile), seed: profile.seed, samples: 1, maxRetries: 1, observer, capabilities });
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

export interface LlmProbe {
  at: Date;
  persona: RoleProbe;
  judge: RoleProbe;
}

/**
 * Asks both roles, one after the other so each latency is its own. `capabilities` is the memory
 * of what the endpoints take: a fresh one shows every fallback an endpoint needs (the command);
 * the process's own lets the server learn them before a learner's first turn, telling its own
 * observer (`also`: the log line, metrics and /health) as any call would.
 */
export async function probeLlm(
  llm: Extract<LlmConfig, { engine: "openai-compatible" }>,
  library: Library,
  capabilities: EndpointCapabilities,
  also?: LlmObserver,
): Promise<LlmProbe> {
  const at = new Date();
  const persona = await probePersona(llm.persona, library, capabilities, also);
  const judge = await probeJudge(llm.judge, library, capabilities, also);
  return { at, persona, judge };
}
