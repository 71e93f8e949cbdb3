// One learner practising over the real websocket, as docs/protocol.md describes it: starts a
// session, thinks, says something, reads the persona's streamed reply, and so on. Persona
// tokens arrive stamped with the moment the fake model sent them (FakeOpenAiServer's
// stampTokens), so every frame tells how long the server held it.
import { epochNow } from "@spar/llm/testing";
import WebSocket from "ws";
import { sleep } from "./stats.ts";

export class LoadStats {
  /** Only what happens while recording counts; connecting and warming up do not. */
  recording = false;
  /** Client receipt minus model emission of each reply's first token, ms. */
  readonly firstTokenAddedMs: number[] = [];
  /** Extra gap between consecutive tokens at the client beyond their gap at the model, ms. */
  readonly extraGapMs: number[] = [];
  /** Turn sent to turn-accepted: the turn is committed before it is acknowledged. */
  readonly commitMs: number[] = [];
  frames = 0;
  tokens = 0;
  replies = 0;
  readonly errors = new Map<string, number>();

  reset(): void {
    this.firstTokenAddedMs.length = 0;
    this.extraGapMs.length = 0;
    this.commitMs.length = 0;
    this.frames = 0;
    this.tokens = 0;
    this.replies = 0;
    this.errors.clear();
  }
}

type ServerMessage = { type: string; [key: string]: unknown };

const lines = [
  "Before I answer that, what matters most to you in this decision?",
  "I hear that the price worries you. What would a good outcome look like for your team?",
  "Could you tell me more about how you handle this today?",
  "What would need to be true for this to be worth it?",
  "Thanks, that helps. Shall we agree on a next step for Thursday?",
];

export interface LearnerPlan {
  scenarioId: string;
  /** Time between the end of a reply and the learner's next turn. */
  thinkMs: () => number;
  /** Learner turns before ending the session and starting another; 0 never ends. */
  turnsPerSession: number;
  /**
   * The share of turns on which the connection drops mid-reply and the learner resumes on
   * `resumeOn()`: another server process, say.
   */
  dropShare?: number;
  resumeOn?: () => string;
}

export class SimulatedLearner {
  sessionId: string | null = null;
  lastSeq = 0;
  /** Learner turns acknowledged, by session: checked against the database after a run. */
  readonly acknowledged = new Map<string, number>();
  readonly endedSessions: string[] = [];
  resumes = 0;
  #socket: WebSocket | null = null;
  #waiting: { type: string; resolve: (message: ServerMessage) => void } | null = null;
  #sentAt = 0;
  #replyTokens = 0;
  #previous = { stamp: 0, receipt: 0 };
  #stopped = false;
  #turn = 0;

  constructor(
    private readonly stats: LoadStats,
    private readonly cookie: string,
  ) {}

