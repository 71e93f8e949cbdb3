// Building blocks for tests that need a whole Spar server: used by this package's tests and by
// the cross-package tests in tests/.
import type { DatabaseKind } from "@spar/db";
import { openTestDatabase, type TestDatabase } from "@spar/db/testing";
import { type Clock, demoPassword } from "@spar/domain";
import { type AppDeps, buildApp } from "./app.ts";
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

/**
 * Test-sized waits: polling and supervision every second or less, and backoff from a second (what
 * tests always did), so a test sees retries and lapsed leases in seconds rather than minutes.
 */
export const testScoringQueue: NonNullable<AppDeps["scoringQueue"]> = { pollMs: 500, superviseMs: 1_000, outboxMs: 1_000, backoffBaseMs: 1_000 };

export interface TestServerOptions {
  environment?: Record<string, string>;
  clock?: Clock;
  persona?: AppDeps["persona"];
  socket?: AppDeps["socket"];
  scorer?: AppDeps["scorer"];
  /** The scoring queue's waits; by default small, so retries and lapsed leases show within seconds. */
  scoringQueue?: AppDeps["scoringQueue"];
  mailer?: AppDeps["mailer"];
  throttleLimits?: AppDeps["throttleLimits"];
  underPressure?: AppDeps["underPressure"];
  replyState?: AppDeps["replyState"];
  /** Pino options for tests that read the log (a `stream` to collect lines); quiet by default. */
  logger?: AppDeps["logger"];
}

export async function startTestApp(kind: DatabaseKind, options: TestServerOptions = {}) {
  const database: TestDatabase = await openTestDatabase(kind);
  // Most tests need the demo people, not their weeks of history; tests that do say so.
  // The configuration names the test's own database, as DATABASE_URL would in production: what
  // runs on PostgreSQL only (the scoring job queue) then runs in PostgreSQL tests. Load shedding
  // is off: a busy test machine lags for reasons that are not the server's load (tests of it turn
  // it on with `underPressure`).
  const config = loadConfig({
    SPAR_ENV: "test",
    LOG_LEVEL: "silent",
    SPAR_DEMO_HISTORY: "off",
    SPAR_MAX_EVENT_LOOP_DELAY_MS: "0",
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...options.environment,
  });
  const built = await buildApp({
    config,
    database,
    logger: options.logger ?? false,
    clock: options.clock,
    persona: options.persona,
    socket: options.socket,
    scorer: options.scorer,
    scoringQueue: { ...testScoringQueue, ...options.scoringQueue },
    mailer: options.mailer,
    throttleLimits: options.throttleLimits,
    underPressure: options.underPressure,
    replyState: options.replyState,
  });
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

/** Loads the demo organisation and signs in as one of its people; returns the cookie header. */
export async function demoSignIn(app: { inject: SparInject }, email: string): Promise<string> {
  const setup = await app.inject({ method: "GET", url: "/api/setup" });
  if ((setup.json() as { needsSetup: boolean }).needsSetup) await app.inject({ method: "POST", url: "/api/setup/demo" });
  const response = await app.inject({ method: "POST", url: "/api/auth/sign-in", payload: { email, password: demoPassword } });
  if (response.statusCode !== 200) throw new Error(`could not sign in as ${email}: ${response.body}`);
  return String(response.headers["set-cookie"]).split(";")[0] as string;
}

type SparInject = (options: { method: "GET" | "POST"; url: string; payload?: object }) => Promise<{
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
  json: () => unknown;
}>;

/** Creates the first L&D admin of a fresh install and returns their cookie header. */
export async function firstAdminSignIn(app: { inject: SparInject }, email = "ines.admin@example.com", password = "a long admin passphrase"): Promise<string> {
  const response = await app.inject({ method: "POST", url: "/api/setup/admin", payload: { name: "Ines Admin", email, password } });
  if (response.statusCode !== 201) throw new Error(`could not create the first admin: ${response.body}`);
  return String(response.headers["set-cookie"]).split(";")[0] as string;
}
export { defaultThrottleLimits } from "./accounts/sign-in-throttle.ts";
export { localReplyState, type ReplyState } from "./practice/reply-state.ts";
