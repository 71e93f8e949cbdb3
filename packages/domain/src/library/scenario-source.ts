import { parse } from "yaml";
import type { Library } from "./library.ts";
import { Scenario } from "./scenario-schema.ts";

const parsedSources = new Map<string, Scenario>();

/**
 * The scenario a session ran on, by content hash: from the loaded library when it still has that
 * version, otherwise parsed from the source text the database kept when the session started
 * (read only then: the library holds the current versions, which nearly every turn is on).
 */
export async function scenarioForSession(library: Library, contentHash: string, source: (contentHash: string) => Promise<string | null>): Promise<Scenario | null> {
  for (const entry of library.scenarios.values()) {
    if (entry.contentHash === contentHash) return entry.value;
  }
  const parsed = parsedSources.get(contentHash);
  if (parsed) return parsed;
  const text = await source(contentHash);
  return text === null ? null : scenarioFromSource(contentHash, text);
}

/** A stored scenario version's source text, parsed once per content hash. */
export function scenarioFromSource(contentHash: string, text: string): Scenario {
  let scenario = parsedSources.get(contentHash);
  if (!scenario) {
    scenario = Scenario.parse(parse(text));
    parsedSources.set(contentHash, scenario);
  }
  return scenario;
}

