import { libraryJsonSchemas } from "@spar/domain";
import { type KeyPathStep, listItem } from "./yaml-key-path.ts";

/**
 * The part of a JSON Schema the editor reads: what the generator in @spar/domain emits for the
 * library (draft-07, no $ref), so no general JSON Schema library is needed here.
 */
export interface SchemaNode {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
}

let schemas: Record<"scenario" | "rubric" | "example", SchemaNode> | null = null;

/**
 * The schema a library file is written against, told by its name as the CLI tells it; null for a
 * name that is none of the three. Generated from the same zod schemas as the server's /schemas.
 */
export function schemaForFile(path: string): SchemaNode | null {
  const kind = /\.(scenario|rubric|example)\.ya?ml$/.exec(path)?.[1] as "scenario" | "rubric" | "example" | undefined;
  if (!kind) return null;
  schemas ??= libraryJsonSchemas() as Record<"scenario" | "rubric" | "example", SchemaNode>;
  return schemas[kind];
}

// A nullable or optional field is generated as anyOf [the shape, null]: read the shape.
export function shapeOf(node: SchemaNode): SchemaNode {
  const alternatives = node.anyOf ?? node.oneOf;
  return alternatives?.find((alternative) => alternative.properties || alternative.items || alternative.enum) ?? node;
}

/**
 * The schema of the node at `path` below `root`, or null where the schema says nothing. Returned
 * as written (not its shape), since a description may sit on the nullable wrapper.
 */
export function schemaAt(root: SchemaNode, path: readonly KeyPathStep[]): SchemaNode | null {
  let node: SchemaNode | undefined = root;
  for (const step of path) {
    const parent: SchemaNode = shapeOf(node);
    node = step === listItem ? parent.items : parent.properties?.[step];
    if (!node) return null;
  }
  return node;
}

/** A field's type in words, as hover and completion show it: "string", "one of: a, b". */
export function describeType(node: SchemaNode): string {
  const shape = shapeOf(node);
  if (shape.enum) return `one of: ${shape.enum.join(", ")}`;
  if (shape.type === "array" && shape.items) return `list of ${describeType(shape.items)}`;
  if (shape.type === "object") return "mapping";
  return Array.isArray(shape.type) ? shape.type.join(" or ") : (shape.type ?? "any");
}
