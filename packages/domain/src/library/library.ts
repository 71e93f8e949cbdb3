import { type ExampleTranscript, ExampleTranscript as ExampleSchema } from "./example-schema.ts";
import { type Rubric, Rubric as RubricSchema } from "./rubric-schema.ts";
import { type Scenario, Scenario as ScenarioSchema } from "./scenario-schema.ts";
import { type LibraryIssue, type PathSegment, YamlSource } from "./yaml-source.ts";

export interface SourceFile {
  /** As it should appear in messages, e.g. `scenarios/missed-deadline/missed-deadline.scenario.yaml`. */
  path: string;
  text: string;
  /** The file's real size when `text` was cut short because the file is over the size limit. */
  byteLength?: number;
}

export type LibraryFileKind = "scenario" | "rubric" | "example";

export interface LibraryEntry<T> {
  value: T;
  file: string;
  /** SHA-256 of the file's text: the version a session records. */
  contentHash: string;
  source: string;
}

/** An example transcript, and whether it belongs to the held-out part of the calibration set. */
export interface ExampleEntry extends LibraryEntry<ExampleTranscript> {
  heldOut: boolean;
}

export interface Library {
  scenarios: ReadonlyMap<string, LibraryEntry<Scenario>>;
  rubrics: ReadonlyMap<string, LibraryEntry<Rubric>>;
  /** The tuning examples first, then the held-out ones, each part in file order. */
  examples: readonly ExampleEntry[];
}

export interface LoadedLibrary {
  library: Library;
  issues: LibraryIssue[];
}

/** Reads files into a library: `loadLibrary` itself, or the same run elsewhere (a worker thread). */
export type LibraryLoad = (files: readonly SourceFile[]) => Promise<LoadedLibrary>;

/** The problems `loadLibrary` finds in files, without the library: what a publish needs to decide. */
export type LibraryCheck = (files: readonly SourceFile[]) => Promise<LibraryIssue[]>;

export const checkLibrary: LibraryCheck = async (files) => (await loadLibrary(files)).issues;

export function fileKind(path: string): LibraryFileKind | null {
  if (path.endsWith(".scenario.yaml")) return "scenario";
  if (path.endsWith(".rubric.yaml")) return "rubric";
  if (path.endsWith(".example.yaml")) return "example";
  return null;
}

/** The folder, inside a scenario's folder, whose examples the scorer's tuning never looks at. */
export const heldOutFolder = "held-out";

const workedExampleNames = new Set(["strong.example.yaml", "weak.example.yaml", "mixed.example.yaml"]);

/** A scenario's worked example: the strong, weak or mixed transcript its persona rules were written for. */
export function isWorkedExample(path: string): boolean {
  return workedExampleNames.has(path.split(/[\\/]/).at(-1) ?? "");
}

/** Whether an example file sits in a `held-out/` folder (paths as the loader was given them, / or \\). */
export function isHeldOut(path: string): boolean {
  return path.split(/[\\/]/).at(-2) === heldOutFolder;
}

