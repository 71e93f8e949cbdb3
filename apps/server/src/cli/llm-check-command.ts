// `spar llm check`: asks the configured persona and judge models one small thing each, the way
// the server does, and prints what worked, what the endpoint refused and Spar did without, how
// long the first token took, and what to set when something fails.
import { loadLibrary } from "@spar/domain";
import { EndpointCapabilities } from "@spar/llm";
import type { AppConfig } from "../env.ts";
import { readLibraryFiles } from "../library/library-files.ts";
import { probeLlm } from "../llm-probe.ts";
import { llmCheckReport } from "./llm-check-report.ts";
import { invocationDir } from "./scenario-commands.ts";

/** Runs the check and prints its report; 0 when both roles work (or no LLM is configured). */
export async function checkLlm(config: AppConfig): Promise<number> {
  if (config.llm.engine === "offline") {
    console.log("Spar runs on its offline engine: no LLM is configured, so there is nothing to check.");
    console.log("To use one, set OPENAI_API_KEY, or the SPAR_PERSONA_* and SPAR_JUDGE_* settings in docs/llm-providers.md.");
    return 0;
  }
  const { library } = await loadLibrary(await readLibraryFiles([config.library.dir], invocationDir));
  console.log("Asking the persona and the judge one small thing each, as the server would (docs/llm-providers.md).\n");
  // A memory of its own, so the report shows every fallback the endpoints need.
  const { persona, judge } = await probeLlm(config.llm, library, new EndpointCapabilities());
  console.log(llmCheckReport([persona, judge]));
  return persona.ok && judge.ok ? 0 : 1;
}
