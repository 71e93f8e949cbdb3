// Two server processes on one PostgreSQL, sharing events through Redis: an L&D admin deactivates
// a person on one process, and that person's practice socket on the other closes at once, and
// their cookie stops working there too.
import { createPostgresTestDatabase, type PostgresTestDatabase } from "@spar/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PracticeClient } from "../fixtures/practice-client.ts";
import { signInOverHttp, type ServerProcess, startServerProcess } from "../fixtures/processes.ts";

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

describe("deactivation across server processes (PostgreSQL + Redis)", () => {
  let postgres: PostgresTestDatabase;
  let first: ServerProcess;
  let second: ServerProcess;

  beforeAll(async () => {
    postgres = await createPostgresTestDatabase();
    const environment = { DATABASE_URL: postgres.url, REDIS_URL: redisUrl, SPAR_DEMO: "load" };
    first = await startServerProcess(environment);
    second = await startServerProcess({ ...environment, SPAR_DEMO: "off" });
  }, 120_000);
  afterAll(async () => {
    for (const server of [first, second]) {
      server?.process.kill("SIGTERM");
      await server?.exited;
    }
    await postgres?.drop();
  });

  it("closes the person's socket on the other process and refuses their cookie everywhere", async () => {
    const admin = await signInOverHttp(first.baseUrl, "alex.morgan@demo.example");
    const learner = await signInOverHttp(second.baseUrl, "tomas.ortega@demo.example");
    const socket = await PracticeClient.connect(second.baseUrl, learner);
    const colleague = await PracticeClient.connect(second.baseUrl, await signInOverHttp(second.baseUrl, "sam.whitaker@demo.example"));

    const people = (await (await fetch(`${first.baseUrl}/api/people?search=tomas`, { headers: { cookie: admin } })).json()) as { people: { id: string }[] };
    const personId = people.people[0]?.id;
    const deactivated = await fetch(`${first.baseUrl}/api/people/${personId}`, {
      method: "PATCH",
      headers: { cookie: admin, "content-type": "application/json" },
      body: JSON.stringify({ active: false }),
    });
    expect(deactivated.status).toBe(200);

    expect(await socket.closed).toEqual({ code: 4001, reason: "SIGNED_OUT: this sign-in has ended" });
    expect((await fetch(`${second.baseUrl}/api/auth/me`, { headers: { cookie: learner } })).status).toBe(401);
    // Nobody else was signed out.
    expect(colleague.socket.readyState).toBe(colleague.socket.OPEN);
    colleague.socket.close();
  });
});
