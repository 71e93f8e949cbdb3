import { parse } from "yaml";
import type { Library } from "./library.ts";
import { Scenario } from "./scenario-schema.ts";

const parsedSources = new Map<string, Scenario>();

/**
 * The scenario a session ran on, by content hash: from the loaded library when it still has that
 * version, otherwise parsed from the source text the database kept when the session started.
 */
export function scenarioForSession(library: Library, contentHash: string, source: string): Scenario {
  for (const entry of library.scenarios.values()) {
    if (entry.contentHash === contentHash) return entry.value;
  }
  let scenario = parsedSources.get(contentHash);
  if (!scenario) {
    scenario = Scenario.parse(parse(source));
    parsedSources.set(contentHash, scenario);
  }
  return scenario;
}
