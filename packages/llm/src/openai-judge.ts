import {
  combineSamples,
  type ConversationMetrics,
  type CriterionResult,
  evidenceProblems,
  type InfluenceAttempt,
  judgeExamplesFor,
  type Library,
  mergeInfluenceAttempts,
  reportedAttemptProblems,
  type Rubric,
  type ScoredTurn,
  type ScoreResult,
  type ScoringContext,
  type TokenUsage,
  type TranscriptScorer,
} from "@spar/domain";
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { JudgeOutput, judgeInfluenceAttempts, judgeResults } from "./judge-output.ts";
import { contextMessage, correctionMessage, judgeInstructions, transcriptMessage } from "./judge-prompt.ts";
import { type TextMessage, alternatingMessages } from "./alternating-messages.ts";
import { sendWithFallback } from "./capability-fallback.ts";
import { type EndpointCapabilities, type EndpointMemory, type EndpointSupport, processCapabilities } from "./endpoint-capabilities.ts";
import { jsonIn, schemaInstruction } from "./json-answer.ts";
import { callFailure, type LlmObserver } from "./llm-observer.ts";
import { type EndpointSettings, openAiClient } from "./openai-client.ts";
import { defaultTokenParameter, guessProviderKind, type TokenParameter } from "./provider-profile.ts";

export interface OpenAiJudgeSettings extends EndpointSettings {
  timeoutMs: number;
  maxRetries: number;
  /** Sent with every call (the nth sample gets seed + n) where the provider takes one, so an answer can be reproduced. */
  seed?: number;
  /** Independent answers per transcript; with more than one the median level per criterion is stored. */
  samples?: number;
  /** The library the worked examples in the judge's instructions come from; none without it. */
  library?: () => Library;
  /** Told of token usage and failed attempts (the server's metrics). */
  observer?: LlmObserver;
  /** The temperature of every call; by default 0 for one sample, selfConsistencyTemperature for several. */
  temperature?: number;
  /** The longest answer, in tokens; left out, the provider's own limit. */
  maxTokens?: number | null;
  /** Which field carries maxTokens first; by default what the provider kind and model want. */
  tokenParameter?: TokenParameter;
  /** What endpoints were found to take; the process's own memory unless another is given. */
  capabilities?: EndpointCapabilities;
}

export const defaultJudgeSettings = { timeoutMs: 60_000, maxRetries: 2, seed: 13, samples: 1 };

/**
 * The longest one score() call can take with these settings: every sample's answer may be sent
 * back once with its problems, each of those calls may be tried maxRetries more times by the SDK
 * after a timeout, and the SDK waits at most a few seconds between tries. Samples run side by
 * side, so their number does not add to it. A scoring job's lease must outlast this.
 * A refused feature (capability-fallback.ts) costs one more call, answered at once with a 400 that
 * is not retried, and once per process, so it is not counted.
 */
export function judgeDeadlineMs(settings: Pick<OpenAiJudgeSettings, "timeoutMs" | "maxRetries">): number {
  const callsPerAnswer = 2;
  const sdkBackoffMs = 8_000;
  return callsPerAnswer * ((settings.maxRetries + 1) * settings.timeoutMs + settings.maxRetries * sdkBackoffMs);
}

/**
 * One answer is asked for at temperature 0: the most likely reading, the same each time. Several
 * samples at temperature 0 would mostly repeat one another, which measures nothing, so
 * self-consistency samples at this temperature and lets the median settle the level.
 */
export const selfConsistencyTemperature = 0.7;

type Sample = { ok: true; criteria: CriterionResult[]; influenceAttempts: InfluenceAttempt[] } | Extract<ScoreResult, { ok: false }>;

/**
 * Scores a transcript with an OpenAI-compatible model, built like an assessment: a stable prefix
 * (how to assess, the rubric, worked examples) that providers cache, then the scenario's brief
 * and hidden facts, then the transcript as data. An answer that breaks the evidence rules is
 * sent back once with its exact problems, then rejected.
 */
export class OpenAiJudge implements TranscriptScorer {
  readonly kind = "llm" as const;
  readonly model: string;
  private readonly client: OpenAI;
  private readonly observer: LlmObserver | undefined;
  private readonly seed: number;
  private readonly samples: number;
  private readonly library: (() => Library) | undefined;
  private readonly temperature: number;
  private readonly maxTokens: number | null;
  /** What this endpoint was found to take (reasoning models refuse temperature 0, some servers a seed or a schema). */
  private readonly endpoint: EndpointMemory;

  constructor(settings: OpenAiJudgeSettings) {
    this.model = settings.model;
    this.observer = settings.observer;
    this.seed = settings.seed ?? defaultJudgeSettings.seed;
    this.samples = Math.max(1, settings.samples ?? defaultJudgeSettings.samples);
    this.library = settings.library;
    this.temperature = settings.temperature ?? (this.samples > 1 ? selfConsistencyTemperature : 0);
    this.maxTokens = settings.maxTokens ?? null;
    this.client = openAiClient(settings);
    this.endpoint = (settings.capabilities ?? processCapabilities).endpoint({
      baseUrl: settings.baseUrl,
      model: settings.model,
      tokenParameter: settings.tokenParameter ?? defaultTokenParameter(settings.kind ?? guessProviderKind(settings.baseUrl), settings.model),
    });
  }

