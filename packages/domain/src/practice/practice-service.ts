import type { EndReason, SocketErrorCode } from "@spar/protocol";
import type { DialogueAct } from "../library/dialogue-acts.ts";
import { classifyTurn } from "../conversation/dialogue-act-classifier.ts";
import { decidePersonaMove, type PersonaMove } from "../conversation/offline-persona.ts";
import { initialPersonaState, type PersonaState } from "../conversation/persona-state.ts";
import type { Library } from "../library/library.ts";
import type { Scenario } from "../library/scenario-schema.ts";
import { scenarioForSession } from "../library/scenario-source.ts";
import type { Clock } from "../ports/clock.ts";
import { guardDeflection } from "./guard-deflection.ts";
import { HeldOutput } from "./held-output.ts";
import { cutByProvider, type PersonaEngine, type PersonaReplyRequest, type PersonaReplyResult, type TokenUsage } from "./persona-engine.ts";
import type { LeakReason } from "./protected-phrases.ts";
import type { GuardCut, GuardStep, ReplyGuard } from "./reply-guard.ts";
import { replyGuard } from "./reply-secrets.ts";
import type { OpenSessionSummary, PersonaTurnCommit, PracticeStore, SessionRecord, TurnRecord } from "./practice-store.ts";
import { heardPart, type TurnSpeech } from "./turn-speech.ts";

export interface PracticeLimits {
  /** Practice sessions one learner may have open at once. */
  maxActiveSessions: number;
}

export interface PracticeDeps {
  store: PracticeStore;
  library: () => Library;
  persona: PersonaEngine;
  clock: Clock;
  limits: PracticeLimits;
  /** Told when a session ends, however it ended (assignments are completed by it). */
  onEnded?: (session: { id: string; learnerId: string; scenarioId: string }, at: Date) => Promise<void>;
  /**
   * Told once per turn committed: a learner's message (not a resent duplicate) or a persona reply
   * (not a scripted closing line). The server counts them; it must not throw.
   */
  onTurn?: (turn: { speaker: "learner" | "persona"; engine: SessionRecord["engine"] }) => void;
  /**
   * Told when the output guard cut a persona reply that was giving away its instructions or a
   * hidden fact (docs/persona-guard.md). The server counts them; it must not throw.
   */
  onGuardCut?: (cut: { reason: LeakReason; engine: SessionRecord["engine"] }) => void;
}

export type Failure = { ok: false; code: SocketErrorCode; message: string };
const fail = (code: SocketErrorCode, message: string): Failure => ({ ok: false, code, message });

export interface OpenSession {
  ok: true;
  session: SessionRecord;
  scenario: Scenario;
}

export type TurnOutcome =
  | {
      ok: true;
      turn: TurnRecord;
      duplicate: boolean;
      needsReply: boolean;
      ended: EndReason | null;
      /** The session as this turn left it, to hand to `reply` without reading it again. */
      session: SessionRecord;
    }
  | Failure;

/**
 * A learner turn read against its session, not yet stored. `expected` is the session as it will be
 * once the turn is stored (if nothing else is stored first), so its reply can begin meanwhile.
 */
export interface TurnDraft {
  ok: true;
  kind: "draft";
  sessionId: string;
  session: SessionRecord;
  scenario: Scenario;
  turn: { clientMessageId: string; text: string; acts: DialogueAct[]; at: Date; speech: TurnSpeech | null };
  expected: SessionRecord;
}

/**
 * Whether a drafted turn was stored where the draft expected it: right after the turns it was read
 * with, so nothing else was said meanwhile and a reply begun from `expected` answers it.
 */
export function storedAsDrafted(draft: TurnDraft, stored: TurnRecord): boolean {
  return stored.seq === draft.expected.turns.at(-1)?.seq;
}

export type DiscardOutcome = { ok: true } | { ok: false; reason: "not-found" | "ended" | "assessment" };

