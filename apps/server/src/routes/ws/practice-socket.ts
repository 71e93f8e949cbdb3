import { discardedMessage, type OpenSession, type PracticeService, type SessionRecord, type SpeechServices, tooShortMessage, type TurnAudioStore, type TurnRecord, type TurnSpeech, storedAsDrafted } from "@spar/domain";
import type { RealtimeVoice } from "@spar/llm";
import type { ScorecardView, ServerMessage } from "@spar/protocol";
import type {} from "@fastify/websocket";
import { randomUUID } from "node:crypto";
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { AppError } from "../../app-error.ts";
import type { SocketAdmission } from "../../practice/socket-admission.ts";
import type { WebSocket } from "ws";
import type { AppMetrics } from "../../metrics/metrics.ts";
import { isOwnOrigin, originCheckFailed, sessionCookie, viewerOf } from "../../plugins/access-control.ts";
import { type Revoked, signInName } from "../../accounts/sign-in-revocations.ts";
import type { MessageRateLimiter } from "../../practice/message-rate-limiter.ts";
import { readClientFrame } from "../../practice/client-frame.ts";
import type { ReplyStreams, SessionEvent } from "../../practice/reply-streams.ts";
import { sessionInfo, turnView } from "../../practice/session-views.ts";
import { VoiceChannel, type VoiceChannelOptions } from "../../practice/voice-channel.ts";

/** Speech for voice practice: what the server has, and how it hears and speaks. */
export interface PracticeVoiceOptions {
  services: SpeechServices;
  speechToText: VoiceChannelOptions["speechToText"];
  textToSpeech: VoiceChannelOptions["textToSpeech"];
  /** Where it is not `speechToText` (beside the Realtime engine). */
  interimSpeechToText?: VoiceChannelOptions["interimSpeechToText"];
  /**
   * SPAR_VOICE_ENGINE=realtime: a speech-to-speech persona for one connection, which hears the
   * learner, answers them while they practise by voice and reads stored lines aloud. Null: the
   * cascade (speech to text, the server's persona, text to speech).
   */
  realtime: (() => RealtimeVoice) | null;
  interimMs: number;
  /** How far ahead of playing the persona's audio is sent. */
  leadMs: number;
  /** The server's voice, for personas whose scenario names none. */
  defaultVoice: string;
  /** Where spoken turns' audio is kept (SPAR_KEEP_AUDIO); null when it is not. */
  turnAudio: TurnAudioStore | null;
  onStage?: VoiceChannelOptions["onStage"];
}

/** An utterance is at most this long (docs/protocol.md). */
const maxUtteranceMs = 120_000;
/** How long a barge-in waits for the reply it stopped to be committed before it is cut. */
const stoppedReplyWaitMs = 5_000;

export interface PracticeSocketOptions {
  practice: PracticeService;
  streams: ReplyStreams;
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
  sessionEnded: (sessionId: string) => void;
  metrics: Pick<AppMetrics, "practiceSocketsOpen" | "practiceSessionsActive" | "errors">;
  /** Counts each learner's open sockets (on every process, with Redis). */
  admission: SocketAdmission;
  maxSocketsPerLearner: number;
  /** Tells when sign-ins have ended (deactivated, password reset, signed out), on any process. */
  onSignInRevoked: (listener: (revoked: Revoked) => void) => void;
  voice: PracticeVoiceOptions;
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
  const { practice, streams, rateLimiter, metrics } = options;
  const sockets = new Set<WebSocket>();
  // By person and by sign-in (the hash of the cookie), for closing them when sign-ins end.
  const socketsOfUser = new Map<string, Set<WebSocket>>();
  const socketsOfSignIn = new Map<string, Set<WebSocket>>();
  const track = (index: Map<string, Set<WebSocket>>, key: string, socket: WebSocket) => {
    const set = index.get(key) ?? new Set<WebSocket>();
    set.add(socket);
    index.set(key, set);
    return () => {
      set.delete(socket);
      if (set.size === 0) index.delete(key);
    };
  };

  const admittedAs = new WeakMap<FastifyRequest, string>();

  options.onSignInRevoked((revoked) => {
    const ended = "userId" in revoked ? socketsOfUser.get(revoked.userId) : socketsOfSignIn.get(revoked.signIn);
    for (const socket of [...(ended ?? [])]) socket.close(closeCodes.signedOut, "SIGNED_OUT: this sign-in has ended");
  });

