import { offlineScorer, type TranscriptScorer } from "@spar/domain";
import { defaultJudgeSettings, OpenAiJudge } from "@spar/llm";
import type { AppConfig } from "./env.ts";

/** The offline scorer when no LLM is configured, otherwise the judge model. */
export function createScorer(config: AppConfig): TranscriptScorer {
  if (config.llm.engine === "offline") return offlineScorer;
  return new OpenAiJudge({ ...defaultJudgeSettings, apiKey: config.llm.apiKey, baseUrl: config.llm.baseUrl, model: config.llm.judgeModel });
}