/** `scenario` is the version the session runs on, which says what the learner may be shown of the turn. */
export type ReplyOutcome = { ok: true; turn: TurnRecord; ended: EndReason | null; scenario: Scenario } | Failure;

/** An active session is closed as abandoned for the open-session limit after this long. */
const abandonedAfterMs = 3 * 3_600_000;

/**
 * A practice conversation: start, take the learner's turns, have the persona answer, end.
 * No transport here: the websocket handler calls these and sends what they return.
 */
export class PracticeService {
  constructor(private readonly deps: PracticeDeps) {}

  private async ended(session: SessionRecord, at: Date): Promise<void> {
    await this.deps.onEnded?.({ id: session.id, learnerId: session.learnerId, scenarioId: session.scenarioId }, at);
  }

  private async scenarioOf(session: SessionRecord): Promise<Scenario> {
    const scenario = await scenarioForSession(this.deps.library(), session.scenarioHash, (hash) => this.deps.store.scenarioSource(hash));
    if (!scenario) throw new Error(`scenario version ${session.scenarioHash} of session ${session.id} is missing`);
    return scenario;
  }

  async start(learnerId: string, scenarioId: string): Promise<OpenSession | Failure> {
    const library = this.deps.library();
    const entry = library.scenarios.get(scenarioId);
    const rubric = entry && library.rubrics.get(entry.value.rubric);
    if (!entry || !rubric) return fail("SCENARIO_NOT_FOUND", `There is no scenario "${scenarioId}" in the library.`);
    const assessment = entry.value.assessment;
    const now = this.deps.clock.now();
    const created = await this.deps.store.createSession(
      {
        learnerId,
        scenarioHash: entry.contentHash,
        rubricHash: rubric.contentHash,
        engine: this.deps.persona.kind,
        model: this.deps.persona.model,
        personaState: initialPersonaState(entry.value),
        openingLine: entry.value.persona.opening_line,
        at: now,
        endsBy: new Date(now.getTime() + entry.value.end.max_minutes * 60_000),
      },
      {
        scenarioId,
        maxAttempts: assessment?.max_attempts ?? null,
        maxActiveSessions: this.deps.limits.maxActiveSessions,
        activeSince: new Date(now.getTime() - abandonedAfterMs),
      },
    );
    if (created.kind === "attempts-used") {
      return fail("ATTEMPTS_USED", `This is an assessment with ${assessment?.max_attempts} attempts, and you have used them all.`);
    }
    if (created.kind === "too-many-sessions") {
      return fail("TOO_MANY_SESSIONS", `You have ${created.open} practice sessions open. End one before starting another.`);
    }
    const session = created.session;
    return { ok: true, session, scenario: entry.value };
  }

  /** A session of this learner's, for resuming it. */
  async open(learnerId: string, sessionId: string): Promise<OpenSession | Failure> {
    const session = await this.deps.store.findSession(sessionId);
    if (!session || session.learnerId !== learnerId) return fail("SESSION_NOT_FOUND", "There is no such practice session of yours.");
    return { ok: true, session, scenario: await this.scenarioOf(session) };
  }

  /**
   * Reads a learner's words before they are submitted (a spoken turn transcribed at the pause),
   * so that submitting them does not wait for the reading: it is kept by text.
   */
  readAhead(text: string): void {
    classifyTurn(text);
  }

  /** `speech`: the turn was spoken, and when (voice practice). */
  async submitTurn(learnerId: string, sessionId: string, clientMessageId: string, text: string, speech?: TurnSpeech): Promise<TurnOutcome> {
    const drafted = await this.draftTurn(learnerId, sessionId, clientMessageId, text, speech);
    return drafted.ok && "kind" in drafted ? this.storeTurn(drafted) : drafted;
  }

