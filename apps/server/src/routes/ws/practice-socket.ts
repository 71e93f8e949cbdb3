import { type PracticeService, type SessionRecord, tooShortMessage } from "@spar/domain";
import { ClientMessage, type ScorecardView, type ServerMessage } from "@spar/protocol";
import type {} from "@fastify/websocket";
import type { FastifyPluginAsync } from "fastify";
import type { WebSocket } from "ws";
import type { AppMetrics } from "../../metrics/metrics.ts";
import { isOwnOrigin, originCheckFailed, viewerOf } from "../../plugins/access-control.ts";
import type { MessageRateLimiter } from "../../practice/message-rate-limiter.ts";
import type { ReplyBroadcasts } from "../../practice/reply-broadcasts.ts";
import { sessionInfo, turnView } from "../../practice/session-views.ts";

export interface PracticeSocketOptions {
  practice: PracticeService;
  broadcasts: ReplyBroadcasts;
  rateLimiter: MessageRateLimiter;
  publicOrigins: readonly string[];
  heartbeatMs: number;
  /** A client that leaves more than this unread is cut off rather than buffered without end. */
  maxBufferedBytes: number;
  /** Frames over this size get MESSAGE_TOO_LARGE (frames far larger are refused by the socket itself). */
  maxMessageBytes: number;
  /** Messages read but not yet handled on one socket; beyond it the socket is closed (flooding). */
  maxQueuedMessages: number;
  /** The scorecards of a session, newest first: pushed as `score-ready` once there is one. */
  scorecards: (sessionId: string) => Promise<ScorecardView[]>;
  /** Where scoring of a session stands, so a failure reaches the learner as `score-failed`. */
  scoringState: (sessionId: string) => Promise<{ scoringStatus: string; scoringError: string | null; scoringAvailableAt: Date | null } | null>;
  /** Told when a session ends here, so scoring can start at once. */
  sessionEnded: () => void;
  metrics: Pick<AppMetrics, "practiceSocketsOpen" | "practiceSessionsActive" | "errors">;
  /** Tells when a person's sign-ins have ended (deactivated, password reset), on any process. */
  onSignInRevoked: (listener: (userId: string) => void) => void;
}

export const practiceSocketPath = "/api/practice/socket";

/** The stored scoring error is for operators; the learner gets what it means for them. */
function scoringFailureInWords(error: string | null): string {
  const cause = error && /transcript was erased/i.test(error) ? "the transcript was erased before it was scored" : "the scoring service did not answer";
  return `Your conversation could not be scored yet: ${cause}. Your transcript is saved.`;
}

/** Close codes clients can act on (4000-4999 are the application's own). */
export const closeCodes = { signedOut: 4001, slowConsumer: 4002, flooding: 4003, serverShutdown: 1001 } as const;