  app.addHook("onClose", async () => {
    streams.interruptAll();
    // Replies commit what was said as interrupted; give them a moment before closing sockets.
    for (let waited = 0; streams.size > 0 && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
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
      // Counted before the upgrade, on every process together: past the cap, no socket opens.
      preHandler: async (request) => {
        const socketId = randomUUID();
        if (!(await options.admission.admit(viewerOf(request).id, socketId))) {
          throw new AppError(429, "RATE_LIMITED", `You have ${options.maxSocketsPerLearner} practice connections open. Close a tab or window and try again.`);
        }
        admittedAs.set(request, socketId);
      },
    },
    (socket, request) => {
      const learner = viewerOf(request);
      const socketId = admittedAs.get(request) ?? randomUUID();
      const log = request.log.child({ learnerId: learner.id });
      let sessionId: string | null = null;
      // The session this connection follows (its reply frames, end and scoring, from any process).
      let following: { sessionId: string; stop: () => Promise<void> } | null = null;
      // The turns this connection has: every one up to `hadUpTo` (given when the session was
      // readied), and each later one sent since. Kept by seq, not as a high-water mark: a turn's
      // acknowledgement can overtake the reply-end of the persona turn just before it.
      let hadUpTo = 0;
      const had = new Set<number>();
      const has = (seq: number) => seq <= hadUpTo || had.has(seq);
      // What this connection was last told about the ending and the score.
      let toldEnded = false;
      let toldScore: string | null = null;
      // Voice: whether this session may be spoken, the persona's voice, and the reply this
      // connection is hearing now (a barge-in waits for it to be committed before cutting it).
      let voiceAllowed = false;
      let personaVoice: string | undefined;
      let replyOpen: { seq: number; committed: Promise<void>; done: () => void } | null = null;
      // The session read while the learner speaks (at voice-start, and again at voice-pause): their
      // turn is drafted against it at voice-end, so the read is not part of the wait for the reply.
      let readWhileSpeaking: { clientMessageId: string; read: Promise<OpenSession | null> } | null = null;
      const readSessionAhead = (id: string, clientMessageId: string) => {
        const read = practice.open(learner.id, id).then(
          (opened) => (opened.ok ? opened : null),
          () => null,
        );
        readWhileSpeaking = { clientMessageId, read };
      };
      sockets.add(socket);
      const untrackUser = track(socketsOfUser, learner.id, socket);
      const untrackSignIn = track(socketsOfSignIn, signInName(request.cookies[sessionCookie] ?? ""), socket);
      metrics.practiceSocketsOpen.inc();

      /** Whether a frame may go out: the socket is open, and its client still reads (else it is closed). */
      const writable = () => {
        if (socket.readyState !== socket.OPEN) return false;
        if (socket.bufferedAmount <= options.maxBufferedBytes) return true;
        log.warn({ buffered: socket.bufferedAmount }, "closing a practice socket that stopped reading");
        socket.close(closeCodes.slowConsumer, "SLOW_CONSUMER: the client stopped reading");
        return false;
      };
      const send = (message: ServerMessage) => {
        if (!writable()) return;
        // A turn this connection already has is not sent again (an ending and a reply's own end
        // can both carry the last turn).
        if (message.type === "reply-end" && has(message.turn.seq)) return;
        if (message.type === "reply-end") had.add(message.turn.seq);
        if (message.type === "turn-accepted") had.add(message.seq);
        // Typed as ServerMessage here, and every frame the tests receive is checked against the
        // schema, so the hot path (a frame per token) does not validate again.
        socket.send(JSON.stringify(message));
      };
      const error = (code: Extract<ServerMessage, { type: "error" }>["code"], message: string, extra: { clientMessageId?: string; retryAfterMs?: number } = {}) => {
        metrics.errors.inc({ code, transport: "socket" });
        send({ type: "error", code, message, ...(sessionId ? { sessionId } : {}), ...extra });
      };
      // The Realtime persona of this connection (its websocket opens when first used).
      const realtime = options.voice.realtime?.() ?? null;
      const voice = new VoiceChannel({
        speechToText: realtime ?? options.voice.speechToText,
        textToSpeech: realtime ?? options.voice.textToSpeech,
        ...(options.voice.interimSpeechToText !== undefined ? { interimSpeechToText: options.voice.interimSpeechToText } : {}),
        send,
        sessionId: () => sessionId ?? "",
        sendAudio: (bytes) => {
          if (writable()) socket.send(bytes, { binary: true });
        },
        interimMs: options.voice.interimMs,
        leadMs: options.voice.leadMs,
        maxUtteranceMs,
        personaVoice: () => personaVoice ?? options.voice.defaultVoice,
        onError: (failure, what) => log.warn({ err: failure, sessionId }, what),
        onStage: options.voice.onStage,
        ...(options.voice.turnAudio ? { onPersonaAudio: (seq: number, wav: Buffer) => keepAudio(sessionId, seq, wav) } : {}),
      });
      /** Keeps a spoken turn's audio, where the server keeps audio; a failure loses only the audio. */
      const keepAudio = (id: string | null, seq: number, wav: Buffer) => {
        if (!id || !options.voice.turnAudio) return;
        // A 44-byte header, then 16-bit samples at the byte rate it gives.
        const durationMs = ((wav.length - 44) / wav.readUInt32LE(28)) * 1000;
        options.voice.turnAudio.keep(id, seq, { wav, durationMs }).catch((failure: unknown) => log.warn({ err: failure, sessionId: id, seq }, "could not keep a turn's audio"));
      };
      /** Where this session may be spoken (the scenario allows it, the server can hear). */
      const readyVoice = (scenario: { allow_voice: boolean; persona: { voice?: string } }) => {
        voiceAllowed = scenario.allow_voice && options.voice.services.speechToText;
        personaVoice = scenario.persona.voice;
        if (!voiceAllowed) voice.setMode(false);
      };
      const voiceRefused = (clientMessageId?: string) =>
        error("VOICE_UNAVAILABLE", "This session cannot be practised by voice here; session.voice says why.", clientMessageId ? { clientMessageId } : {});

      // Heartbeats: a peer that misses a whole interval without answering a ping is gone.
      let alive = true;
      socket.on("pong", () => {
        alive = true;
        options.admission.renew(learner.id, socketId).catch((failure: unknown) => log.warn({ err: failure }, "could not renew a socket's admission"));
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
        untrackUser();
        untrackSignIn();
        options.admission.release(learner.id, socketId).catch((failure: unknown) => log.warn({ err: failure }, "could not release a socket's admission"));
        metrics.practiceSocketsOpen.dec();
        if (sessionId) metrics.practiceSessionsActive.dec();
        voice.close();
        realtime?.close();
        replyOpen?.done();
        void following?.stop();
        following = null;
      });

      /** Follows a session from now on (and stops following the previous one). */
      async function follow(id: string): Promise<boolean> {
        const previous = following;
        following = null;
        await previous?.stop();
        hadUpTo = 0;
        had.clear();
        toldEnded = false;
        toldScore = null;
        const followed = await streams.follow(id, (event) => hear(id, event));
        following = { sessionId: id, stop: followed.stop };
        return followed.replying;
      }

      function hear(id: string, event: SessionEvent): void {
        if (id !== sessionId) return;
        if (event.kind === "frame") {
          send(event.message);
          noteReply(event.message);
          voice.heard(event.message);
        }
        else if (event.kind === "ended") void tellEnding(id).catch((failure: unknown) => log.warn({ err: failure, sessionId: id }, "could not tell a session's end"));
        else if (event.kind === "scoring") void tellScore(id).catch((failure: unknown) => log.warn({ err: failure, sessionId: id }, "could not tell a session's score"));
        else if (event.kind === "orphaned") replyBeside(id);
      }

      /** Keeps track of the reply being heard: a barge-in on it waits until it is committed. */
      function noteReply(message: ServerMessage): void {
        if (message.type === "reply-start") {
          replyOpen?.done();
          let done = () => {};
          const committed = new Promise<void>((resolve) => (done = resolve));
          replyOpen = { seq: message.seq, committed, done };
        } else if (message.type === "reply-end" || message.type === "error") {
          replyOpen?.done();
          replyOpen = null;
        }
      }

      /** Waits until the reply being heard is committed, at most `stoppedReplyWaitMs` (its process may be lost). */
      async function replyCommitted(open: typeof replyOpen): Promise<void> {
        if (open) await Promise.race([open.committed, new Promise((resolve) => setTimeout(resolve, stoppedReplyWaitMs).unref())]);
      }

      /**
       * The learner heard a persona turn through, or spoke over it. A reply still being written is
       * stopped first and cut once committed; the turn as stored then comes back as turn-revised.
       */
      async function playedBack(id: string, report: { seq: number; playedMs: number; stopped: boolean; heardChars?: number }): Promise<void> {
        if (report.stopped) {
          voice.stop(report.seq);
          const open = replyOpen;
          if (open?.seq === report.seq) {
            streams.interrupt(id);
            await replyCommitted(open);
          }
        }
        // Speech from the Realtime engine is one piece: what was heard of it is reckoned here.
        const heardChars = voice.engineHeardChars(report.seq, report.playedMs) ?? report.heardChars;
        const heard = await practice.heard(learner.id, id, { ...report, ...(heardChars !== undefined ? { heardChars } : {}) });
        if (!heard.ok) return error(heard.code, heard.message);
        if (heard.turn && heard.turn.interruption === "barge-in") send({ type: "turn-revised", sessionId: id, turn: turnView(heard.turn, heard.scenario) });
      }

      /**
       * A learner turn, typed or spoken: stored (whose turn it is decided by the statement that
       * stores it), acknowledged, answered. The reply begins while the turn is being written, so
       * the persona's provider is not kept waiting for the write; it is heard, and committed, only
       * once the turn is stored as drafted (and acknowledged first).
       */
      async function takeTurn(id: string, clientMessageId: string, text: string, spoken?: { speech: TurnSpeech; wav: Buffer }, read?: Promise<OpenSession | null>): Promise<void> {
        const drafted = await practice.draftTurn(learner.id, id, clientMessageId, text, spoken?.speech, (await read) ?? undefined);
        if (!drafted.ok) return error(drafted.code, drafted.message, { clientMessageId });
        // A resend of a turn the session holds: acknowledged again, not answered again.
        if (!("kind" in drafted)) return acknowledge(id, clientMessageId, drafted.turn, true);
        let stored: (asDrafted: boolean) => void = () => {};
        const early = replyEarly(id, drafted.expected, new Promise<boolean>((resolve) => (stored = resolve)));
        // On PGlite the write holds this thread: the reply's request goes out first.
        await new Promise((resolve) => setImmediate(resolve));
        const outcome = await practice.storeTurn(drafted).catch((failure: unknown) => {
          stored(false);
          throw failure;
        });
        if (!outcome.ok) {
          stored(false);
          return error(outcome.code, outcome.message, { clientMessageId });
        }
        if (spoken && !outcome.duplicate) keepAudio(id, outcome.turn.seq, spoken.wav);
        acknowledge(id, clientMessageId, outcome.turn, outcome.duplicate);
        const asDrafted = outcome.needsReply && storedAsDrafted(drafted, outcome.turn);
        stored(asDrafted);
        if (outcome.ended) announceEnded(id);
        // Answered anew where the early reply could not answer (another reply held the session, or
        // another turn came first). It streams beside the queue, so an interrupt sent meanwhile is read at once.
        else if (outcome.needsReply && !(asDrafted && (await early))) replyBeside(id, { known: outcome.session });
      }

      function acknowledge(id: string, clientMessageId: string, turn: TurnRecord, duplicate: boolean): void {
        send({ type: "turn-accepted", sessionId: id, clientMessageId, seq: turn.seq, duplicate, acts: turn.acts });
      }

      /** The reply to a drafted turn, begun before it is stored; resolves to whether it began (claimed the session's reply). */
      function replyEarly(id: string, expected: SessionRecord, stored: Promise<boolean>): Promise<boolean> {
        return new Promise<boolean>((began) => {
          startReply(id, { known: expected, stored, began })
            .catch((failure: unknown) => {
              log.error({ err: failure, sessionId: id }, "persona reply failed");
              error("INTERNAL", "Something went wrong on our side; your saved turns are safe. Resume the session to continue.");
            })
            .finally(() => began(false));
        });
      }

      /** The turns this connection lacks (a closing line), then the end, then the score if any. */
      async function tellEnding(id: string): Promise<void> {
        const opened = await practice.open(learner.id, id);
        if (!opened.ok || id !== sessionId) return;
        for (const turn of opened.session.turns.filter((each) => !has(each.seq))) {
          send({ type: "reply-start", sessionId: id, seq: turn.seq });
          send({ type: "reply-end", sessionId: id, turn: turnView(turn, opened.scenario) });
        }
        if (opened.session.status === "ended" && opened.session.endReason && opened.session.endedAt && !toldEnded) {
          toldEnded = true;
          send({ type: "session-ended", sessionId: id, reason: opened.session.endReason, endedAt: opened.session.endedAt.toISOString() });
          await tellScore(id);
        }
      }

      /** Ended here: every follower, on every process, hears it, and scoring starts at once. */
      function announceEnded(id: string): void {
        streams.announce(id, "ended");
        options.sessionEnded(id);
      }

      // Where scoring stands, told once per change: it is read when the session ends and when
      // scoring announces a change, whichever process scored.
      async function tellScore(id: string): Promise<void> {
        const tell = (key: string, message: ServerMessage) => {
          if (toldScore === key || id !== sessionId) return;
          toldScore = key;
          send(message);
        };
        const [latest] = await options.scorecards(id);
        if (latest) return tell(`ready:${latest.id}`, { type: "score-ready", sessionId: id, scorecard: latest });
        const state = await options.scoringState(id);
        if (state?.scoringStatus === "too_short") return tell("skipped", { type: "score-skipped", sessionId: id, reason: "too-short", message: tooShortMessage });
        if (state?.scoringStatus === "discarded") return tell("skipped", { type: "score-skipped", sessionId: id, reason: "discarded", message: discardedMessage });
        if (state?.scoringStatus === "failed") {
          return tell("failed", { type: "score-failed", sessionId: id, final: true, message: scoringFailureInWords(state.scoringError), nextAttemptAt: null });
        }
        const retryAt = state?.scoringStatus === "pending" && state.scoringError && state.scoringAvailableAt ? state.scoringAvailableAt.toISOString() : null;
        if (retryAt) tell(`retry:${retryAt}`, { type: "score-failed", sessionId: id, final: false, message: scoringFailureInWords(state?.scoringError ?? null), nextAttemptAt: retryAt });
      }

      /**
       * Answers the session's learner turn, unless a reply is being generated already (here or on
       * another process): this connection follows the session, so it hears that one. `again` is
       * the look after a reply someone wanted while this one finished: silent if all is answered.
       * `askedAgain` is the learner's reply-request: a reply the provider cut is answered anew.
       * `stored` makes it the early reply to a drafted turn (`known`): `began` says whether it claimed the reply.
       */
      async function startReply(
        id: string,
        { known, again = false, askedAgain = false, stored, began }: { known?: SessionRecord; again?: boolean; askedAgain?: boolean; stored?: Promise<boolean>; began?: (yes: boolean) => void } = {},
      ): Promise<void> {
        const reply = await streams.begin(id);
        began?.(reply !== null);
        if (!reply) return;
        // Whether the newest turn is the persona's now: only then is a wanted reply looked for.
        let answered = false;
        // A learner speaking to the Realtime persona is answered by it, in its own voice.
        const speaking = realtime && voice.on ? realtime : null;
        let spoken = null as ReturnType<VoiceChannel["voicedByEngine"]> | null;
        const onStart = (seq: number) => {
          if (speaking) spoken = voice.voicedByEngine(seq);
          reply.started(seq);
        };
        try {
          const outcome = await practice.reply(
            id,
            {
              signal: reply.controller.signal,
              onStart,
              onDelta: reply.delta,
              askedAgain,
              ...(stored ? { stored } : {}),
              ...(speaking ? { engine: speaking.persona, onAudio: (pcm: Uint8Array) => spoken?.audio(pcm) } : {}),
            },
            known,
          );
          answered = outcome.ok || outcome.code === "NOTHING_TO_ANSWER";
          if (!outcome.ok && stored && !(await stored)) {
            // The turn it was begun for was not stored as drafted: nothing was said; the turn's own outcome was.
          } else if (outcome.ok) {
            reply.send({ type: "reply-end", sessionId: id, turn: turnView(outcome.turn, outcome.scenario) });
            await reply.finish();
            if (outcome.ended) announceEnded(id);
          } else if (again && (outcome.code === "NOTHING_TO_ANSWER" || outcome.code === "SESSION_ENDED")) {
            // Looked again and found nothing to answer: the usual case, said to nobody.
          } else if (outcome.code === "NOTHING_TO_ANSWER") {
            // Another connection answered first: show its answer instead.
            const opened = await practice.open(learner.id, id);
            const last = opened.ok ? opened.session.turns.at(-1) : undefined;
            if (opened.ok && last?.speaker === "persona") reply.send({ type: "reply-end", sessionId: id, turn: turnView(last, opened.scenario) });
            // The learner asked for a reply there is no call for: say so, as the protocol promises.
            if (askedAgain) reply.send({ type: "error", code: outcome.code, message: outcome.message, sessionId: id });
          } else {
            metrics.errors.inc({ code: outcome.code, transport: "socket" });
            reply.send({ type: "error", code: outcome.code, message: outcome.message, sessionId: id });
          }
        } finally {
          spoken?.end();
          // A failed reply is not retried here: the learner asks again (reply-request).
          if ((await reply.finish()) && answered) replyBeside(id, { again: true });
        }
      }

      function replyBeside(id: string, how: { known?: SessionRecord; again?: boolean; askedAgain?: boolean } = {}): void {
        startReply(id, how).catch((failure: unknown) => {
          log.error({ err: failure, sessionId: id }, "persona reply failed");
          error("INTERNAL", "Something went wrong on our side; your saved turns are safe. Resume the session to continue.");
        });
      }

      async function handle(raw: string): Promise<void> {
        const frame = readClientFrame(raw, options.maxMessageBytes);
        // Every frame uses up the learner's rate, readable or not: frames the server must refuse
        // cost it work too, and would otherwise be a way around the limit.
        const waitMs = await rateLimiter.take(learner.id);
        if (waitMs > 0) {
          const clientMessageId = frame.ok && frame.message.type === "turn" ? frame.message.clientMessageId : undefined;
          error("RATE_LIMITED", "You are sending messages too quickly.", { retryAfterMs: waitMs, ...(clientMessageId ? { clientMessageId } : {}) });
          return;
        }
        if (!frame.ok) return error(frame.code, frame.message);
        const message = frame.message;
        switch (message.type) {
          case "session-start": {
            const started = await practice.start(learner.id, message.scenarioId);
            if (!started.ok) return error(started.code, started.message);
            if (!sessionId) metrics.practiceSessionsActive.inc();
            voice.newSession();
            sessionId = started.session.id;
            await follow(sessionId);
            readyVoice(started.scenario);
            send({ type: "session-ready", session: sessionInfo(started, options.voice.services), turns: started.session.turns.map((turn) => turnView(turn, started.scenario)), resumed: false });
            hadUpTo = started.session.turns.at(-1)?.seq ?? 0;
            return;
          }
          case "session-resume": {
            const opened = await practice.open(learner.id, message.sessionId);
            if (!opened.ok) return error(opened.code, opened.message);
            if (!sessionId) metrics.practiceSessionsActive.inc();
            if (sessionId !== message.sessionId) voice.newSession();
            sessionId = message.sessionId;
            // Ready first, then any reply in progress (caught up by following), so the client
            // has its turns before the reply that answers them.
            const turns = opened.session.turns.filter((turn) => turn.seq > message.lastSeq).map((turn) => turnView(turn, opened.scenario));
            readyVoice(opened.scenario);
            send({ type: "session-ready", session: sessionInfo(opened, options.voice.services), turns, resumed: true });
            const replying = await follow(sessionId);
            hadUpTo = Math.max(message.lastSeq, opened.session.turns.at(-1)?.seq ?? 0);
            if (opened.session.status === "ended") {
              toldEnded = true;
              await tellScore(sessionId);
            }
            // A reply being generated anywhere is joined; one lost with a crashed process is written anew.
            if (opened.session.status === "active" && !replying && opened.session.turns.at(-1)?.speaker === "learner") replyBeside(sessionId);
            return;
          }
          case "turn": {
            if (sessionId !== message.sessionId) return error("NO_SESSION", "Start or resume this session on this connection first.");
            // Speech the learner reviewed and corrected keeps its times.
            return takeTurn(message.sessionId, message.clientMessageId, message.text, voice.reviewedSpeech(message.clientMessageId));
          }
          case "voice-mode": {
            if (sessionId !== message.sessionId) return error("NO_SESSION", "Start or resume this session on this connection first.");
            if (message.on && !voiceAllowed) return voiceRefused();
            voice.setMode(message.on);
            return;
          }
          case "voice-start": {
            if (sessionId !== message.sessionId) return error("NO_SESSION", "Start or resume this session on this connection first.");
            if (!voiceAllowed) return voiceRefused(message.clientMessageId);
            const refused = voice.start(message);
            if (refused) return error(refused.code, refused.message, { clientMessageId: message.clientMessageId });
            readSessionAhead(message.sessionId, message.clientMessageId);
            return;
          }
          case "voice-end": {
            if (sessionId !== message.sessionId) return error("NO_SESSION", "Start or resume this session on this connection first.");
            const read = readWhileSpeaking?.clientMessageId === message.clientMessageId ? readWhileSpeaking.read : undefined;
            readWhileSpeaking = null;
            // A reply the learner spoke over is committed (and cut) before their words are stored.
            await replyCommitted(replyOpen);
            const heard = await voice.end(message.clientMessageId);
            if (!heard.ok) return error(heard.code, heard.message, { clientMessageId: message.clientMessageId });
            if (heard.review) return;
            return takeTurn(message.sessionId, heard.clientMessageId, heard.text, heard, read);
          }
          case "voice-cancel": {
            voice.cancel(message.clientMessageId);
            return;
          }
          case "voice-pause": {
            // The words are read as soon as they are heard, before the learner is known to have finished.
            voice.pause(message.clientMessageId)?.then(
              (words) => practice.readAhead(words),
              () => {},
            );
            if (sessionId === message.sessionId) readSessionAhead(message.sessionId, message.clientMessageId);
            return;
          }
          case "voice-resume": {
            voice.resume(message.clientMessageId);
            return;
          }
          case "speak": {
            if (sessionId !== message.sessionId) return error("NO_SESSION", "Start or resume this session on this connection first.");
            if (!voiceAllowed) return voiceRefused();
            const opened = await practice.open(learner.id, message.sessionId);
            if (!opened.ok) return error(opened.code, opened.message);
            const turn = opened.session.turns.find((each) => each.seq === message.seq && each.speaker === "persona");
            if (turn) voice.speak(turn.seq, turn.text);
            return;
          }
          case "speech-played": {
            if (sessionId !== message.sessionId) return error("NO_SESSION", "Start or resume this session on this connection first.");
            return playedBack(message.sessionId, message);
          }
          case "reply-request": {
            if (sessionId !== message.sessionId) return error("NO_SESSION", "Start or resume this session on this connection first.");
            replyBeside(message.sessionId, { askedAgain: true });
            return;
          }
          case "interrupt": {
            if (sessionId === message.sessionId) streams.interrupt(message.sessionId);
            return;
          }
          case "open-sessions": {
            const open = await practice.openSessions(learner.id);
            send({
              type: "open-sessions",
              sessions: open.map((each) => ({ ...each, startedAt: each.startedAt.toISOString(), lastActivityAt: each.lastActivityAt.toISOString() })),
            });
            return;
          }
          case "session-end": {
            if (sessionId !== message.sessionId) return error("NO_SESSION", "Start or resume this session on this connection first.");
            streams.interrupt(message.sessionId);
            const ended = await practice.end(learner.id, message.sessionId);
            if (!ended.ok) return error(ended.code, ended.message);
            if (ended.ended) announceEnded(message.sessionId);
            await tellEnding(message.sessionId);
            return;
          }
        }
      }

      function hearAudio(bytes: Buffer): void {
        // Without voice no utterance can be open, so the audio is refused (once).
        const refused = voice.audio(bytes);
        if (refused) error(refused.code, refused.message);
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
        // Audio (binary frames) is read in order with the messages around it, beside the rate
        // limit: it is bounded by the utterance's length instead.
        const audio = isBinary ? Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]) : null;
        const raw = isBinary ? "" : data.toString();
        queue = queue
          .then(() => (audio ? hearAudio(audio) : handle(raw)))
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
