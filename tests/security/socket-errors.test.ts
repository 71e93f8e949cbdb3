// What a hostile or broken practice client costs: frames the websocket layer refuses (invalid
// UTF-8, over the size limit) close that socket and are logged as the client's doing, at warn
// with no stack trace, not as a server error; frames Spar cannot read (not JSON, not a message,
// too long) use up the learner's message rate like any other, so they cannot be sent without end.
import { EventEmitter } from "node:events";
import type { ServerMessage } from "@spar/protocol";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PracticeClient } from "../fixtures/practice-client.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;
type LogLine = { level: number; msg: string; [key: string]: unknown };

/** The server's log as it is written, with a way to wait for a line. */
class LogWatch extends EventEmitter {
  readonly lines: { line: LogLine; text: string }[] = [];
  readonly stream = {
    write: (text: string) => {
      const entry = { line: JSON.parse(text) as LogLine, text };
      this.lines.push(entry);
      this.emit("line", entry);
    },
  };

  /** The first line (already written or still to come) whose text contains `needle`. */
  find(needle: string, timeoutMs = 10_000): Promise<{ line: LogLine; text: string }> {
    const already = this.lines.find((entry) => entry.text.includes(needle));
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no log line with ${needle} within ${timeoutMs} ms`)), timeoutMs);
      const listen = (entry: { line: LogLine; text: string }) => {
        if (!entry.text.includes(needle)) return;
        clearTimeout(timer);
        this.off("line", listen);
        resolve(entry);
      };
      this.on("line", listen);
    });
  }
}

const pinoWarn = 40;

/** Whatever the server sends next on this socket (the client has recorded it by then). */
function nextMessage(client: PracticeClient): Promise<ServerMessage> {
  return new Promise((resolve) => client.socket.once("message", () => resolve(client.received.at(-1) as ServerMessage)));
}

describe("practice socket errors a client causes", () => {
  const log = new LogWatch();
  let server: TestApp;
  let baseUrl: string;
  let cookie: string;

  beforeAll(async () => {
    server = await startTestApp("pglite", {
      // Three messages at once, then one a second: a burst of bad frames uses the allowance up.
      socket: { messagesPerSecond: 1, messageBurst: 3, maxMessageBytes: 1024 },
      logger: { level: "info", stream: log.stream },
    });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    cookie = await demoSignIn(server.app, "grace.oneill@demo.example");
  });
  afterAll(() => server?.close());

  function expectLoggedAsTheClients(entry: { line: LogLine; text: string }): void {
    expect(entry.line.level).toBe(pinoWarn);
    expect(entry.text).not.toContain('"stack"');
  }

  it("closes a socket that sends invalid UTF-8 (1007) and logs it as the client's doing", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    // A text frame that is not UTF-8: ws sends the bytes as they are.
    client.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await client.closed).code).toBe(1007);
    expectLoggedAsTheClients(await log.find("WS_ERR_INVALID_UTF8"));
  });

  it("closes a socket that sends a frame over the websocket limit (1009) and logs it as the client's doing", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    client.socket.send("x".repeat(70 * 1024));
    expect((await client.closed).code).toBe(1009);
    expectLoggedAsTheClients(await log.find("WS_ERR_UNSUPPORTED_MESSAGE_LENGTH"));
  });

  it("logs none of this at error level", () => {
    expect(log.lines.filter((entry) => entry.line.level > pinoWarn).map((entry) => entry.text)).toEqual([]);
  });

  it("counts frames it cannot read against the learner's message rate", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    const since = client.mark;
    client.socket.send("this is not JSON");
    client.send({ type: "no-such-message" });
    client.send({ type: "interrupt", sessionId: crypto.randomUUID(), padding: "x".repeat(2_000) });
    // Answered in order, each bad frame refused for what it is; together they use up the three.
    await client.next("error", (message) => message.code === "MESSAGE_TOO_LARGE", 10_000, since);
    expect(client.received.slice(since).map((message) => message.type === "error" && message.code)).toEqual(["BAD_MESSAGE", "BAD_MESSAGE", "MESSAGE_TOO_LARGE"]);
    const answer = nextMessage(client);
    client.send({ type: "open-sessions" });
    const limited = await answer;
    expect(limited.type === "error" && limited.code).toBe("RATE_LIMITED");
    expect(limited.type === "error" && limited.retryAfterMs).toBeGreaterThan(0);
    // And a bad frame sent meanwhile is refused as too fast, like any other.
    const again = nextMessage(client);
    client.socket.send("still not JSON");
    const refused = await again;
    expect(refused.type === "error" && refused.code).toBe("RATE_LIMITED");
    client.close();
  });
});
