import { offlineScorer, type TranscriptScorer } from "@spar/domain";
import { defaultJudgeSettings, type LlmObserver, OpenAiJudge } from "@spar/llm";
import type { AppConfig } from "./env.ts";

/** The offline scorer when no LLM is configured, otherwise the judge model, observed by the metrics. */
export function createScorer(config: AppConfig, observer?: LlmObserver): TranscriptScorer {
  if (config.llm.engine === "offline") return offlineScorer;
  return new OpenAiJudge({ ...defaultJudgeSettings, apiKey: config.llm.apiKey, baseUrl: config.llm.baseUrl, model: config.llm.judgeModel, observer });
}
