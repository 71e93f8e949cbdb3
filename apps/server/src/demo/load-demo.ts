import type { Database } from "@spar/db";
import type { Library } from "@spar/domain";
import type { Services } from "../services.ts";
import { seedDemoHistory } from "./seed-demo-history.ts";

export type LoadDemoResult = Awaited<ReturnType<Services["demo"]["load"]>> & { sessions?: number };

/** The demo organisation with its weeks of practice history. */
export async function loadDemo(
  services: Services,
  database: Database,
  library: Library,
  options: { history: boolean; now?: Date },
): Promise<LoadDemoResult> {
  const result = await services.demo.load();
  if (!result.created || !options.history) return result;
  return { ...result, sessions: await seedDemoHistory(database, library, options.now ?? new Date()) };
}
