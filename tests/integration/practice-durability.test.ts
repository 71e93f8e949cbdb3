// Durability with real server processes: a server killed with SIGKILL mid-reply loses no
// acknowledged turn, and a session continues on another process sharing one PostgreSQL.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createPostgresTestDatabase, type PostgresTestDatabase } from "@spar/db/testing";
import { FakeOpenAiServer, faithfulJudgeAnswer } from "@spar/llm/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PracticeClient } from "../fixtures/practice-client.ts";
import { signInOverHttp, type ServerProcess, startServerProcess } from "../fixtures/processes.ts";

async function transcript(databaseUrl: string, sessionId: string): Promise<[number, string, string][]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT seq, speaker::text, status::text FROM "Turn" WHERE "sessionId" = $1 ORDER BY seq`, [sessionId]);
    return rows.map((row) => [row.seq, row.speaker, row.status]);
  } finally {
    await client.end();
  }
}

const longReply =
  "Honestly, I assumed Lena had told you about the Marlowe work, and by the time I realized she had not, it felt impossible to bring up in standup without making it a big scene.";

// Each test starts two real server processes one after the other (the second on the first one's
// database): on a busy two-core machine that alone can pass the default 30 s per test.
describe("a server killed mid-reply, and a second server on one database", { timeout: 120_000 }, () => {
  let fake: FakeOpenAiServer;
  let postgres: PostgresTestDatabase;
  let scratch: string;
  const running: ServerProcess[] = [];

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start({ firstTokenMs: 20, tokensPerSecond: 15, json: (request) => faithfulJudgeAnswer(request) });
    postgres = await createPostgresTestDatabase();
    scratch = await mkdtemp(path.join(os.tmpdir(), "spar-durability-"));
  });
  afterAll(async () => {
    for (const server of running) server.process.kill("SIGKILL");
    await fake?.close();
    await postgres?.drop();
    await rm(scratch, { recursive: true, force: true });
  });

  const llm = () => ({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.baseUrl });

  it.each([
    ["pglite", () => ({ SPAR_DATA_DIR: path.join(scratch, "killed") })],
    ["postgresql", () => ({ DATABASE_URL: postgres.url })],
  ] as const)("keeps every acknowledged turn when killed with SIGKILL mid-reply (%s)", async (_kind, database) => {
    const environment = { ...database(), ...llm() };
    const first = await startServerProcess({ ...environment, SPAR_DEMO: "load" });
    running.push(first);
    const cookie = await signInOverHttp(first.baseUrl, "sam.whitaker@demo.example");
    const client = await PracticeClient.connect(first.baseUrl, cookie);
    client.send({ type: "session-start", scenarioId: "missed-deadline" });
    const { session } = await client.next("session-ready");
    fake.script({ kind: "reply", text: "Okay." }, { kind: "reply", text: longReply });
    await client.say(session.id, "Thanks for making time. I want to understand what happened.");
    client.send({ type: "turn", sessionId: session.id, clientMessageId: "before-crash", text: "What made it hard to flag the risk?" });
    const accepted = await client.next("turn-accepted");
    await client.next("reply-delta");
    first.process.kill("SIGKILL");
    await first.exited;

    // The half-streamed reply died with the process; the new process writes it anew.
    fake.script({ kind: "reply", text: "Because I assumed she had told you." });
    const second = await startServerProcess({ ...environment, SPAR_DEMO: "load" });
    running.push(second);
    const resumed = await PracticeClient.connect(second.baseUrl, cookie); // the same sign-in works on the new process
    resumed.send({ type: "session-resume", sessionId: session.id, lastSeq: accepted.seq });
    const ready = await resumed.next("session-ready");
    expect(ready.session.learnerTurns).toBe(1);
    const reply = await resumed.next("reply-end", () => true, 30_000);
    expect(reply.turn).toMatchObject({ seq: accepted.seq + 1, text: "Because I assumed she had told you.", status: "complete" });
    resumed.close();
    second.process.kill("SIGTERM");
    await second.exited;
    if (_kind === "postgresql") {
      expect(await transcript(postgres.url, session.id)).toEqual([
        [1, "persona", "complete"], [2, "learner", "complete"], [3, "persona", "complete"],
        [4, "learner", "complete"], [5, "persona", "complete"],
      ]);
    }
  });

  it("continues a session on a second server process sharing one PostgreSQL (and Redis, as several processes need)", async () => {
    const environment = { DATABASE_URL: postgres.url, REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379", ...llm() };
    const [one, two] = await Promise.all([startServerProcess({ ...environment, SPAR_DEMO: "load" }), startServerProcess({ ...environment, SPAR_DEMO: "load" })]);
    running.push(one as ServerProcess, two as ServerProcess);
    const cookie = await signInOverHttp((one as ServerProcess).baseUrl, "lena.fischer@demo.example");
    const onOne = await PracticeClient.connect((one as ServerProcess).baseUrl, cookie);
    onOne.send({ type: "session-start", scenarioId: "price-objection" });
    const { session } = await onOne.next("session-ready");
    fake.script({ kind: "reply", text: "It is thirty percent." }, { kind: "reply", text: "Budget timing, mostly." });
    await onOne.say(session.id, "Help me understand how you're comparing the two offers.", "one-1");
    onOne.close();

    const onTwo = await PracticeClient.connect((two as ServerProcess).baseUrl, cookie);
    onTwo.send({ type: "session-resume", sessionId: session.id, lastSeq: 0 });
    const ready = await onTwo.next("session-ready");
    expect(ready.turns.map((turn) => turn.seq)).toEqual([1, 2, 3]);
    // A resend of the turn made on the first process is recognised on the second.
    onTwo.send({ type: "turn", sessionId: session.id, clientMessageId: "one-1", text: "Help me understand how you're comparing the two offers." });
    expect((await onTwo.next("turn-accepted")).duplicate).toBe(true);
    const { reply } = await onTwo.say(session.id, "What's driving the timing?", "two-1");
    expect(reply).toMatchObject({ seq: 5, text: "Budget timing, mostly." });
    // Both processes run a scoring worker; the ended session is scored exactly once.
    onTwo.send({ type: "session-end", sessionId: session.id });
    await onTwo.next("session-ended");
    onTwo.close();
    expect(await transcript(postgres.url, session.id)).toEqual([
      [1, "persona", "complete"], [2, "learner", "complete"], [3, "persona", "complete"],
      [4, "learner", "complete"], [5, "persona", "complete"],
    ]);
    const scorecards = async () => {
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM "Scorecard" WHERE "sessionId" = $1`, [session.id]);
        return rows[0].n as number;
      } finally {
        await client.end();
      }
    };
    for (let waited = 0; (await scorecards()) === 0 && waited < 20_000; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // both workers poll again
    expect(await scorecards()).toBe(1);
  });
});