  /**
   * The first half of `submitTurn`: the session read and the turn made, nothing written. A resent
   * turn the session already holds is answered as the duplicate it is. `read` is the session as
   * `open` gave it a moment ago: a stale one only makes the store, or the reply's commit, refuse.
   * It is read again if its newest turn is the learner's (a reply was being written then).
   */
  async draftTurn(
    learnerId: string,
    sessionId: string,
    clientMessageId: string,
    text: string,
    speech?: TurnSpeech,
    read?: OpenSession,
  ): Promise<TurnDraft | TurnOutcome> {
    const usable = read?.session.id === sessionId && read.session.learnerId === learnerId && read.session.turns.at(-1)?.speaker === "persona";
    const opened = usable ? read : await this.open(learnerId, sessionId);
    if (!opened.ok) return opened;
    const { session, scenario } = opened;
    const duplicateOf = session.turns.find((turn) => turn.clientMessageId === clientMessageId);
    if (duplicateOf) return { ok: true, turn: duplicateOf, duplicate: true, needsReply: false, ended: null, session };
    const turn = { clientMessageId, text, acts: classifyTurn(text), at: this.deps.clock.now(), speech: speech ?? null };
    // The store gives a learner turn the seq after the newest; the reply's commit is refused if another came first.
    const seq = (session.turns.at(-1)?.seq ?? 0) + 1;
    const expected = { ...session, turns: [...session.turns, { ...turn, seq, speaker: "learner" as const, status: "complete" as const, interruption: null, guarded: false, mood: null }] };
    return { ok: true, kind: "draft", sessionId, session, scenario, turn, expected };
  }

  /** The second half of `submitTurn`: the drafted turn stored, if the session still takes it. */
  async storeTurn(draft: TurnDraft): Promise<TurnOutcome> {
    const { sessionId, session, scenario, turn } = draft;
    const now = turn.at;
    const stored = await this.deps.store.appendLearnerTurn(sessionId, turn);
    if (stored.kind === "session-ended") return fail("SESSION_ENDED", "This practice session has ended.");
    if (stored.kind === "awaiting-reply") return fail("REPLY_IN_PROGRESS", `${scenario.persona.name} has not answered your last message yet.`);
    if (stored.kind === "duplicate") return { ok: true, turn: stored.turn, duplicate: true, needsReply: false, ended: null, session };
    this.deps.onTurn?.({ speaker: "learner", engine: session.engine });
    if (now.getTime() - session.startedAt.getTime() >= scenario.end.max_minutes * 60_000) {
      await this.deps.store.endSession(sessionId, { reason: "time-limit", at: now, closingLine: scenario.end.closing_line });
      await this.ended(session, now);
      return { ok: true, turn: stored.turn, duplicate: false, needsReply: false, ended: "time-limit", session };
    }
    // Stored after other turns than the draft was read with: the session is read again for the reply.
    const current = storedAsDrafted(draft, stored.turn) ? { ...session, turns: [...session.turns, stored.turn] } : await this.deps.store.findSession(sessionId);
    if (!current) return fail("SESSION_NOT_FOUND", "There is no such practice session of yours.");
    return { ok: true, turn: stored.turn, duplicate: false, needsReply: true, ended: null, session: current };
  }

  /**
   * The learner's client played a persona turn's audio: through (`stopped: false`), or until the
   * learner spoke over it, having heard `heardChars` of its text. The turn keeps when it was heard
   * and, after a barge-in, only what was heard. Only the first hearing counts; `turn` is null
   * when there was nothing to record (a replay, or no such persona turn).
   */
  async heard(
    learnerId: string,
    sessionId: string,
    report: { seq: number; playedMs: number; stopped: boolean; heardChars?: number },
  ): Promise<{ ok: true; turn: TurnRecord | null; scenario: Scenario } | Failure> {
    const opened = await this.open(learnerId, sessionId);
    if (!opened.ok) return opened;
    const turn = opened.session.turns.find((each) => each.seq === report.seq && each.speaker === "persona");
    if (!turn || turn.speech) return { ok: true, turn: null, scenario: opened.scenario };
    const endedAt = this.deps.clock.now();
    const speech = { startedAt: new Date(endedAt.getTime() - report.playedMs), endedAt, words: [] };
    // Spoken over: kept up to what was heard; a reply stopped before it was all written was all heard.
    const heard = report.stopped ? (heardPart(turn.text, report.heardChars ?? 0) ?? (turn.status === "interrupted" ? turn.text : null)) : null;
    const recorded = await this.deps.store.recordPersonaSpeech(sessionId, report.seq, speech, heard);
    return { ok: true, turn: recorded, scenario: opened.scenario };
  }

