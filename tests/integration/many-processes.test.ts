// Two server processes on one PostgreSQL and one Redis, behind Debian's nginx: a session's
// reply is generated once whichever process its sockets reach, interrupts and sign-outs cross
// processes, racing turns and starts keep the rules, and scorecards are pushed from whichever
// process scored.
import { createPostgresTestDatabase, type PostgresTestDatabase } from "@spar/db/testing";
import { FakeOpenAiServer, faithfulJudgeAnswer } from "@spar/llm/testing";
import { LibraryFile, PublishLibraryFileResponse, ScenarioSummary } from "@spar/protocol";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { PracticeClient } from "../fixtures/practice-client.ts";
import { finished, freePort, signInOverHttp, spawnServerScript, waitForHttp, type ServerProcess, startServerProcess } from "../fixtures/processes.ts";
import { type ReverseProxy, startNginx } from "../fixtures/reverse-proxy.ts";

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const LibraryFilesAnswer = z.object({ files: z.array(LibraryFile) });
const ScenarioList = z.object({ scenarios: z.array(ScenarioSummary) });

const longReply =
  "Honestly, I assumed Lena had told you about the Marlowe work, and by the time I realized she had not, it felt impossible to bring up in standup without making it a big scene, so I kept quiet and hoped it would sort itself out.";

