import { type Library, offlineScorer, type TranscriptScorer } from "@spar/domain";
import { defaultJudgeSettings, judgeDeadlineMs, type LlmObserver, OpenAiJudge } from "@spar/llm";
import type { AppConfig } from "./env.ts";

/**
 * The offline scorer when no LLM is configured, otherwise the judge model, observed by the
 * metrics, with worked examples from the library in its instructions.
 */
export function createScorer(config: AppConfig, observer?: LlmObserver, library?: () => Library): TranscriptScorer {
  if (config.llm.engine === "offline") return offlineScorer;
  return new OpenAiJudge({
    ...defaultJudgeSettings,
    apiKey: config.llm.apiKey,
    baseUrl: config.llm.baseUrl,
    model: config.llm.judgeModel,
    samples: config.llm.judgeSamples,
    seed: config.llm.judgeSeed,
    observer,
    library,
  });
}

/**
 * The longest one scoring attempt can take with the configured scorer: the judge's own deadline,
 * or a few seconds for the offline scorer, which reads the transcript without calling anyone.
 */
export function scorerDeadlineMs(config: AppConfig): number {
  return config.llm.engine === "offline" ? 10_000 : judgeDeadlineMs(defaultJudgeSettings);
}