  /**
   * The persona's answer to the learner's latest turn, streamed through `onDelta` and committed
   * before this returns. Ends the session when the persona closes it or the turn limit is reached.
   * `known` is the session as `submitTurn` just left it, which saves reading it again; a stale
   * copy is harmless, since the commit is refused if the transcript has moved on meanwhile.
   * With `askedAgain` (the learner's reply-request), a newest persona turn the provider cut is answered
   * anew: the new reply follows it and answers the same learner turn. `engine` answers in place of
   * the server's (a learner speaking to the Realtime persona); its speech goes to `onAudio`.
   *
   * With `stored`, the reply answers a drafted turn still being written (`known` is the draft's
   * `expected`): it begins at once, but starts, speaks and commits only once `stored` says the
   * turn was stored as drafted; otherwise it stops, says nothing, and commits nothing.
   */
  async reply(
    sessionId: string,
    options: {
      signal: AbortSignal;
      onStart: (seq: number) => void;
      onDelta: (text: string) => void;
      onAudio?: (pcm: Uint8Array) => void;
      askedAgain?: boolean;
      engine?: PersonaEngine;
      stored?: Promise<boolean>;
    },
    known?: SessionRecord,
  ): Promise<ReplyOutcome> {
    const session = known?.id === sessionId ? known : await this.deps.store.findSession(sessionId);
    if (!session) return fail("SESSION_NOT_FOUND", "There is no such practice session.");
    if (session.status === "ended") return fail("SESSION_ENDED", "This practice session has ended.");
    const newest = session.turns.at(-1);
    const cut = options.askedAgain && newest?.speaker === "persona" && cutByProvider(newest.interruption) ? newest : null;
    // The cut reply stays in the transcript as it was said; the persona answers without it.
    const transcript = cut ? session.turns.slice(0, -1) : session.turns;
    const last = transcript.at(-1);
    if (!newest || last?.speaker !== "learner") return fail("NOTHING_TO_ANSWER", "The persona has already answered.");
    const scenario = await this.scenarioOf(session);
    const state = session.personaState;
    const learner = { text: last.text, acts: last.acts, number: state.learnerTurns + 1 };
    const move = decidePersonaMove(scenario, state, learner);
    // A reply to a turn still being written says nothing until it is stored, and stops if it is not.
    const refused = new AbortController();
    const held = options.stored ? new HeldOutput(options.stored, () => refused.abort()) : null;
    const emit = (call: () => void) => (held ? held.run(call) : call());
    const onAudio = options.onAudio;
    emit(() => options.onStart(newest.seq + 1));
    const { result, leak } = await this.guardedReply({ scenario, state, move, transcript }, replyGuard(scenario, state, move, transcript, learner), {
      signal: held ? AbortSignal.any([options.signal, refused.signal]) : options.signal,
      onDelta: (text) => emit(() => options.onDelta(text)),
      ...(onAudio ? { onAudio: (pcm: Uint8Array) => emit(() => onAudio(pcm)) } : {}),
      ...(options.engine ? { engine: options.engine } : {}),
    });
    if (held && !(await held.stored)) return fail("NOTHING_TO_ANSWER", "The turn this reply was begun for was not stored.");
    if (!leak && !result.ok) return fail("LLM_UNAVAILABLE", `${scenario.persona.name} could not answer just now (${result.message}). Your message is saved: ask for the reply again.`);
    const now = this.deps.clock.now();
    const place = { answersSeq: last.seq, afterSeq: newest.seq, at: now };
    const { commit, ended } = leak || !result.ok ? deflectionCommit(scenario, state, move, place, result.ok ? result.usage : null) : replyCommit(scenario, state, move, result, place);
    const turn = await this.deps.store.appendPersonaTurn(sessionId, commit);
    if (!turn) return fail("NOTHING_TO_ANSWER", "The persona has already answered on another connection.");
    this.deps.onTurn?.({ speaker: "persona", engine: session.engine });
    if (leak) this.deps.onGuardCut?.({ reason: leak.reason, engine: session.engine });
    if (ended === "turn-limit") {
      await this.deps.store.endSession(sessionId, { reason: "turn-limit", at: now, closingLine: scenario.end.closing_line });
    }
    if (ended) await this.ended(session, now);
    return { ok: true, turn, ended, scenario };
  }

