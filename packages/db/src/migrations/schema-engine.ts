// Loads Prisma's schema engine compiled to WebAssembly. The package's own entry imports a
// `.wasm` file, which Node 20 cannot import, so the module is instantiated by hand, the same
// way Prisma's CLI does it. Only the migration tooling uses this; the running app never does.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import { PrismaPGlite } from "pglite-prisma-adapter";

const require = createRequire(import.meta.url);

// The bindings hold one module-level instance: instantiating twice would pull the memory out
// from under an engine that is still finishing, so the module is loaded once per process.
let engineModule: ReturnType<typeof instantiateEngineModule> | undefined;
const loadEngineModule = () => (engineModule ??= instantiateEngineModule());

async function instantiateEngineModule(): Promise<typeof import("@prisma/schema-engine-wasm/schema_engine_bg")> {
  const packageDir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const bindings = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const bytes = await readFile(path.join(packageDir, "schema_engine_bg.wasm"));
  const module = await WebAssembly.compile(bytes);
  const instance = await WebAssembly.instantiate(module, {
    "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports,
  });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bindings;
}

export interface EngineSession {
  engine: SchemaEngine;
  close(): Promise<void>;
}

/**
 * A schema engine working against PGlite databases: by default a throw-away in-memory one, and
 * in-memory shadow databases it replays migrations into, so creating or checking migrations
 * needs no server. Pass `target` to inspect an existing PGlite database instead.
 */
export async function openSchemaEngine(schemaPath: string, target?: PGlite): Promise<EngineSession> {
  const bindings = await loadEngineModule();
  const main = target ?? new PGlite();
  const shadows: PGlite[] = [];
  const mainFactory = new PrismaPGlite(main);
  const factory = bindMigrationAwareSqlAdapterFactory({
    provider: mainFactory.provider,
    adapterName: mainFactory.adapterName,
    connect: () => mainFactory.connect(),
    connectToShadowDb: async () => {
      const shadow = new PGlite();
      shadows.push(shadow);
      return new PrismaPGlite(shadow).connect();
    },
  });
  const datamodel = await readFile(schemaPath, "utf8");
  const engine = await bindings.SchemaEngine.new(
    { datamodels: [[schemaPath, datamodel]] },
    () => {},
    factory,
  );
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all([...(target ? [] : [main.close()]), ...shadows.map((shadow) => shadow.close())]);
    },
  };
}
