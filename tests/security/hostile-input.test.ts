// Hostile text in every field the server reads: every route's body, query and parameters (taken
// from the app's own route table, so a new route is fuzzed the moment it exists) and every
// practice-socket frame. Values are generated from the zod schemas in @spar/protocol; each
// free-text field is either plausible text or hostile (NUL, other control characters, halves of
// surrogate pairs, direction overrides, code-looking or very long text). The server may refuse
// or accept, but never answers 5xx, never sends INTERNAL, and never drops the socket.
import * as protocol from "@spar/protocol";
import { ClientMessage, storableDocument, storableText } from "@spar/protocol";
import { databaseKinds } from "@spar/db/testing";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { PracticeClient } from "../fixtures/practice-client.ts";
import { arbitraryFor, inputStrings } from "../fixtures/zod-arbitrary.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;
type Schema = z.core.$ZodType;
type Part = "params" | "querystring" | "body";

const isSchema = (value: unknown): value is Schema => typeof value === "object" && value !== null && "_zod" in value;
/**
 * Percent-encodes text for a URL as an attacker would send it: a half of a surrogate pair (which
 * encodeURIComponent refuses) goes as the three bytes UTF-8 would give it, which are not UTF-8.
 */
const urlEncoded = (text: string) =>
  text
    .split(/(\p{Cs})/u)
    .map((part) => (/^\p{Cs}$/u.test(part) ? [0xe0 | (part.charCodeAt(0) >> 12), 0x80 | ((part.charCodeAt(0) >> 6) & 0x3f), 0x80 | (part.charCodeAt(0) & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join("") : encodeURIComponent(part)))
    .join("");
const protocolSchemas = new Set<unknown>(Object.values(protocol).filter(isSchema));
/** Strings with a format (ids, dates, addresses) are closed sets; the rest is free text. */
const freeText = (schema: Schema) => inputStrings(schema).filter((leaf) => !(leaf.schema._zod.def as { format?: string }).format);
/** Whether a string schema carries the protocol's text rule (for a field, or a whole file's text). */
const checksText = (schema: Schema) => ((schema._zod.def as { checks?: unknown[] }).checks ?? []).some((check) => check === storableText || check === storableDocument);

describe.each(databaseKinds)("hostile text in every body, query, parameter and frame (%s)", (kind) => {
  let server: TestApp;
  let baseUrl: string;
  const cookies: Record<"learner" | "manager" | "ld_admin", string> = { learner: "", manager: "", ld_admin: "" };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestApp(kind, { socket: { messagesPerSecond: 1_000, messageBurst: 1_000 } });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    cookies.learner = await demoSignIn(server.app, "tomas.ortega@demo.example");
    cookies.manager = await demoSignIn(server.app, "priya.natarajan@demo.example");
    cookies.ld_admin = await demoSignIn(server.app, "alex.morgan@demo.example");
    const prisma = server.database.prisma;
    ids.tomas = (await prisma.user.findUniqueOrThrow({ where: { email: "tomas.ortega@demo.example" } })).id;
    ids.sales = (await prisma.team.findUniqueOrThrow({ where: { name: "Mid-Market Sales" } })).id;
    // People and teams the admin routes may rename, deactivate or re-staff without spoiling the rest.
    const person = await server.app.inject({ method: "POST", url: "/api/people", headers: { cookie: cookies.ld_admin }, payload: { name: "Fuzz Target", email: "fuzz.target@example.com", role: "learner" } });
    ids.person = (person.json() as { person: { id: string } }).person.id;
    const team = await server.app.inject({ method: "POST", url: "/api/teams", headers: { cookie: cookies.ld_admin }, payload: { name: "Fuzz team" } });
    ids.team = (team.json() as { team: { id: string } }).team.id;
    // A scored session of Tomas's, for the comment and override routes.
    const client = await PracticeClient.connect(baseUrl, cookies.learner);
    client.send({ type: "session-start", scenarioId: "price-objection" });
    ids.session = (await client.next("session-ready")).session.id;
    await client.say(ids.session, "What is making the price hard for you right now?");
    await client.say(ids.session, "So the budget was cut this quarter. What would a smaller first order look like?");
    client.send({ type: "session-end", sessionId: ids.session });
    const scored = await client.next("score-ready", () => true, 30_000);
    ids.scorecard = scored.scorecard.id;
    ids.criterion = scored.scorecard.criteria[0]?.criterionId ?? "";
    client.close();
  }, 120_000);
  afterAll(() => server?.close());

  /** Real records for the parameters and ids that name them, so hostile text reaches the writes behind. */
  const known = (path: string): fc.Arbitrary<string> | undefined => {
    const value: Record<string, string | undefined> = {
      "params.learnerId": ids.tomas,
      "params.personId": ids.person,
      "params.teamId": ids.team,
      "params.sessionId": ids.session,
      "params.scorecardId": ids.scorecard,
      "params.criterionId": ids.criterion,
      "params.scenarioId": "price-objection",
      "body.scenarioId": "price-objection",
      "body.teamId": ids.sales,
      "body.learnerIds.*": ids.tomas,
    };
    return value[path] === undefined ? undefined : fc.constant(value[path] as string);
  };

  const inputsOf = (route: TestApp["routes"][number]) =>
    (["params", "querystring", "body"] as const).flatMap((part) => (isSchema(route.inputs[part]) ? [[part, route.inputs[part] as Schema] as const] : []));

  it("parses every route's body, query and parameters with a schema from @spar/protocol", () => {
    const outside = server.routes.flatMap((route) =>
      inputsOf(route)
        .filter(([, schema]) => !protocolSchemas.has(schema))
        .map(([part]) => `${route.method} ${route.url} ${part}`),
    );
    expect(outside).toEqual([]);
  });

  it("checks every free-text field of every route and frame with the one text rule", () => {
    const inputs: [string, Schema][] = [
      ...server.routes.flatMap((route) => inputsOf(route).map(([part, schema]) => [`${route.method} ${route.url} ${part}`, schema] as [string, Schema])),
      ["practice socket frame", ClientMessage],
    ];
    const unchecked = inputs.flatMap(([where, schema]) => freeText(schema).filter((leaf) => !checksText(leaf.schema)).map((leaf) => `${where}: ${leaf.path}`));
    expect(unchecked).toEqual([]);
  });

  it("names the field that holds a refused character: 400 on HTTP, BAD_MESSAGE on the socket", async () => {
    const observation = await server.app.inject({
      method: "POST",
      url: `/api/people/${ids.tomas}/observations`,
      headers: { cookie: cookies.manager },
      payload: { competency: "objection-handling", level: 2, note: "Good\u0000 call", observedOn: "2026-11-20" },
    });
    expect(observation.statusCode).toBe(400);
    expect(observation.json()).toMatchObject({
      error: { code: "VALIDATION_FAILED", issues: [{ path: "note", message: "contains a NUL character (U+0000) at character 5; remove it" }] },
    });
    const oneToOne = await server.app.inject({
      method: "POST",
      url: `/api/people/${ids.tomas}/one-to-ones`,
      headers: { cookie: cookies.manager, "content-type": "application/json" },
      payload: '{"heldOn":"2026-11-20","durationMinutes":30,"keyPoints":["fine","cut \\ud83d"]}',
    });
    expect(oneToOne.statusCode).toBe(400);
    expect(oneToOne.json()).toMatchObject({ error: { issues: [{ path: "keyPoints.1", message: expect.stringContaining("unpaired surrogate") }] } });

    const client = await PracticeClient.connect(baseUrl, cookies.learner);
    const since = client.mark;
    client.send({ type: "turn", sessionId: ids.session, clientMessageId: "nul-turn", text: "Hello\u0000" });
    const refused = await client.next("error", () => true, 10_000, since);
    expect(refused).toMatchObject({ code: "BAD_MESSAGE", message: "text: contains a NUL character (U+0000) at character 6; remove it" });
    client.close();
  });

  it("answers hostile text in every route's input with a 2xx or 4xx, never a 5xx", async () => {
    const fuzzed = server.routes.filter((route) => route.url.startsWith("/api/") && !route.websocket && inputsOf(route).some(([, schema]) => freeText(schema).length > 0));
    expect(fuzzed.length).toBeGreaterThan(15);
    const failures: string[] = [];
    for (const route of fuzzed) {
      const parts = Object.fromEntries(inputsOf(route).map(([part, schema]) => [part, arbitraryFor(schema, { known: (path) => known(`${part}.${path}`) }, "")]));
      const access = route.access;
      const cookie =
        access === "public" ? null : access === "signed-in" ? cookies.manager : (["manager", "ld_admin", "learner"] as const).filter((role) => access?.includes(role)).map((role) => cookies[role])[0];
      await fc.assert(
        fc.asyncProperty(fc.record(parts) as fc.Arbitrary<Partial<Record<Part, unknown>>>, async (input) => {
          const params = (input.params ?? {}) as Record<string, unknown>;
          const path = route.url.replace(/:(\w+)/g, (_match, name: string) => urlEncoded(String(params[name] ?? ids.tomas)));
          const query = new URLSearchParams();
          for (const [name, value] of Object.entries((input.querystring ?? {}) as Record<string, unknown>)) if (value !== undefined) query.append(name, String(value));
          const csv = typeof input.body === "string";
          const headers: Record<string, string> = cookie ? { cookie } : {};
          if (input.body !== undefined) headers["content-type"] = csv ? "text/csv" : "application/json";
          const response = await server.app.inject({
            method: route.method as "POST",
            url: query.size > 0 ? `${path}?${query}` : path,
            headers,
            ...(input.body === undefined ? {} : { payload: csv ? (input.body as string) : JSON.stringify(input.body) }),
          });
          if (response.statusCode >= 500) throw new Error(`${response.statusCode}: ${response.body.slice(0, 200)}`);
        }),
        { numRuns: 25, endOnFailure: true },
      ).catch((error: Error) => failures.push(`${route.method} ${route.url}: ${error.message.split("\n").slice(0, 3).join(" ").slice(0, 500)} ${String(error.cause ?? "")}`));
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it("answers hostile frames on the practice socket with a normal answer or BAD_MESSAGE, never INTERNAL, and keeps the socket open", async () => {
    const client = await PracticeClient.connect(baseUrl, cookies.learner);
    let open = true;
    client.closed.then(() => {
      open = false;
    });
    let sessionId = "";
    // Ends every open session through the protocol and starts a new one: a fuzzed frame may have
    // ended the session, started another or switched to one.
    const freshSession = async () => {
      let since = client.mark;
      client.send({ type: "open-sessions" });
      const { sessions } = await client.next("open-sessions", () => true, 15_000, since);
      for (const each of sessions) {
        since = client.mark;
        client.send({ type: "session-resume", sessionId: each.sessionId, lastSeq: 0 });
        client.send({ type: "session-end", sessionId: each.sessionId });
        await client.next("session-ended", (message) => message.sessionId === each.sessionId, 15_000, since);
      }
      since = client.mark;
      client.send({ type: "session-start", scenarioId: "price-objection" });
      sessionId = (await client.next("session-ready", () => true, 15_000, since)).session.id;
    };
    await freshSession();
    const placeholder = "00000000-0000-7000-8000-00000000f00d";
    const known = (path: string) => (path === "sessionId" ? fc.constant(placeholder) : path === "scenarioId" ? fc.constant("price-objection") : undefined);
    // Each kind of frame on its own, as each route above: a frame with text gets its share of runs.
    const kinds = (ClientMessage._zod.def.options as Schema[]).filter((option) => freeText(option).length > 0);
    expect(kinds.length).toBeGreaterThanOrEqual(2);
    const problems: string[] = [];
    for (const kindOfFrame of kinds) {
      await fc
        .assert(
          fc.asyncProperty(arbitraryFor(kindOfFrame, { known }), async (frame) => {
            const since = client.mark;
            const sent = JSON.parse(JSON.stringify(frame).replaceAll(placeholder, sessionId)) as Record<string, unknown>;
            client.send(sent);
            // The socket answers one message at a time, in order: once this is answered, so is the frame.
            client.send({ type: "open-sessions" });
            await client.next("open-sessions", () => true, 15_000, since);
            const answers = client.received.slice(since);
            const internal = answers.find((message) => message.type === "error" && message.code === "INTERNAL");
            const accepted = answers.find((message) => message.type === "turn-accepted");
            if (accepted?.type === "turn-accepted") {
              // Its reply is stored before the next frame, or that turn would only meet REPLY_IN_PROGRESS.
              // (The database says so: a fuzzed resume may have claimed turns the socket then leaves out.)
              const deadline = Date.now() + 15_000;
              while (!(await server.database.prisma.turn.findFirst({ where: { sessionId: accepted.sessionId, seq: { gt: accepted.seq } } }))) {
                if (Date.now() > deadline) throw new Error(`no reply to turn ${accepted.seq} within 15 s`);
                await new Promise((resolve) => setTimeout(resolve, 20));
              }
            }
            const ended = client.received.slice(since).some((message) => message.type === "session-ended" || (message.type === "session-ready" && message.session.id !== sessionId));
            if (ended) await freshSession();
            if (internal) throw new Error(`INTERNAL for ${JSON.stringify(sent).slice(0, 300)}`);
            if (!open) throw new Error(`socket closed after ${JSON.stringify(sent).slice(0, 300)}`);
          }),
          { numRuns: 40, endOnFailure: true },
        )
        .catch((error: Error) => problems.push(`${error.message.slice(0, 600)} ${String(error.cause ?? "")}`));
    }
    expect(problems).toEqual([]);
    expect(open).toBe(true);
    client.close();
  }, 120_000);
});