  /**
   * The engine's reply with every delta read by the guard first: only what the guard clears
   * reaches `onDelta`, and a reply that begins to give away what the persona keeps to itself is
   * stopped there (the engine returns it as if the learner had stopped it; `cut` says otherwise).
   * An engine's speech is held back the same way: a piece of audio goes out once the guard has
   * cleared every word that had come when it came (a speaking model's words run ahead of its
   * audio), and what is held when the guard cuts is never heard.
   */
  private async guardedReply(
    request: PersonaReplyRequest,
    guard: ReplyGuard,
    options: { signal: AbortSignal; onDelta: (text: string) => void; onAudio?: (pcm: Uint8Array) => void; engine?: PersonaEngine },
  ): Promise<{ result: PersonaReplyResult; leak: GuardCut | null }> {
    const stop = new AbortController();
    const onStopped = () => stop.abort();
    options.signal.addEventListener("abort", onStopped, { once: true });
    if (options.signal.aborted) stop.abort();
    // Characters given to the guard, characters it cleared, and audio waiting for its words to be cleared.
    let given = 0;
    let cleared = 0;
    const held: { upTo: number; pcm: Uint8Array }[] = [];
    const sendCleared = () => {
      while (held[0] && held[0].upTo <= cleared && !guard.cut) options.onAudio?.(held.shift()?.pcm ?? new Uint8Array());
    };
    const pass = (step: GuardStep) => {
      cleared += step.release.length;
      if (step.release !== "") options.onDelta(step.release);
      if (step.cut) stop.abort();
      sendCleared();
    };
    const onDelta = (delta: string) => {
      given += delta.length;
      pass(guard.push(delta));
    };
    const onAudio = (pcm: Uint8Array) => {
      held.push({ upTo: given, pcm });
      sendCleared();
    };
    try {
      const engine = options.engine ?? this.deps.persona;
      const result = await engine.reply(request, { signal: stop.signal, onDelta, ...(options.onAudio ? { onAudio } : {}) });
      // What the guard held back is checked to the end (the last word is complete now) and sent
      // before the reply is committed, also when the learner stopped it midway.
      if (result.ok && !guard.cut) {
        pass(guard.finish());
        cleared = Number.POSITIVE_INFINITY;
        sendCleared();
      }
      return { result, leak: guard.cut };
    } finally {
      options.signal.removeEventListener("abort", onStopped);
    }
  }

  /**
   * Ends sessions nobody will end: past their time limit (with the persona's closing line), or
   * silent for `idleMs` (abandoned). Each is then scored, or marked too short, like any other
   * ending. Safe to run on every process at once: each ending is conditional in the statement.
   */
  async sweep(idleMs: number, limit = 200): Promise<{ sessionId: string; reason: EndReason }[]> {
    const now = this.deps.clock.now();
    const idleSince = new Date(now.getTime() - idleMs);
    const swept: { sessionId: string; reason: EndReason }[] = [];
    for (const due of await this.deps.store.dueToEnd(now, idleSince, limit)) {
      const session = await this.deps.store.findSession(due.sessionId);
      if (session?.status !== "active") continue;
      const closingLine = due.reason === "time-limit" ? (await this.scenarioOf(session)).end.closing_line : null;
      const ended = await this.deps.store.endSession(due.sessionId, {
        reason: due.reason,
        at: now,
        closingLine,
        ...(due.reason === "abandoned" ? { idleSince } : {}),
      });
      if (!ended) continue;
      await this.ended(session, now);
      swept.push({ sessionId: due.sessionId, reason: due.reason });
    }
    return swept;
  }