export const practiceSocketRoutes: FastifyPluginAsync<PracticeSocketOptions> = async (app, options) => {
  const { practice, broadcasts, rateLimiter, metrics } = options;
  const sockets = new Set<WebSocket>();
  const socketsOfUser = new Map<string, Set<WebSocket>>();

  options.onSignInRevoked((userId) => {
    for (const socket of socketsOfUser.get(userId) ?? []) {
      socket.close(closeCodes.signedOut, "SIGNED_OUT: this sign-in has ended");
    }
  });

  app.addHook("onClose", async () => {
    broadcasts.interruptAll();
    // Replies commit what was said as interrupted; give them a moment before closing sockets.
    for (let waited = 0; broadcasts.size > 0 && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    for (const socket of sockets) socket.close(closeCodes.serverShutdown, "server shutting down: resume on reconnect");
  });

  app.get(
    practiceSocketPath,
    {
      websocket: true,
      config: { access: "signed-in" },
      // Browsers always send Origin on a websocket; another site's page is refused before the upgrade.
      onRequest: async (request) => {
        const origin = request.headers.origin;
        if (origin !== undefined && !isOwnOrigin(origin, options.publicOrigins, request.headers.host)) throw originCheckFailed();
      },
    },
    (socket, request) => {
      const learner = viewerOf(request);
      const log = request.log.child({ learnerId: learner.id });
      let sessionId: string | null = null;
      sockets.add(socket);
      const ofUser = socketsOfUser.get(learner.id) ?? new Set<WebSocket>();
      ofUser.add(socket);
      socketsOfUser.set(learner.id, ofUser);
      metrics.practiceSocketsOpen.inc();

      const send = (message: ServerMessage) => {
        if (socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > options.maxBufferedBytes) {
          log.warn({ buffered: socket.bufferedAmount }, "closing a practice socket that stopped reading");
          socket.close(closeCodes.slowConsumer, "SLOW_CONSUMER: the client stopped reading");
          return;
        }
        // Typed as ServerMessage here, and every frame the tests receive is checked against the
        // schema, so the hot path (a frame per token) does not validate again.
        socket.send(JSON.stringify(message));
      };
      const error = (code: Extract<ServerMessage, { type: "error" }>["code"], message: string, extra: { clientMessageId?: string; retryAfterMs?: number } = {}) => {
        metrics.errors.inc({ code, transport: "socket" });
        send({ type: "error", code, message, ...(sessionId ? { sessionId } : {}), ...extra });
      };

      // Heartbeats: a peer that misses a whole interval without answering a ping is gone.
      let alive = true;
      socket.on("pong", () => {
        alive = true;
      });
      const heartbeat = setInterval(() => {
        if (!alive) {
          log.info("closing a practice socket whose peer stopped answering pings");
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
      }, options.heartbeatMs);

      socket.on("close", () => {
        clearInterval(heartbeat);
        sockets.delete(socket);
        ofUser.delete(socket);
        if (ofUser.size === 0) socketsOfUser.delete(learner.id);
        metrics.practiceSocketsOpen.dec();
        if (sessionId) metrics.practiceSessionsActive.dec();
        if (sessionId) broadcasts.leave(sessionId, send);
      });

      async function sendTurnsAfter(seq: number): Promise<void> {
        if (!sessionId) return;
        const opened = await practice.open(learner.id, sessionId);
        if (!opened.ok) return;
        for (const turn of opened.session.turns.filter((each) => each.seq > seq)) {
          send({ type: "reply-start", sessionId, seq: turn.seq });
          send({ type: "reply-end", sessionId, turn: turnView(turn) });
        }
        if (opened.session.status === "ended" && opened.session.endReason && opened.session.endedAt) {
          send({ type: "session-ended", sessionId, reason: opened.session.endReason, endedAt: opened.session.endedAt.toISOString() });
          options.sessionEnded();
          void watchForScore(sessionId);
        }
      }

      // The scorecard is pushed the moment it is stored, whichever process scored it; a failure
      // is pushed too, with whether scoring will try again and when, so nobody waits on nothing.
      const watching = new Set<string>();
      async function watchForScore(id: string): Promise<void> {
        if (watching.has(id)) return;
        watching.add(id);
        let toldRetryAt: string | null = null;
        try {
          // Quick checks while a score usually arrives, then slower ones through a long outage.
          for (let waited = 0; waited < 2 * 3_600_000 && socket.readyState === socket.OPEN; ) {
            const [latest] = await options.scorecards(id);
            if (latest) {
              send({ type: "score-ready", sessionId: id, scorecard: latest });
              return;
            }
            const state = await options.scoringState(id);
            if (state?.scoringStatus === "too_short") {
              send({ type: "score-skipped", sessionId: id, reason: "too-short", message: tooShortMessage });
              return;
            }
            if (state?.scoringStatus === "failed") {
              send({ type: "score-failed", sessionId: id, final: true, message: scoringFailureInWords(state.scoringError), nextAttemptAt: null });
              return;
            }
            const retryAt = state?.scoringStatus === "pending" && state.scoringError && state.scoringAvailableAt ? state.scoringAvailableAt.toISOString() : null;
            if (retryAt && retryAt !== toldRetryAt) {
              toldRetryAt = retryAt;
              send({ type: "score-failed", sessionId: id, final: false, message: scoringFailureInWords(state?.scoringError ?? null), nextAttemptAt: retryAt });
            }
            const pause = waited < 30_000 ? 250 : 2_000;
            await new Promise((resolve) => setTimeout(resolve, pause));
            waited += pause;
          }
        } catch (failure) {
          log.warn({ err: failure, sessionId: id }, "could not watch for a scorecard");
        } finally {
          watching.delete(id);
        }
      }

      async function startReply(id: string, known?: SessionRecord): Promise<void> {
        const reply = broadcasts.begin(id, send);
        if (!reply) {
          broadcasts.join(id, send);
          return;
        }
        try {
          const outcome = await practice.reply(id, { signal: reply.controller.signal, onStart: reply.started, onDelta: reply.delta }, known);
          // Done streaming before the learner hears the end, so their next turn is not refused.
          reply.finish();
          if (outcome.ok) {
            reply.send({ type: "reply-end", sessionId: id, turn: turnView(outcome.turn) });
            if (outcome.ended) await sendTurnsAfter(outcome.turn.seq);
          } else if (outcome.code === "NOTHING_TO_ANSWER") {
            // Another connection answered first: show its answer instead.
            const opened = await practice.open(learner.id, id);
            const last = opened.ok ? opened.session.turns.at(-1) : undefined;
            if (last?.speaker === "persona") reply.send({ type: "reply-end", sessionId: id, turn: turnView(last) });
          } else {
            metrics.errors.inc({ code: outcome.code, transport: "socket" });
            reply.send({ type: "error", code: outcome.code, message: outcome.message, sessionId: id });
          }
        } finally {
          reply.finish();
        }
      }

      function replyBeside(id: string, known?: SessionRecord): void {
        startReply(id, known).catch((failure: unknown) => {
          log.error({ err: failure, sessionId: id }, "persona reply failed");
          error("INTERNAL", "Something went wrong on our side; your saved turns are safe. Resume the session to continue.");
        });
      }

      async function handle(raw: string): Promise<void> {
        if (Buffer.byteLength(raw) > options.maxMessageBytes) {
          error("MESSAGE_TOO_LARGE", `Messages are limited to ${options.maxMessageBytes} bytes.`);
          return;
        }
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          error("BAD_MESSAGE", "Messages must be JSON objects; see docs/protocol.md.");
          return;
        }
        const parsed = ClientMessage.safeParse(json);
        if (!parsed.success) {
          const detail = parsed.error.issues.map((issue) => `${issue.path.join(".") || "message"}: ${issue.message}`).join("; ");
          error("BAD_MESSAGE", detail);
          return;
        }
        const message = parsed.data;
        const waitMs = rateLimiter.take(learner.id);
        if (waitMs > 0) {
          const clientMessageId = message.type === "turn" ? message.clientMessageId : undefined;
          error("RATE_LIMITED", "You are sending messages too quickly.", { retryAfterMs: waitMs, ...(clientMessageId ? { clientMessageId } : {}) });
          return;
        }
        switch (message.type) {
          case "session-start": {
            const started = await practice.start(learner.id, message.scenarioId);
            if (!started.ok) return error(started.code, started.message);
            if (sessionId) broadcasts.leave(sessionId, send);
            if (!sessionId) metrics.practiceSessionsActive.inc();
            sessionId = started.session.id;
            send({ type: "session-ready", session: sessionInfo(started), turns: started.session.turns.map(turnView), resumed: false });
            return;
          }
          case "session-resume": {
            const opened = await practice.open(learner.id, message.sessionId);
            if (!opened.ok) return error(opened.code, opened.message);
            if (sessionId && sessionId !== message.sessionId) broadcasts.leave(sessionId, send);
            if (!sessionId) metrics.practiceSessionsActive.inc();
            sessionId = message.sessionId;
            const turns = opened.session.turns.filter((turn) => turn.seq > message.lastSeq).map(turnView);
            send({ type: "session-ready", session: sessionInfo(opened), turns, resumed: true });
            if (opened.session.status === "ended") void watchForScore(sessionId);
            // A reply still streaming here is joined; one lost with a crashed process is written anew.
            if (opened.session.status === "active" && !broadcasts.join(sessionId, send) && opened.session.turns.at(-1)?.speaker === "learner") {
              replyBeside(sessionId);
            }
            return;
          }
          case "turn": {
            if (sessionId !== message.sessionId) return error("NO_SESSION", "Start or resume this session on this connection first.");
            // Whose turn it is, is decided by the statement that stores the turn (any process).
            const outcome = await practice.submitTurn(learner.id, message.sessionId, message.clientMessageId, message.text);
            if (!outcome.ok) return error(outcome.code, outcome.message, { clientMessageId: message.clientMessageId });
            send({ type: "turn-accepted", sessionId: message.sessionId, clientMessageId: message.clientMessageId, seq: outcome.turn.seq, duplicate: outcome.duplicate });
            if (outcome.ended) await sendTurnsAfter(outcome.turn.seq);
            // The reply streams beside the queue, so an interrupt sent meanwhile is read at once.
            else if (outcome.needsReply) replyBeside(message.sessionId, outcome.session);
            return;
          }
          case "reply-request": {
            if (sessionId !== message.sessionId) return error("NO_SESSION", "Start or resume this session on this connection first.");
            if (!broadcasts.join(message.sessionId, send)) replyBeside(message.sessionId);
            return;
          }
          case "interrupt": {
            if (sessionId === message.sessionId) broadcasts.interrupt(message.sessionId);
            return;
          }
          case "session-end": {
            if (sessionId !== message.sessionId) return error("NO_SESSION", "Start or resume this session on this connection first.");
            broadcasts.interrupt(message.sessionId);
            const ended = await practice.end(learner.id, message.sessionId);
            if (!ended.ok) return error(ended.code, ended.message);
            await sendTurnsAfter(Number.MAX_SAFE_INTEGER);
            return;
          }
        }
      }

      // One message at a time, in the order sent: a turn is stored (or refused) before the next
      // message is read. A client that queues more than maxQueuedMessages unread is cut off.
      let queue = Promise.resolve();
      let queued = 0;
      socket.on("message", (data, isBinary) => {
        if (queued >= options.maxQueuedMessages) {
          log.warn({ queued }, "closing a practice socket that sends faster than it is answered");
          socket.close(closeCodes.flooding, "FLOODING: too many messages waiting; slow down and resume");
          return;
        }
        queued++;
        const raw = isBinary ? "" : data.toString();
        queue = queue
          .then(() => handle(raw))
          .catch((failure: unknown) => {
            log.error({ err: failure }, "practice message failed");
            error("INTERNAL", "Something went wrong on our side; your saved turns are safe. Resume the session to continue.");
          })
          .finally(() => {
            queued--;
          });
      });
    },
  );
};