describe("two server processes behind nginx, sharing PostgreSQL and Redis", { timeout: 120_000 }, () => {
  let fake: FakeOpenAiServer;
  let postgres: PostgresTestDatabase;
  let proxy: ReverseProxy;
  let one: ServerProcess;
  let two: ServerProcess;

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start({ firstTokenMs: 20, tokensPerSecond: 40, json: (request) => faithfulJudgeAnswer(request) });
    postgres = await createPostgresTestDatabase();
    const environment = {
      DATABASE_URL: postgres.url,
      REDIS_URL: redisUrl,
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: fake.baseUrl,
      SPAR_DEMO: "load",
      SPAR_DEMO_HISTORY: "off",
      SPAR_MAX_OPEN_SESSIONS: "10",
      SPAR_PRACTICE_MESSAGES_PER_SECOND: "200",
      SPAR_PRACTICE_MESSAGE_BURST: "200",
      SPAR_MAX_SOCKETS_PER_LEARNER: "24",
    };
    // The first loads the demo organisation; the second finds it loaded. Only the second scores.
    one = await startServerProcess({ ...environment, SPAR_SCORING_WORKER: "off" });
    two = await startServerProcess(environment);
    proxy = await startNginx([one.baseUrl, two.baseUrl]);
  }, 180_000);
  afterAll(async () => {
    await proxy?.close();
    for (const server of [one, two]) server?.process.kill("SIGTERM");
    await Promise.all([one?.exited, two?.exited]);
    await fake?.close();
    await postgres?.drop();
  });

  /** A socket through the proxy that landed on the given process (round robin alternates). */
  async function socketOn(server: ServerProcess, cookie: string): Promise<PracticeClient> {
    for (let attempt = 0; attempt < 12; attempt++) {
      const client = await PracticeClient.connect(proxy.baseUrl, cookie);
      if (client.node === server.node) return client;
      client.close();
    }
    throw new Error(`no socket reached process ${server.node} through the proxy`);
  }

  async function transcript(sessionId: string): Promise<[number, string, string][]> {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT seq, speaker::text, status::text FROM "Turn" WHERE "sessionId" = $1 ORDER BY seq`, [sessionId]);
      return rows.map((row) => [row.seq, row.speaker, row.status]);
    } finally {
      await client.end();
    }
  }

  async function endOpenSessions(email: string): Promise<void> {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      await client.query(`UPDATE "PracticeSession" SET status = 'ended', "endedAt" = now(), "endReason" = 'learner-ended' WHERE status = 'active' AND "learnerId" = (SELECT id FROM "User" WHERE email = $1)`, [email]);
    } finally {
      await client.end();
    }
  }

  it("refuses a second serving process on the same PostgreSQL without Redis, with a clear message", async () => {
    const lone = await createPostgresTestDatabase();
    try {
      const port = await freePort();
      const first = spawnServerScript("server.ts", [], { DATABASE_URL: lone.url, PORT: String(port), LOG_LEVEL: "warn" });
      const firstOutput = finished(first);
      await waitForHttp(`http://127.0.0.1:${port}/health`);
      const second = await finished(spawnServerScript("server.ts", [], { DATABASE_URL: lone.url, PORT: String(await freePort()), LOG_LEVEL: "warn" }));
      expect(second.code).toBe(1);
      expect(second.stderr).toContain("Another Spar server process is already serving from this PostgreSQL database without REDIS_URL");
      expect(second.stderr).not.toMatch(/\n\s+at /);
      first.kill("SIGTERM");
      await firstOutput;
    } finally {
      await lone.drop();
    }
  });

  it("joins a reply cut on one process from the other: one model call, one text", async () => {
    const cookie = await signInOverHttp(proxy.baseUrl, "sam.whitaker@demo.example");
    const onOne = await socketOn(one, cookie);
    onOne.send({ type: "session-start", scenarioId: "missed-deadline" });
    const { session } = await onOne.next("session-ready");
    fake.script({ kind: "reply", text: longReply });
    const streamsBefore = fake.counts.streams;
    onOne.send({ type: "turn", sessionId: session.id, clientMessageId: "cut", text: "What made it hard to flag the risk?" });
    const accepted = await onOne.next("turn-accepted");
    await onOne.next("reply-delta");
    onOne.socket.terminate(); // the network drops mid-reply

    const onTwo = await socketOn(two, cookie);
    onTwo.send({ type: "session-resume", sessionId: session.id, lastSeq: accepted.seq });
    await onTwo.next("session-ready");
    const end = await onTwo.next("reply-end", () => true, 30_000, 0);
    const heard = onTwo.received
      .filter((message) => message.type === "reply-delta")
      .map((message) => (message.type === "reply-delta" ? message.text : ""))
      .join("");
    expect(heard).toBe(longReply);
    expect(end.turn).toMatchObject({ seq: accepted.seq + 1, text: longReply, status: "complete" });
    expect(fake.counts.streams - streamsBefore).toBe(1);
    expect(onTwo.received.filter((message) => message.type === "reply-start")).toHaveLength(1);
    onTwo.close();
  });

  it("stops a reply generated on one process when the interrupt arrives on the other", async () => {
    const cookie = await signInOverHttp(proxy.baseUrl, "lena.fischer@demo.example");
    const onOne = await socketOn(one, cookie);
    onOne.send({ type: "session-start", scenarioId: "price-objection" });
    const { session } = await onOne.next("session-ready");
    const onTwo = await socketOn(two, cookie);
    onTwo.send({ type: "session-resume", sessionId: session.id, lastSeq: 1 });
    await onTwo.next("session-ready");
    fake.script({ kind: "reply", text: longReply });
    onOne.send({ type: "turn", sessionId: session.id, clientMessageId: "long", text: "How are you comparing the two offers?" });
    await onTwo.next("reply-delta", () => true, 10_000, 0);
    onTwo.send({ type: "interrupt", sessionId: session.id });
    const [endOne, endTwo] = await Promise.all([onOne.next("reply-end", () => true, 15_000, 0), onTwo.next("reply-end", () => true, 15_000, 0)]);
    expect(endOne.turn.status).toBe("interrupted");
    expect(endTwo.turn).toEqual(endOne.turn);
    expect(endOne.turn.text.length).toBeLessThan(longReply.length);
    expect((await transcript(session.id)).at(-1)).toEqual([3, "persona", "interrupted"]);
    onOne.close();
    onTwo.close();
  });

  it("keeps a strict alternation when twenty turns race on one session across both processes", async () => {
    const cookie = await signInOverHttp(proxy.baseUrl, "aisha.bello@demo.example");
    const first = await socketOn(one, cookie);
    first.send({ type: "session-start", scenarioId: "price-objection" });
    const { session } = await first.next("session-ready");
    const sockets = [first, await socketOn(two, cookie)];
    for (let index = 0; index < 4; index++) sockets.push(await socketOn(index % 2 === 0 ? one : two, cookie));
    for (const socket of sockets.slice(1)) {
      socket.send({ type: "session-resume", sessionId: session.id, lastSeq: 1 });
      await socket.next("session-ready");
    }
    const sent = Array.from({ length: 20 }, (_, index) => ({ socket: sockets[index % sockets.length] as PracticeClient, id: `race-${index}` }));
    for (const { socket, id } of sent) socket.send({ type: "turn", sessionId: session.id, clientMessageId: id, text: "What matters most to you in this decision?" });
    const fates = await Promise.all(
      sent.map(({ socket, id }) =>
        Promise.race([
          socket.next("turn-accepted", (message) => message.clientMessageId === id, 30_000, 0).then(() => "accepted"),
          socket.next("error", (message) => message.clientMessageId === id, 30_000, 0).then((message) => message.code),
        ]),
      ),
    );
    expect(fates.every((fate) => fate === "accepted" || fate === "REPLY_IN_PROGRESS")).toBe(true);
    const accepted = fates.filter((fate) => fate === "accepted").length;
    expect(accepted).toBeGreaterThanOrEqual(1);
    // Every stored turn is answered once; the transcript alternates persona, learner, persona…
    const lastReply = 1 + 2 * accepted;
    await first.next("reply-end", (message) => message.turn.seq === lastReply, 30_000, 0);
    const rows = await transcript(session.id);
    expect(rows.map(([seq]) => seq)).toEqual(Array.from({ length: lastReply }, (_, index) => index + 1));
    expect(rows.every(([seq, speaker]) => speaker === (seq % 2 === 1 ? "persona" : "learner"))).toBe(true);
    for (const socket of sockets) socket.close();
  });

  it("lets twenty simultaneous starts across both processes fit the open-session and attempt limits", async () => {
    const cookie = await signInOverHttp(proxy.baseUrl, "kenji.watanabe@demo.example");
    const sockets = await Promise.all(Array.from({ length: 20 }, (_, index) => socketOn(index % 2 === 0 ? one : two, cookie)));
    const startAll = async (scenarioId: string) => {
      const since = sockets.map((socket) => socket.mark);
      for (const socket of sockets) socket.send({ type: "session-start", scenarioId });
      return Promise.all(
        sockets.map((socket, index) =>
          Promise.race([socket.next("session-ready", () => true, 30_000, since[index]).then(() => "ready"), socket.next("error", () => true, 30_000, since[index]).then((message) => message.code)]),
        ),
      );
    };
    const practice = await startAll("price-objection");
    expect(practice.filter((answer) => answer === "ready")).toHaveLength(10);
    expect(practice.filter((answer) => answer === "TOO_MANY_SESSIONS")).toHaveLength(10);

    await endOpenSessions("kenji.watanabe@demo.example");
    const assessment = await startAll("redirecting-feedback");
    expect(assessment.filter((answer) => answer === "ready")).toHaveLength(3);
    expect(assessment.filter((answer) => answer === "ATTEMPTS_USED")).toHaveLength(17);
    for (const socket of sockets) socket.close();
  });

  it("pushes a scorecard made by the other process's worker to the learner's socket", async () => {
    const cookie = await signInOverHttp(proxy.baseUrl, "tomas.ortega@demo.example");
    const onOne = await socketOn(one, cookie); // process one runs no scoring worker
    onOne.send({ type: "session-start", scenarioId: "missed-deadline" });
    const { session } = await onOne.next("session-ready");
    await onOne.say(session.id, "Thanks for making time. How are things going on the Marlowe work from where you sit?");
    await onOne.say(session.id, "That sounds hard. What got in the way last week?");
    onOne.send({ type: "session-end", sessionId: session.id });
    await onOne.next("session-ended", () => true, 10_000, 0);
    const ready = await onOne.next("score-ready", (message) => message.sessionId === session.id, 30_000, 0);
    expect(ready.scorecard.criteria.length).toBeGreaterThan(0);
    onOne.close();
  });

  it("caps one learner's sockets across both processes together", async () => {
    const cookie = await signInOverHttp(proxy.baseUrl, "nadia.haddad@demo.example");
    const open: PracticeClient[] = [];
    for (let index = 0; index < 24; index++) open.push(await PracticeClient.connect(proxy.baseUrl, cookie));
    expect(new Set(open.map((client) => client.node))).toEqual(new Set([one.node, two.node]));
    await expect(PracticeClient.connect(proxy.baseUrl, cookie)).rejects.toThrow("upgrade refused: 429");
    await expect(PracticeClient.connect(proxy.baseUrl, cookie)).rejects.toThrow("upgrade refused: 429");
    for (const client of open) client.close();
  });

  it("closes a socket on one process when its sign-in signs out on the other", async () => {
    const cookie = await signInOverHttp(proxy.baseUrl, "mateo.rossi@demo.example");
    const other = await signInOverHttp(proxy.baseUrl, "mateo.rossi@demo.example");
    const onTwo = await socketOn(two, cookie);
    const keeps = await socketOn(two, other);
    const signOut = await fetch(`${one.baseUrl}/api/auth/sign-out`, { method: "POST", headers: { cookie } });
    expect(signOut.status).toBe(204);
    expect(await onTwo.closed).toMatchObject({ code: 4001 });
    // The person's other sign-in stays.
    keeps.send({ type: "session-start", scenarioId: "price-objection" });
    await keeps.next("session-ready");
    keeps.close();
  });
  // Last: it changes the library the tests above practise on.
  it("serves on one process, through the proxy, what an L&D admin published on the other", async () => {
    const admin = await signInOverHttp(proxy.baseUrl, "alex.morgan@demo.example");
    const file = "missed-deadline/missed-deadline.scenario.yaml";
    const library = LibraryFilesAnswer.parse(await (await fetch(`${one.baseUrl}/api/library/files`, { headers: { cookie: admin } })).json());
    const original = library.files.find((each) => each.path === file)?.text ?? "";
    const edited = original.replace("title: The missed launch deadline", "title: The launch that slipped").replace("version: 1", "version: 2");
    expect(edited).not.toBe(original);
    const published = await fetch(`${one.baseUrl}/api/library/files`, {
      method: "POST",
      headers: { cookie: admin, "content-type": "application/json" },
      body: JSON.stringify({ path: file, text: edited }),
    });
    expect(PublishLibraryFileResponse.parse(await published.json())).toMatchObject({ published: true });
    // Process two hears the announcement and reloads; through the proxy both processes answer,
    // so ask each directly until two serves the new title (it moves within a moment, not a minute).
    const titleOn = async (server: ServerProcess) =>
      ScenarioList.parse(await (await fetch(`${server.baseUrl}/api/scenarios`, { headers: { cookie: admin } })).json()).scenarios.find((each) => each.id === "missed-deadline")?.title;
    expect(await titleOn(one)).toBe("The launch that slipped");
    const deadline = Date.now() + 10_000;
    while ((await titleOn(two)) !== "The launch that slipped") {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const viaProxy = await Promise.all([1, 2].map(async () => ScenarioList.parse(await (await fetch(`${proxy.baseUrl}/api/scenarios`, { headers: { cookie: admin } })).json())));
    for (const list of viaProxy) expect(list.scenarios.find((each) => each.id === "missed-deadline")?.title).toBe("The launch that slipped");
  });
});
