import type { CompletionContext, CompletionResult } from "@codemirror/autocomplete";
import { Facet } from "@codemirror/state";
import { type EditorView, hoverTooltip } from "@codemirror/view";
import { describeType, type SchemaNode, schemaAt, shapeOf } from "./library-json-schema.ts";
import { enclosingPath, keyAt, lineTokens } from "./yaml-key-path.ts";

/**
 * Completion and hover documentation from the library's JSON Schema, the help VS Code's YAML
 * extension gives an author, in the browser. Written here rather than taken from
 * codemirror-json-schema: that package renders documentation with shiki, whose WebAssembly and
 * inline styles Spar's Content-Security-Policy refuses, and it would triple the editor's download.
 */

/** The schema the edited file is written against; null turns completion and hover off. */
export const librarySchema = Facet.define<SchemaNode | null, SchemaNode | null>({
  combine: (values) => values[0] ?? null,
});

const documentLines = (view: { state: EditorView["state"] }) => view.state.doc.toString().split("\n");

/** The keys already written beside the one on `lineIndex`, so completion does not offer them twice. */
function siblingKeys(lines: readonly string[], lineIndex: number, column: number): Set<string> {
  const keys = new Set<string>();
  const read = (index: number) => {
    const line = lines[index] ?? "";
    if (line.trim() === "" || line.trimStart().startsWith("#")) return null;
    const tokens = lineTokens(line);
    // Text starting left of the column is the parent, or the dash of another list item: the block
    // ends there. Lines of a block scalar start right of the column and are passed over.
    const outside = line.length - line.trimStart().length < column || tokens.some((token) => token.column < column);
    return { tokens, outside };
  };
  const collect = (tokens: ReturnType<typeof lineTokens>) => {
    for (const token of tokens) if (token.column === column) keys.add(token.step);
  };
  // A dash on the line itself ("- na") opens a new item: nothing above belongs to it.
  const opensItem = lineTokens(lines[lineIndex] ?? "").some((token) => token.column < column);
  for (let index = lineIndex - 1; index >= 0 && !opensItem; index--) {
    const line = read(index);
    if (!line) continue;
    // "- id: x" above opens this very item: its key is a sibling, and the item starts there.
    collect(line.tokens);
    if (line.outside) break;
  }
  for (let index = lineIndex + 1; index < lines.length; index++) {
    const line = read(index);
    if (!line) continue;
    if (line.outside) break;
    collect(line.tokens);
  }
  return keys;
}

/** Offers the keys the schema allows where the author is typing one, and the allowed values of an enum. */
export function schemaCompletion(context: CompletionContext): CompletionResult | null {
  const schema = context.state.facet(librarySchema);
  if (!schema) return null;
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, context.pos - line.from);
  const lines = documentLines(context);

  const key = /^(\s*(?:-\s+)*)([\w-]*)$/.exec(before);
  if (key) {
    const column = key[1]?.length ?? 0;
    if (!key[2] && !context.explicit) return null;
    const parent = schemaAt(schema, enclosingPath(lines, line.number - 1, column));
    const properties = parent ? shapeOf(parent).properties : undefined;
    if (!properties) return null;
    const written = siblingKeys(lines, line.number - 1, column);
    return {
      from: line.from + column,
      options: Object.entries(properties)
        .filter(([name]) => !written.has(name))
        .map(([name, node]) => ({
          label: name,
          type: "property",
          detail: describeType(node),
          ...(node.description ? { info: node.description } : {}),
          apply: `${name}: `,
        })),
      validFor: /^[\w-]*$/,
    };
  }

  const value = /^(\s*(?:-\s+)*)([A-Za-z_][\w-]*)[ \t]*:[ \t]+([\w-]*)$/.exec(before);
  if (value?.[2]) {
    const column = value[1]?.length ?? 0;
    const node = schemaAt(schema, [...enclosingPath(lines, line.number - 1, column), value[2]]);
    const allowed = node ? shapeOf(node).enum : undefined;
    if (!allowed) return null;
    return {
      from: context.pos - (value[3]?.length ?? 0),
      options: allowed.map((choice) => ({ label: String(choice), type: "enum" })),
      validFor: /^[\w-]*$/,
    };
  }
  return null;
}

/** The documentation of a key, built as DOM text (never HTML), for the hover tooltip. */
function documentation(name: string, node: SchemaNode, required: boolean): HTMLElement {
  const dom = document.createElement("div");
  dom.className = "cm-schema-documentation";
  const heading = dom.appendChild(document.createElement("p"));
  heading.appendChild(document.createElement("strong")).textContent = name;
  heading.append(` ${required ? "(required)" : "(optional)"}: `);
  heading.appendChild(document.createElement("code")).textContent = describeType(node);
  const description = node.description ?? shapeOf(node).description;
  if (description) dom.appendChild(document.createElement("p")).textContent = description;
  return dom;
}

/** Shows what the schema says about the key under the pointer. */
export const schemaHover = hoverTooltip((view, pos) => {
  const schema = view.state.facet(librarySchema);
  if (!schema) return null;
  const line = view.state.doc.lineAt(pos);
  const found = keyAt(line.text, pos - line.from);
  if (!found) return null;
  const parentPath = enclosingPath(documentLines(view), line.number - 1, found.from);
  const parent = schemaAt(schema, parentPath);
  const node = parent ? shapeOf(parent).properties?.[found.key] : undefined;
  if (!parent || !node) return null;
  const required = shapeOf(parent).required?.includes(found.key) ?? false;
  return {
    pos: line.from + found.from,
    end: line.from + found.to,
    above: true,
    create: () => ({ dom: documentation(found.key, node, required) }),
  };
});
