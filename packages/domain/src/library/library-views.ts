import type { RubricView, ScenarioDetail, ScenarioSummary } from "@spar/protocol";
import { levelKeys } from "./common-fields.ts";
import type { Library, LibraryEntry } from "./library.ts";
import type { Rubric } from "./rubric-schema.ts";
import type { Scenario } from "./scenario-schema.ts";

// The learner-facing views of library entries. Hidden facts, behaviour rules and fallback
// replies stay on the server: they are what the persona knows and the learner must discover.

export function scenarioSummary(entry: LibraryEntry<Scenario>, rubric: Rubric): ScenarioSummary {
  const scenario = entry.value;
  return {
    id: scenario.id,
    version: scenario.version,
    contentHash: entry.contentHash,
    title: scenario.title,
    summary: scenario.summary,
    family: scenario.family,
    difficulty: scenario.difficulty,
    competency: rubric.competency,
    estimatedMinutes: scenario.estimated_minutes,
    persona: { name: scenario.persona.name, role: scenario.persona.role },
    assessment: scenario.assessment ? { maxAttempts: scenario.assessment.max_attempts } : null,
  };
}

export function rubricView(entry: LibraryEntry<Rubric>): RubricView {
  const rubric = entry.value;
  return {
    id: rubric.id,
    version: rubric.version,
    contentHash: entry.contentHash,
    title: rubric.title,
    competency: rubric.competency,
    description: rubric.description,
    passMark: rubric.pass_mark,
    scale: rubric.scale,
    criteria: rubric.criteria.map((criterion) => ({
      id: criterion.id,
      title: criterion.title,
      weight: criterion.weight,
      description: criterion.description,
      levels: levelKeys.map((key) => ({
        level: Number(key),
        label: rubric.scale[key],
        description: criterion.levels[key].description,
        soundsLike: criterion.levels[key].sounds_like,
      })),
    })),
  };
}

export function listScenarios(library: Library): ScenarioSummary[] {
  return [...library.scenarios.values()]
    .flatMap((entry) => {
      const rubric = library.rubrics.get(entry.value.rubric);
      return rubric ? [scenarioSummary(entry, rubric.value)] : [];
    })
    .sort((a, b) => a.title.localeCompare(b.title));
}

export function scenarioDetail(library: Library, scenarioId: string): ScenarioDetail | null {
  const entry = library.scenarios.get(scenarioId);
  const rubric = entry && library.rubrics.get(entry.value.rubric);
  if (!entry || !rubric) return null;
  const scenario = entry.value;
  return {
    ...scenarioSummary(entry, rubric.value),
    brief: scenario.brief,
    openingLine: scenario.persona.opening_line,
    maxTurns: scenario.end.max_turns,
    maxMinutes: scenario.end.max_minutes,
    rubric: rubricView(rubric),
  };
}
