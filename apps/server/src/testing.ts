// Building blocks for tests that need a whole Spar server: used by this package's tests and by
// the cross-package tests in tests/.
import type { DatabaseKind } from "@spar/db";
import { openTestDatabase, type TestDatabase } from "@spar/db/testing";
import type { Clock } from "@spar/domain";
import { buildApp } from "./app.ts";
import { loadConfig } from "./env.ts";

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current = new Date("2026-03-02T09:00:00Z")) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}

export interface TestServerOptions {
  environment?: Record<string, string>;
  clock?: Clock;
}

export async function startTestApp(kind: DatabaseKind, options: TestServerOptions = {}) {
  const database: TestDatabase = await openTestDatabase(kind);
  const config = loadConfig({ SPAR_ENV: "test", LOG_LEVEL: "silent", ...options.environment });
  const built = await buildApp({ config, database, logger: false, clock: options.clock });
  return {
    ...built,
    config,
    database,
    async close() {
      await built.app.close();
      await database.close();
    },
  };
}