export async function contentHash(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

const schemas = { scenario: ScenarioSchema, rubric: RubricSchema, example: ExampleSchema } as const;

interface Parsed<T> {
  entry: LibraryEntry<T>;
  source: YamlSource;
}

/**
 * Reads scenario, rubric and example files into a library, reporting every problem in every
 * file at once (syntax, unknown fields, wrong types, missing fields), then the checks across
 * files. Files with errors are left out; the rest of the library still loads.
 */
export async function loadLibrary(files: readonly SourceFile[]): Promise<LoadedLibrary> {
  const issues: LibraryIssue[] = [];
  const parsed = { scenario: [] as Parsed<Scenario>[], rubric: [] as Parsed<Rubric>[], example: [] as Parsed<ExampleTranscript>[] };
  /** Ids named by files that failed to load, so their dependants do not get a second, misleading error. */
  const brokenIds = { scenario: new Set<string>(), rubric: new Set<string>() };

  for (const file of files) {
    const kind = fileKind(file.path);
    if (!kind) {
      issues.push({ file: file.path, line: 1, column: 1, path: "", message: "name library files *.scenario.yaml, *.rubric.yaml or *.example.yaml" });
      continue;
    }
    const { source, value, issues: syntaxIssues } = YamlSource.parse(file.path, file.text, file.byteLength);
    issues.push(...syntaxIssues);
    if (syntaxIssues.length > 0) continue;
    const result = schemas[kind].safeParse(value, { reportInput: true });
    if (!result.success) {
      issues.push(...source.zodIssues(result.error));
      const id = (value as { id?: unknown } | null)?.id;
      if (typeof id === "string" && kind !== "example") brokenIds[kind].add(id);
      continue;
    }
    const entry = { value: result.data, file: file.path, contentHash: await contentHash(file.text), source: file.text };
    (parsed[kind] as Parsed<unknown>[]).push({ entry, source });
  }

  const rubrics = new Map<string, LibraryEntry<Rubric>>();
  for (const { entry, source } of parsed.rubric) {
    const rubricIssues = checkRubric(entry.value, source);
    const duplicate = rubrics.get(entry.value.id);
    if (duplicate) rubricIssues.push(source.issue(["id"], `rubric id "${entry.value.id}" is also used by ${duplicate.file}`));
    issues.push(...rubricIssues);
    if (rubricIssues.length === 0) rubrics.set(entry.value.id, entry);
    else brokenIds.rubric.add(entry.value.id);
  }

  const scenarios = new Map<string, LibraryEntry<Scenario>>();
  for (const { entry, source } of parsed.scenario) {
    const scenarioIssues = checkScenario(entry.value, source);
    const rubricId = entry.value.rubric;
    if (!rubrics.has(rubricId) && !brokenIds.rubric.has(rubricId)) {
      scenarioIssues.push(source.issue(["rubric"], `no rubric with id "${rubricId}" in the library`));
    }
    const duplicate = scenarios.get(entry.value.id);
    if (duplicate) scenarioIssues.push(source.issue(["id"], `scenario id "${entry.value.id}" is also used by ${duplicate.file}`));
    issues.push(...scenarioIssues);
    if (entry.value.show_mood && entry.value.assessment) {
      // Not an error: the scenario works, the setting just does nothing there.
      issues.push({ ...source.issue(["show_mood"], "an assessment never shows the persona's mood: show_mood has no effect here"), severity: "warning" });
    }
    if (scenarioIssues.length === 0 && rubrics.has(rubricId)) scenarios.set(entry.value.id, entry);
    else brokenIds.scenario.add(entry.value.id);
  }

  const examples: ExampleEntry[] = [];
  for (const { entry, source } of parsed.example) {
    const scenario = scenarios.get(entry.value.scenario);
    if (!scenario) {
      if (!brokenIds.scenario.has(entry.value.scenario)) {
        issues.push(source.issue(["scenario"], `no scenario with id "${entry.value.scenario}" in the library`));
      }
      continue;
    }
    const rubric = rubrics.get(scenario.value.rubric) as LibraryEntry<Rubric>;
    const exampleIssues = checkExample(entry.value, rubric.value, source);
    issues.push(...exampleIssues);
    if (exampleIssues.length === 0) examples.push({ ...entry, heldOut: isHeldOut(entry.file) });
  }
  // Tuning examples first, and among them a scenario's worked examples (strong.example.yaml,
  // weak.example.yaml, mixed.example.yaml: written to play through with the offline persona):
  // code that wants "the" strong example of a scenario (demo history, walkthroughs) gets the
  // worked one, and the held-out ones stay out of sight unless asked for. Stable otherwise.
  const rank = (example: ExampleEntry) => (example.heldOut ? 2 : isWorkedExample(example.file) ? 0 : 1);
  examples.sort((a, b) => rank(a) - rank(b));

  for (const [id, scenario] of scenarios) {
    const warn = (message: string) => issues.push({ severity: "warning", file: scenario.file, line: 1, column: 1, path: "", message });
    const own = examples.filter((example) => example.value.scenario === id);
    const kinds = calibrationKinds(own);
    if (!kinds.has("strong")) warn("no strong example transcript: calibration needs one");
    if (!kinds.has("weak")) warn("no weak (or adversarial) example transcript: calibration needs one to compare the strong ones with");
    const heldOut = own.filter((example) => example.heldOut);
    if (heldOut.length > 0) {
      const heldOutKinds = calibrationKinds(heldOut);
      if (!heldOutKinds.has("strong")) warn(`no strong example in ${heldOutFolder}/: the held-out targets cannot compare strong with weak`);
      if (!heldOutKinds.has("weak")) warn(`no weak or adversarial example in ${heldOutFolder}/: the held-out targets cannot compare strong with weak`);
    }
  }

  return { library: { scenarios, rubrics, examples }, issues };
}

/** Adversarial examples stand in for weak ones: both should score below the pass mark. */
function calibrationKinds(examples: readonly ExampleEntry[]): Set<"strong" | "weak"> {
  const kinds = new Set<"strong" | "weak">();
  for (const { value } of examples) {
    if (value.label === "strong") kinds.add("strong");
    if (value.label === "weak" || value.label === "adversarial") kinds.add("weak");
  }
  return kinds;
}

function duplicates<T>(items: readonly T[], key: (item: T) => string): number[] {
  const seen = new Set<string>();
  return items.flatMap((item, index) => {
    const value = key(item);
    if (seen.has(value)) return [index];
    seen.add(value);
    return [];
  });
}

function checkRubric(rubric: Rubric, source: YamlSource): LibraryIssue[] {
  return duplicates(rubric.criteria, (criterion) => criterion.id).map((index) =>
    source.issue(["criteria", index, "id"], `criterion id "${rubric.criteria[index]?.id}" appears twice`),
  );
}

function checkScenario(scenario: Scenario, source: YamlSource): LibraryIssue[] {
  const issues: LibraryIssue[] = [];
  const hiddenIds = new Set(scenario.persona.hidden.map((fact) => fact.id));
  for (const index of duplicates(scenario.persona.hidden, (fact) => fact.id)) {
    issues.push(source.issue(["persona", "hidden", index, "id"], `hidden fact id "${scenario.persona.hidden[index]?.id}" appears twice`));
  }
  for (const index of duplicates(scenario.rules, (rule) => rule.id)) {
    issues.push(source.issue(["rules", index, "id"], `rule id "${scenario.rules[index]?.id}" appears twice`));
  }
  const unknownFact = (path: PathSegment[], id: string) =>
    source.issue(path, `no hidden fact "${id}" in persona.hidden (known: ${[...hiddenIds].join(", ")})`);
  scenario.rules.forEach((rule, index) => {
    if (rule.reveals && !hiddenIds.has(rule.reveals)) issues.push(unknownFact(["rules", index, "reveals"], rule.reveals));
    for (const field of ["revealed", "not_revealed"] as const) {
      rule.match[field]?.forEach((id, position) => {
        if (!hiddenIds.has(id)) issues.push(unknownFact(["rules", index, "match", field, position], id));
      });
    }
  });
  return issues;
}

function checkExample(example: ExampleTranscript, rubric: Rubric, source: YamlSource): LibraryIssue[] {
  const issues: LibraryIssue[] = [];
  const criterionIds = rubric.criteria.map((criterion) => criterion.id);
  for (const id of criterionIds) {
    if (!(id in example.expected)) issues.push(source.issue(["expected"], `no expected band for criterion "${id}" of rubric ${rubric.id}`));
  }
  for (const id of Object.keys(example.expected)) {
    if (!criterionIds.includes(id)) {
      issues.push(source.issue(["expected", id], `rubric ${rubric.id} has no criterion "${id}" (it has: ${criterionIds.join(", ")})`, { key: true }));
    }
  }
  if (example.turns[0]?.speaker !== "persona") {
    issues.push(source.issue(["turns", 0, "speaker"], "the first turn is the persona's opening line"));
  }
  return issues;
}
