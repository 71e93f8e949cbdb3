import type { Comparison, ComparisonOperator, DirectoryFilter } from "@spar/domain";
import { textProblem } from "@spar/protocol";
import SCIMMY from "scimmy";

type FieldKind = "text" | "id" | "boolean" | "time";

/** SCIM attribute paths (lower-cased) a filter may use, and the directory field each one reads. */
export type FilterableAttributes<Field extends string> = Record<string, { field: Field; kind: FieldKind }>;

const operators = new Set<ComparisonOperator>(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "np"]);
const negations: Partial<Record<ComparisonOperator, ComparisonOperator>> = { eq: "ne", ne: "eq", pr: "np", np: "pr" };
const orderings = new Set<ComparisonOperator>(["gt", "ge", "lt", "le"]);
const textOnly = new Set<ComparisonOperator>(["co", "sw", "ew"]);

const invalidFilter = (detail: string) => new SCIMMY.Types.Error(400, "invalidFilter", detail);

/**
 * Turns the filter scimmy parsed (`userName eq "a@b.c" and active eq true`) into comparisons the
 * directory runs in SQL, so paging and totals come from the database rather than from every
 * person loaded into memory. An attribute Spar cannot filter on is refused by name.
 */
export function toDirectoryFilter<Field extends string>(
  filter: SCIMMY.Types.Filter | undefined,
  attributes: FilterableAttributes<Field>,
  schemaId: string,
): DirectoryFilter<Field> {
  if (!filter) return [];
  const prefix = `${schemaId.toLowerCase()}:`;
  return [...filter].map((expression) => {
    const comparisons: Comparison<Field>[] = [];
    for (const [path, test] of flatten(expression)) {
      const name = path.toLowerCase().startsWith(prefix) ? path.slice(prefix.length) : path;
      const attribute = attributes[name.toLowerCase()];
      if (!attribute) {
        throw invalidFilter(`Spar cannot filter on '${name}'; filter on one of: ${Object.keys(attributes).join(", ")}.`);
      }
      comparisons.push(comparisonOf(name, attribute, test));
    }
    return comparisons;
  });
}

/** `{ name: { formatted: ["eq", "x"] } }` → `["name.formatted", ["eq", "x"]]`; repeated tests of one attribute come as a list of lists. */
function flatten(expression: unknown, path = ""): [string, unknown[]][] {
  if (Array.isArray(expression)) {
    return Array.isArray(expression[0]) ? expression.map((each) => [path, each as unknown[]]) : [[path, expression]];
  }
  if (typeof expression !== "object" || expression === null) throw invalidFilter(`The filter on '${path}' is not a comparison.`);
  return Object.entries(expression).flatMap(([key, value]) => flatten(value, path ? `${path}.${key}` : key));
}

function comparisonOf<Field extends string>(name: string, attribute: { field: Field; kind: FieldKind }, test: unknown[]): Comparison<Field> {
  const negated = test[0] === "not";
  const [rawOperator, value] = negated ? test.slice(1) : test;
  const given = String(rawOperator).toLowerCase() as ComparisonOperator;
  if (!operators.has(given)) throw invalidFilter(`Unknown operator '${String(rawOperator)}' on '${name}'.`);
  const operator = negated ? negations[given] : given;
  if (!operator) throw invalidFilter(`Spar cannot negate '${given}' on '${name}'; use eq, ne, pr or np inside not().`);
  if (operator === "pr" || operator === "np") return { field: attribute.field, operator };
  if (value === undefined || value === null) throw invalidFilter(`The '${operator}' test on '${name}' needs a value.`);
  const problem = typeof value === "string" ? textProblem(value) : null;
  if (problem) throw invalidFilter(`The value compared with '${name}' ${problem}.`);

  switch (attribute.kind) {
    case "boolean":
      if (typeof value !== "boolean" || (operator !== "eq" && operator !== "ne")) {
        throw invalidFilter(`'${name}' is compared with eq or ne and true or false.`);
      }
      return { field: attribute.field, operator, value };
    case "time": {
      const at = typeof value === "string" ? new Date(value) : null;
      if (!at || Number.isNaN(at.getTime()) || textOnly.has(operator)) {
        throw invalidFilter(`'${name}' is compared with eq, ne, gt, ge, lt or le and a date-time like "2026-01-31T09:00:00Z".`);
      }
      return { field: attribute.field, operator, value: at };
    }
    case "id":
      if (typeof value !== "string" || textOnly.has(operator) || orderings.has(operator)) {
        throw invalidFilter(`'${name}' is compared with eq or ne and a quoted id.`);
      }
      return { field: attribute.field, operator, value };
    case "text":
      if (typeof value !== "string") throw invalidFilter(`'${name}' is compared with a quoted string.`);
      return { field: attribute.field, operator, value };
  }
}