  /** The learner's open sessions, to resume or end one (the open-session limit names them). */
  openSessions(learnerId: string): Promise<OpenSessionSummary[]> {
    return this.deps.store.openSessions(learnerId);
  }

  /**
   * Sets an open practice session aside unscored: the way out of one the learner walked away
   * from, without a scorecard for it. An assessment cannot be discarded (that would let a bad
   * attempt be taken back); it is ended, and scored or counted as too short. A discarded session
   * completes no assignment. The ending is conditional in the statement, so a session ended
   * meanwhile (by the learner elsewhere, or the sweep) stays as it ended.
   */
  async discard(learnerId: string, sessionId: string): Promise<DiscardOutcome> {
    const opened = await this.open(learnerId, sessionId);
    if (!opened.ok) return { ok: false, reason: "not-found" };
    if (opened.scenario.assessment) return { ok: false, reason: "assessment" };
    const at = this.deps.clock.now();
    const discarded = await this.deps.store.endSession(sessionId, { reason: "discarded", at, closingLine: null, discard: true });
    return discarded ? { ok: true } : { ok: false, reason: "ended" };
  }

  async end(learnerId: string, sessionId: string): Promise<{ ok: true; ended: boolean } | Failure> {
    const opened = await this.open(learnerId, sessionId);
    if (!opened.ok) return opened;
    const at = this.deps.clock.now();
    const ended = await this.deps.store.endSession(sessionId, { reason: "learner-ended", at, closingLine: null });
    if (ended) await this.ended(opened.session, at);
    return { ok: true, ended };
  }
}

type TurnPlace = Pick<PersonaTurnCommit, "answersSeq" | "afterSeq" | "at">;

/** The persona's reply as the engine gave it, and whether it ends the session. */
function replyCommit(
  scenario: Scenario,
  state: PersonaState,
  move: PersonaMove,
  result: Extract<PersonaReplyResult, { ok: true }>,
  place: TurnPlace,
): { commit: PersonaTurnCommit; ended: EndReason | null } {
  // A reply the provider cut leaves the persona as it was, so the reply asked for again plays
  // the same move; the learner's words still count once the persona has answered them.
  const providerCut = cutByProvider(result.interrupted);
  const atTurnLimit = !providerCut && move.state.learnerTurns >= scenario.end.max_turns;
  const ended: EndReason | null = !providerCut && move.endsConversation ? "persona-ended" : atTurnLimit ? "turn-limit" : null;
  return {
    commit: {
      ...place,
      text: result.text,
      status: result.interrupted ? "interrupted" : "complete",
      interruption: result.interrupted,
      guarded: false,
      personaState: providerCut ? state : move.state,
      usage: result.usage,
      end: ended === "persona-ended" ? ended : null,
    },
    ended,
  };
}

/**
 * The line said in place of a reply the guard cut. Nothing the persona began to say was said:
 * its mood and what it has shared stay as they were, and only the learner's turn counts. The
 * deflection is a whole reply, not one to ask for again, and it never closes the conversation.
 */
function deflectionCommit(
  scenario: Scenario,
  state: PersonaState,
  move: PersonaMove,
  place: TurnPlace,
  usage: TokenUsage | null,
): { commit: PersonaTurnCommit; ended: EndReason | null } {
  const learnerTurns = move.state.learnerTurns;
  return {
    commit: {
      ...place,
      text: guardDeflection(scenario, state),
      status: "complete",
      interruption: null,
      guarded: true,
      personaState: { ...state, learnerTurns },
      // The tokens of the cut reply were spent all the same.
      usage,
      end: null,
    },
    ended: learnerTurns >= scenario.end.max_turns ? "turn-limit" : null,
  };
}
