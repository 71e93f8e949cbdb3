import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadLibrary, type Scenario } from "@spar/domain";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** A scenario of the library the repository ships, loaded as the server loads it. */
export async function shippedScenario(id: string): Promise<Scenario> {
  const dir = path.join(root, "scenarios");
  const names = (await readdir(dir, { recursive: true })).filter((name) => name.endsWith(".yaml"));
  const files = await Promise.all(names.map(async (name) => ({ path: name, text: await readFile(path.join(dir, name), "utf8") })));
  const { library } = await loadLibrary(files);
  return library.scenarios.get(id)?.value as Scenario;
}