  async connect(baseUrl: string): Promise<void> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/api/practice/socket`, { headers: { cookie: this.cookie }, perMessageDeflate: false });
    socket.on("message", (data) => this.#receive(JSON.parse(String(data)) as ServerMessage));
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
      socket.once("unexpected-response", (_request, response) => reject(new Error(`the socket upgrade answered ${response.statusCode}`)));
    });
    socket.on("error", () => {});
    this.#socket = socket;
  }

  /** Drops the connection as a lost network would, without a close handshake. */
  drop(): void {
    this.#socket?.terminate();
    this.#socket = null;
    this.#waiting?.resolve({ type: "dropped" });
  }

  close(): void {
    this.#stopped = true;
    this.#socket?.close();
    this.#waiting?.resolve({ type: "closed" });
  }

  stop(): void {
    this.#stopped = true;
  }

  async startSession(scenarioId: string): Promise<void> {
    const ready = await this.#request({ type: "session-start", scenarioId }, "session-ready");
    const session = ready.session as { id: string } | undefined;
    if (!session) throw new Error(`session-start answered ${JSON.stringify(ready).slice(0, 200)}`);
    this.sessionId = session.id;
    this.lastSeq = Math.max(0, ...((ready.turns as { seq: number }[]) ?? []).map((turn) => turn.seq));
  }

  /** Picks the session up again on this (new) connection, as a client does after a reconnect. */
  async resume(): Promise<ServerMessage> {
    return this.#request({ type: "session-resume", sessionId: this.sessionId, lastSeq: this.lastSeq }, "session-ready");
  }

  /** One learner turn and the persona's whole reply, perhaps resuming elsewhere halfway through it. */
  async takeTurn(plan?: LearnerPlan): Promise<void> {
    const sessionId = this.sessionId;
    if (!sessionId) throw new Error("no session");
    const clientMessageId = `t${++this.#turn}`;
    const turn = { type: "turn", sessionId, clientMessageId, text: lines[this.#turn % lines.length] };
    this.#sentAt = performance.now();
    const resumeOn = plan?.resumeOn;
    if (!resumeOn || Math.random() >= (plan.dropShare ?? 0)) {
      await this.#request(turn, "reply-end");
      return;
    }
    const started = await this.#request(turn, "reply-start");
    if (started.type !== "reply-start") return;
    const answerSeq = started.seq as number;
    this.drop();
    await this.connect(resumeOn());
    this.resumes++;
    await this.resume();
    // The reply was committed meanwhile (it came back with the resume), or it is streamed anew.
    if (this.lastSeq < answerSeq) await this.#waitFor("reply-end");
  }

  async endSession(): Promise<void> {
    if (!this.sessionId) return;
    await this.#request({ type: "session-end", sessionId: this.sessionId }, "session-ended");
    this.endedSessions.push(this.sessionId);
    this.sessionId = null;
  }

  /** Practises until stopped: think, speak, listen; a new session when one ends. */
  async practise(plan: LearnerPlan): Promise<void> {
    let turns = 0;
    while (!this.#stopped) {
      await sleep(plan.thinkMs());
      if (this.#stopped) return;
      try {
        if (!this.sessionId) await this.startSession(plan.scenarioId);
        await this.takeTurn(plan);
        turns++;
        if (plan.turnsPerSession > 0 && turns % plan.turnsPerSession === 0 && !this.#stopped) await this.endSession();
      } catch (failure) {
        // Counted, and practice goes on in a new session, as a person would after an error.
        const code = `client: ${(failure as Error).message.slice(0, 60)}`;
        this.stats.errors.set(code, (this.stats.errors.get(code) ?? 0) + 1);
        this.sessionId = null;
      }
    }
  }

  #request(message: Record<string, unknown>, until: string): Promise<ServerMessage> {
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return Promise.resolve({ type: "dropped" });
    return new Promise((resolve) => {
      this.#waiting = { type: until, resolve };
      socket.send(JSON.stringify(message));
    });
  }

  #waitFor(type: string): Promise<ServerMessage> {
    return new Promise((resolve) => {
      this.#waiting = { type, resolve };
    });
  }

  #settle(message: ServerMessage): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.resolve(message);
  }

  #receive(message: ServerMessage): void {
    const stats = this.stats;
    if (stats.recording) stats.frames++;
    switch (message.type) {
      case "turn-accepted":
        if (stats.recording) stats.commitMs.push(performance.now() - this.#sentAt);
        this.lastSeq = Math.max(this.lastSeq, message.seq as number);
        if (!message.duplicate) this.acknowledged.set(String(message.sessionId), (this.acknowledged.get(String(message.sessionId)) ?? 0) + 1);
        return;
      case "session-ready":
        this.lastSeq = Math.max(this.lastSeq, ...(message.turns as { seq: number }[]).map((turn) => turn.seq));
        this.#settle(message);
        return;
      case "reply-start":
        this.#replyTokens = 0;
        if (this.#waiting?.type === "reply-start") this.#settle(message);
        return;
      case "reply-delta": {
        const receipt = epochNow();
        for (const stamp of String(message.text).split(" ")) {
          if (stamp === "") continue;
          const emitted = Number(stamp);
          if (stats.recording) {
            stats.tokens++;
            if (this.#replyTokens === 0) stats.firstTokenAddedMs.push(receipt - emitted);
            else stats.extraGapMs.push(receipt - this.#previous.receipt - (emitted - this.#previous.stamp));
          }
          this.#replyTokens++;
          this.#previous = { stamp: emitted, receipt };
        }
        return;
      }
      case "reply-end":
        this.lastSeq = Math.max(this.lastSeq, (message.turn as { seq: number }).seq);
        if (stats.recording) stats.replies++;
        if (this.#waiting?.type === "reply-end") this.#settle(message);
        return;
      case "session-ended":
        // A turn or time limit can end the session without being asked: start another next time.
        if (this.#waiting?.type !== "session-ended" && this.sessionId) {
          this.endedSessions.push(this.sessionId);
          this.sessionId = null;
        }
        this.#settle(message);
        return;
      case "error":
        if (stats.recording) stats.errors.set(String(message.code), (stats.errors.get(String(message.code)) ?? 0) + 1);
        if (message.code === "SESSION_ENDED" && message.sessionId === this.sessionId) this.sessionId = null;
        // An answer to an earlier turn must not end a wait for something else.
        if (message.clientMessageId === undefined || message.clientMessageId === `t${this.#turn}`) this.#settle(message);
        return;
      default:
        if (this.#waiting?.type === message.type) this.#settle(message);
    }
  }
}
