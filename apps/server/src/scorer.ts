import { type Library, offlineScorer, type TranscriptScorer } from "@spar/domain";
import { defaultJudgeSettings, judgeDeadlineMs, type LlmObserver, OpenAiJudge } from "@spar/llm";
import type { AppConfig } from "./env.ts";
import { engineSettings } from "./llm-settings.ts";

/**
 * The offline scorer when no LLM is configured, otherwise the judge model, observed by the
 * metrics, with worked examples from the library in its instructions.
 */
export function createScorer(config: AppConfig, observer?: LlmObserver, library?: () => Library): TranscriptScorer {
  if (config.llm.engine === "offline") return offlineScorer;
  return new OpenAiJudge({
    ...defaultJudgeSettings,
    ...engineSettings(config.llm.judge),
    samples: config.llm.judge.samples,
    seed: config.llm.judge.seed,
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
