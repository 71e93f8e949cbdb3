// Every shipped scenario, practised end to end over the websocket on both engines: the offline
// engine, and the real openai SDK against the fake OpenAI-compatible server.
import { FakeOpenAiServer } from "@spar/llm/testing";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PracticeClient } from "../fixtures/practice-client.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe.each(["offline", "llm"] as const)("every shipped scenario on the %s engine", (engine) => {
  let fake: FakeOpenAiServer | undefined;
  let server: TestApp;
  let baseUrl: string;
  let client: PracticeClient;

  beforeAll(async () => {
    fake = engine === "llm" ? await FakeOpenAiServer.start({ tokensPerSecond: 5_000, reply: () => "Go on, I'm listening." }) : undefined;
    server = await startTestApp("pglite", {
      environment: fake ? { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.baseUrl } : {},
      socket: { messagesPerSecond: 500, messageBurst: 500 },
    });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    client = await PracticeClient.connect(baseUrl, await demoSignIn(server.app, "aisha.bello@demo.example"));
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
    await fake?.close();
  });

  it("practises each scenario with its strong example's words, to the end", async () => {
    const { library } = server.library;
    expect(library.scenarios.size).toBeGreaterThanOrEqual(8);
    for (const [id, { value: scenario }] of library.scenarios) {
      const example = library.examples.find((each) => each.value.scenario === id && each.value.label === "strong");
      expect(example, id).toBeDefined();
      client.send({ type: "session-start", scenarioId: id });
      const ready = await client.next("session-ready", (message) => message.session.scenario.id === id);
      expect(ready.session.engine).toBe(engine);
      expect(ready.turns[0]?.text).toBe(scenario.persona.opening_line);
      const since = client.mark;
      let ended = false;
      for (const turn of example?.value.turns ?? []) {
        if (turn.speaker !== "learner") continue;
        const { reply } = await client.say(ready.session.id, turn.text);
        expect(reply.text.length, id).toBeGreaterThan(0);
        ended = client.received.slice(since).some((message) => message.type === "session-ended");
        if (ended) break;
      }
      // The strong learner earns the persona's agreement, and the scenario's rules close the
      // conversation there, on either engine.
      expect(ended, `${id} should end on the persona's terms`).toBe(true);
      const session = await server.database.prisma.practiceSession.findUniqueOrThrow({ where: { id: ready.session.id } });
      expect(session.status, id).toBe("ended");
      expect(session.endReason, id).toBe("persona-ended");
    }
  });
});
