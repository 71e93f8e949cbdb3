import { readFile } from "node:fs/promises";
import path from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { libraryJsonSchemas } from "../../src/library/json-schemas.ts";
import { fileKind } from "../../src/library/library.ts";
import { readYamlTree, repositoryRoot } from "./read-files.ts";

const schemaDir = path.join(repositoryRoot, "scenarios", "schema");
const generated = libraryJsonSchemas();

describe("the JSON Schemas for editors", async () => {
  const shipped = Object.fromEntries(
    await Promise.all(
      Object.keys(generated).map(async (kind) => [kind, JSON.parse(await readFile(path.join(schemaDir, `${kind}.schema.json`), "utf8"))]),
    ),
  );
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validators = {
    scenario: ajv.compile(shipped.scenario),
    rubric: ajv.compile(shipped.rubric),
    example: ajv.compile(shipped.example),
  };

  it("are shipped as generated from the zod schemas (run `pnpm spar scenarios schema` after changing them)", () => {
    expect(shipped).toEqual(JSON.parse(JSON.stringify(generated)));
  });

  it("accept every shipped library file in a standard JSON Schema validator", async () => {
    const files = await readYamlTree(path.join(repositoryRoot, "scenarios"));
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) {
      const kind = fileKind(file.path);
      expect(kind, file.path).not.toBeNull();
      const validate = validators[kind as keyof typeof validators];
      expect(validate(parse(file.text)), `${file.path}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });

  it("point editors at them from the first line of every shipped file, held-out ones included", async () => {
    const files = await readYamlTree(path.join(repositoryRoot, "scenarios"));
    for (const file of files) {
      const toSchemas = path.relative(path.dirname(path.join(repositoryRoot, file.path)), schemaDir).split(path.sep).join("/");
      expect(file.text.split("\n")[0], file.path).toBe(`# yaml-language-server: $schema=${toSchemas}/${fileKind(file.path)}.schema.json`);
    }
    expect(files.some((file) => file.text.startsWith("# yaml-language-server: $schema=../../schema/example.schema.json"))).toBe(true);
  });

  it("reject an unknown field and a wrong type, as the loader does", async () => {
    const broken = path.join(repositoryRoot, "packages/domain/test/fixtures/library/broken");
    for (const name of ["unknown-field.scenario.yaml", "wrong-type.scenario.yaml"]) {
      const value = parse(await readFile(path.join(broken, name), "utf8"));
      expect(validators.scenario(value), name).toBe(false);
    }
  });
});