  /** The messages every sample starts from. */
  prompt(rubric: Rubric, transcript: readonly ScoredTurn[], context?: ScoringContext): TextMessage[] {
    const examples = this.library ? judgeExamplesFor(this.library(), rubric) : [];
    return [
      { role: "system", content: judgeInstructions(rubric, examples) },
      ...(context ? [{ role: "user" as const, content: contextMessage(context) }] : []),
      { role: "user", content: transcriptMessage(transcript) },
    ];
  }

  async score(rubric: Rubric, transcript: readonly ScoredTurn[], _metrics: ConversationMetrics, context?: ScoringContext): Promise<ScoreResult> {
    const prompt = this.prompt(rubric, transcript, context);
    const usage: TokenUsage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
    const seeds = Array.from({ length: this.samples }, (_, index) => this.seed + index);
    const samples = await Promise.all(seeds.map((seed) => this.sample(rubric, transcript, prompt, seed, usage)));
    const answers: Extract<Sample, { ok: true }>[] = [];
    for (const sample of samples) {
      if (!sample.ok) return sample;
      answers.push(sample);
    }
    return {
      ok: true,
      criteria: combineSamples(answers.map((answer) => answer.criteria)),
      // The rubric gives the next step for every scorer (nextStepFor), so the judge is not asked for one.
      nextStep: null,
      usage,
      influenceAttempts: mergeInfluenceAttempts([], answers.flatMap((answer) => answer.influenceAttempts)),
    };
  }

  /** One judge answer, checked, sent back once if it breaks the evidence rules. */
  private async sample(rubric: Rubric, transcript: readonly ScoredTurn[], prompt: TextMessage[], seed: number, usage: TokenUsage): Promise<Sample> {
    const messages = [...prompt];
    let problems: string[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      let content: string;
      try {
        const completion = await this.complete(messages, seed);
        content = completion.choices[0]?.message.content ?? "";
        const used: TokenUsage = {
          inputTokens: completion.usage?.prompt_tokens ?? 0,
          outputTokens: completion.usage?.completion_tokens ?? 0,
          cachedTokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0,
        };
        usage.inputTokens += used.inputTokens;
        usage.outputTokens += used.outputTokens;
        usage.cachedTokens += used.cachedTokens;
        // Per call, so the tokens of an answer that is then rejected are counted too.
        if (completion.usage) this.observer?.usage(this.model, "judge", used);
        this.observer?.callSucceeded?.(this.model, "judge");
      } catch (error) {
        this.observer?.callFailed?.(callFailure(this.model, "judge", error));
        if (error instanceof OpenAI.APIConnectionTimeoutError) {
          this.observer?.failure(this.model, "timeout");
          return { ok: false, code: "timeout", message: "the judge took too long", retryable: true };
        }
        const status = error instanceof OpenAI.APIError ? error.status : undefined;
        return { ok: false, code: "unavailable", message: status ? `the judge answered ${status}` : "the judge could not be reached", retryable: true };
      }
      const output = JudgeOutput.safeParse(jsonIn(content));
      if (!output.success) {
        problems = ["the answer was not JSON in the requested shape"];
      } else {
        const criteria = judgeResults(output.data);
        const influenceAttempts = judgeInfluenceAttempts(output.data);
        problems = [...evidenceProblems(rubric, transcript, criteria), ...reportedAttemptProblems(transcript, influenceAttempts)];
        if (problems.length === 0) return { ok: true, criteria, influenceAttempts };
      }
      this.observer?.failure(this.model, "invalid_output");
      messages.push({ role: "assistant", content }, { role: "user", content: correctionMessage(problems) });
    }
    return { ok: false, code: "invalid-output", message: `the judge's answer was rejected twice: ${problems.join("; ")}`, retryable: false };
  }

  /**
   * One call, deterministic where the provider allows: temperature 0 (or the sampling temperature)
   * and a seed, the answer's schema as response_format. A provider that refuses one of them is
   * asked again without it (JSON mode, then the schema in the prompt, for the schema), and never
   * sent it again.
   */
  private complete(messages: TextMessage[], seed: number): Promise<OpenAI.ChatCompletion> {
    return sendWithFallback({
      memory: this.endpoint,
      purpose: "judge",
      model: this.model,
      observer: this.observer,
      build: (support) => this.request(messages, seed, support),
      send: (request) => this.client.chat.completions.create(request),
    });
  }

  private request(messages: TextMessage[], seed: number, support: EndpointSupport): OpenAI.ChatCompletionCreateParamsNonStreaming {
    const structured = support["structured-output"];
    // Without the schema as response_format, the model reads it in its instructions.
    const asked = structured === "json_schema" ? messages : withSchemaInstruction(messages);
    const request: OpenAI.ChatCompletionCreateParamsNonStreaming = {
      model: this.model,
      messages: support["message-layout"] === "alternating" ? alternatingMessages(asked) : asked,
    };
    if (structured === "json_schema") request.response_format = zodResponseFormat(JudgeOutput, "scorecard");
    if (structured === "json_object") request.response_format = { type: "json_object" };
    if (support.temperature === "sent") request.temperature = this.temperature;
    if (support.seed === "sent") request.seed = seed;
    const cap = support["token-parameter"];
    if (this.maxTokens !== null && cap !== "none") request[cap] = this.maxTokens;
    return request;
  }
}

/** The messages with the answer's schema after the instructions (the first message). */
function withSchemaInstruction(messages: TextMessage[]): TextMessage[] {
  const [first, ...rest] = messages;
  if (!first) return messages;
  return [{ ...first, content: `${first.content}\n\n${schemaInstruction(JudgeOutput)}` }, ...rest];
}
