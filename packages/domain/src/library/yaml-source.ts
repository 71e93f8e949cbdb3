import { documentProblem } from "@spar/protocol";
import { Composer, type CST, type Document, isMap, isScalar, isSeq, LineCounter, type Node, Parser, YAMLParseError } from "yaml";
import type { z } from "zod";
import { duplicateKeys } from "./yaml-duplicate-keys.ts";
import { checkLimits, sourceLimits } from "./yaml-limits.ts";

export { sourceLimits };

/** One problem in a library file, located for an author: `file:line:column  field.path  message`. */
export interface LibraryIssue {
  /** Errors keep a file out of the library; warnings are advice. */
  severity?: "error" | "warning";
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

export function formatIssue(issue: LibraryIssue): string {
  const prefix = issue.severity === "warning" ? "warning: " : "";
  return `${issue.file}:${issue.line}:${issue.column}  ${issue.path || "(file)"}  ${prefix}${issue.message}`;
}

export type PathSegment = string | number;

/** A parsed YAML file that can say where any field path sits in the text. */
export class YamlSource {
  private constructor(
    readonly file: string,
    private readonly document: Document.Parsed | null,
    private readonly lines: LineCounter,
  ) {}

  static parse(file: string, text: string, byteLength?: number): { source: YamlSource; value: unknown; issues: LibraryIssue[] } {
    const lines = new LineCounter();
    const size = byteLength ?? new TextEncoder().encode(text).length;
    if (size > sourceLimits.maxBytes) {
      const source = new YamlSource(file, null, lines);
      const message = `file is ${Math.ceil(size / 1024)} KiB; the limit is ${sourceLimits.maxBytes / 1024} KiB`;
      return { source, value: undefined, issues: [{ file, line: 1, column: 1, path: "", message }] };
    }
    const refused = documentProblem(text);
    if (refused) {
      return { source: new YamlSource(file, null, lines), value: undefined, issues: [{ file, line: refused.line, column: refused.column, path: "", message: refused.problem }] };
    }
    // Parsed in steps, so the limits are checked on the token tree before any value is built
    // (building recurses once per level: 2,000 levels exhausted the stack), and duplicate keys
    // are found in one pass rather than by the yaml package's quadratic check.
    const tokens = [...new Parser(lines.addNewLine).parse(text)];
    const limit = checkLimits(tokens);
    if (limit) {
      const at = lines.linePos(limit.offset);
      return { source: new YamlSource(file, null, lines), value: undefined, issues: [{ file, line: at.line, column: at.col, path: "", message: limit.message }] };
    }
    const document = composeOne(tokens, text.length);
    const source = new YamlSource(file, document, lines);
    // One syntax problem often trips several parser errors at the same spot: report the first.
    const seen = new Set<number>();
    const issues: LibraryIssue[] = [...document.errors, ...document.warnings].flatMap((error) => {
      if (seen.has(error.pos[0])) return [];
      seen.add(error.pos[0]);
      const at = lines.linePos(error.pos[0]);
      return [{ file, line: at.line, column: at.col, path: "", message: yamlMessage(error.code, error.message) }];
    });
    if (document.errors.length > 0) return { source, value: undefined, issues };
    for (const duplicate of duplicateKeys(document)) {
      const first = source.position(duplicate.first);
      issues.push({ file, ...source.position(duplicate.key), path: "", message: `this field appears twice (first on line ${first.line})` });
    }
    if (issues.length > 0) return { source, value: undefined, issues };
    try {
      return { source, value: document.toJS({ maxAliasCount: sourceLimits.maxAliases }), issues };
    } catch (error) {
      // The yaml library refuses documents whose aliases would expand exponentially (a "billion laughs").
      const message =
        error instanceof ReferenceError
          ? `too many aliases (*name) for their anchors: refused as a possible resource exhaustion attack`
          : (error as Error).message;
      issues.push({ file, line: 1, column: 1, path: "", message });
      return { source, value: undefined, issues };
    }
  }

  private position(node: Node | null | undefined): { line: number; column: number } {
    const offset = node?.range?.[0] ?? 0;
    const at = this.lines.linePos(offset);
    return { line: at.line, column: at.col };
  }

  /** Where a field path is: the value's own position, or the nearest enclosing one that exists. */
  locate(path: readonly PathSegment[], { key = false } = {}): { line: number; column: number } {
    let node: unknown = this.document?.contents;
    let found: Node | null | undefined = node as Node;
    for (const [index, segment] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        const last = index === path.length - 1;
        found = (last && key) || pair.value === null ? (pair.key as Node) : (pair.value as Node);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
        node = node.items[segment];
        found = node as Node;
      } else {
        break;
      }
    }
    return this.position(found);
  }

  issue(path: readonly PathSegment[], message: string, options: { key?: boolean } = {}): LibraryIssue {
    return { file: this.file, ...this.locate(path, options), path: formatPath(path), message };
  }

  /** Every problem zod found, each at the line of the field it is about. */
  zodIssues(error: z.ZodError): LibraryIssue[] {
    return error.issues.flatMap((issue) => {
      if (issue.code === "unrecognized_keys") {
        return issue.keys.map((name) =>
          this.issue([...issue.path, name] as PathSegment[], `unknown field "${name}"`, { key: true }),
        );
      }
      return [this.issue(issue.path as PathSegment[], describeZodIssue(issue))];
    });
  }
}

export function formatPath(path: readonly PathSegment[]): string {
  return path.map(String).join(".");
}

/** The file's one document, composed from its tokens; a second document is an error, as parseDocument makes it. */
function composeOne(tokens: readonly CST.Token[], length: number): Document.Parsed {
  const composer = new Composer({ uniqueKeys: false, prettyErrors: false });
  let document: Document.Parsed | null = null;
  for (const each of composer.compose(tokens, true, length)) {
    if (!document) document = each;
    else {
      document.errors.push(new YAMLParseError([each.range[0], each.range[1]], "MULTIPLE_DOCS", "a library file holds one YAML document: remove the `---` line and what follows, or move it to a file of its own"));
      break;
    }
  }
  return document as Document.Parsed;
}

function yamlMessage(code: string, message: string): string {
  const first = message.split("\n")[0] ?? message;
  if (code === "TAB_AS_INDENT") return "tab characters cannot indent YAML: use spaces";
  if (code === "DUPLICATE_KEY") return "this field appears twice";
  return first.replace(/ at line \d+, column \d+:?$/, "");
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "is required" : `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case "invalid_value":
      return `must be one of: ${issue.values.map(String).join(", ")}`;
    case "too_small":
      // zod's own wording starts "Too small"; a schema's custom message is kept as written.
      if (!issue.message.startsWith("Too small")) return issue.message;
      if (issue.origin === "array") return `needs at least ${issue.minimum} item(s)`;
      if (issue.origin === "string") return "must not be empty";
      return `must be at least ${issue.minimum}`;
    case "too_big":
      if (!issue.message.startsWith("Too big")) return issue.message;
      return issue.origin === "array" ? `allows at most ${issue.maximum} item(s)` : `must be at most ${issue.maximum}`;
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}
