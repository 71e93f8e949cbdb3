// A scenario marked as an assessment: a limited number of attempts, the best one counts, and
// the person's brief says whether they are certified.
import { PersonBriefView } from "@spar/protocol";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PracticeClient } from "../fixtures/practice-client.ts";

describe("assessments (PGlite)", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startTestApp("pglite", { socket: { messagesPerSecond: 200, messageBurst: 200 } });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(() => server?.close());

  it("allows the set number of attempts, then refuses, and the brief counts the best attempt", async () => {
    const scenario = server.library.library.scenarios.get("redirecting-feedback")?.value;
    expect(scenario?.assessment?.max_attempts).toBe(3);
    const client = await PracticeClient.connect(baseUrl, await demoSignIn(server.app, "grace.oneill@demo.example"));
    const strong = server.library.library.examples.find((each) => each.value.scenario === "redirecting-feedback" && each.value.label === "strong");
    for (let attempt = 1; attempt <= 3; attempt++) {
      client.send({ type: "session-start", scenarioId: "redirecting-feedback" });
      const { session } = await client.next("session-ready");
      const since = client.mark;
      if (attempt === 3) {
        for (const turn of strong?.value.turns ?? []) {
          if (turn.speaker !== "learner") continue;
          await client.say(session.id, turn.text);
          if (client.received.slice(since).some((message) => message.type === "session-ended")) break;
        }
      } else {
        await client.say(session.id, "You need to stop being so harsh in reviews.");
        await client.say(session.id, "That's all I wanted to say.");
        client.send({ type: "session-end", sessionId: session.id });
      }
      await client.next("score-ready", (message) => message.sessionId === session.id, 15_000, since);
    }
    client.send({ type: "session-start", scenarioId: "redirecting-feedback" });
    const refused = await client.next("error");
    expect(refused.code).toBe("ATTEMPTS_USED");
    client.close();

    const grace = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "grace.oneill@demo.example" } });
    const cookie = await demoSignIn(server.app, "jordan.reyes@demo.example");
    const brief = PersonBriefView.parse((await server.app.inject({ method: "GET", url: `/api/people/${grace.id}/brief`, headers: { cookie } })).json());
    const assessment = brief.assessments.find((each) => each.scenarioId === "redirecting-feedback");
    expect(assessment).toMatchObject({ attemptsUsed: 3, attemptsLeft: 0, certified: true });
    expect(brief.readiness.find((item) => item.competency === "feedback-delivery")?.sessions).toBe(3);
    expect(brief.readinessExplanation).toContain("newest counting most");
  });
});
