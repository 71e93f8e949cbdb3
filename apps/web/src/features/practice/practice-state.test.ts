import type { ServerMessage, SessionInfo, TurnView } from "@spar/protocol";
import { describe, expect, it } from "vitest";
import { initialPracticeState, type PracticeAction, type PracticeState, reducePractice } from "./practice-state.ts";

const sessionId = "7f1c2a9e-3b4d-4e5f-8a6b-1c2d3e4f5a6b";
const server = (message: ServerMessage): PracticeAction => ({ type: "server", message });
const run = (actions: PracticeAction[], from: PracticeState = initialPracticeState) => actions.reduce(reducePractice, from);

const opening: TurnView = { seq: 1, speaker: "persona", text: "Hello. What brings you here today?", status: "complete", acts: [], at: "2026-12-02T10:00:00.000Z" };
const session: SessionInfo = {
  id: sessionId,
  scenario: { id: "frustrated-customer", version: 1, title: "A frustrated customer", contentHash: "hash" },
  persona: { name: "Carmen Ortiz", role: "customer" },
  engine: "offline",
  model: null,
  status: "active",
  endReason: null,
  startedAt: "2026-12-02T10:00:00.000Z",
  maxTurns: 12,
  maxMinutes: 20,
  learnerTurns: 0,
  voice: { available: true, speech: "server" },
};
const ready = run([server({ type: "session-ready", session, turns: [opening], resumed: false })]);

describe("the learner's speech in the practice state", () => {
  it("shows the words so far, then makes the final words a turn awaiting acknowledgement", () => {
    const speaking = run(
      [
        { type: "voice-started", clientMessageId: "speech-1", review: false },
        server({ type: "voice-transcript", sessionId, clientMessageId: "speech-1", text: "I hear", final: false }),
      ],
      ready,
    );
    expect(speaking.voice).toEqual({ clientMessageId: "speech-1", text: "I hear", final: false, review: false });
    expect(speaking.pending).toEqual([]);

    const final = reducePractice(speaking, server({ type: "voice-transcript", sessionId, clientMessageId: "speech-1", text: "I hear you.", final: true }));
    expect(final.voice?.final).toBe(true);
    // Pending like a typed turn: resent as text after a reconnect, stored once by its id.
    expect(final.pending).toEqual([{ clientMessageId: "speech-1", text: "I hear you." }]);

    const accepted = reducePractice(final, server({ type: "turn-accepted", sessionId, clientMessageId: "speech-1", seq: 2, duplicate: false }));
    expect(accepted.voice).toBeNull();
    expect(accepted.pending).toEqual([]);
    expect(accepted.turns.map((turn) => [turn.seq, turn.speaker, turn.text])).toEqual([
      [1, "persona", opening.text],
      [2, "learner", "I hear you."],
    ]);
  });

  it("with review, keeps the final words for the learner to correct and send under the same id", () => {
    const reviewed = run(
      [
        { type: "voice-started", clientMessageId: "speech-2", review: true },
        server({ type: "voice-transcript", sessionId, clientMessageId: "speech-2", text: "I here you", final: true }),
      ],
      ready,
    );
    expect(reviewed.voice).toEqual({ clientMessageId: "speech-2", text: "I here you", final: true, review: true });
    expect(reviewed.pending).toEqual([]);
    const sent = reducePractice(reviewed, { type: "sent", clientMessageId: "speech-2", text: "I hear you." });
    expect(sent.voice).toBeNull();
    expect(sent.pending).toEqual([{ clientMessageId: "speech-2", text: "I hear you." }]);
  });

  it("drops the speech on a misfire and on an error about it, leaving other speech alone", () => {
    const started = reducePractice(ready, { type: "voice-started", clientMessageId: "speech-3", review: false });
    expect(reducePractice(started, { type: "voice-cancelled", clientMessageId: "speech-3" }).voice).toBeNull();
    expect(reducePractice(started, { type: "voice-cancelled", clientMessageId: "other" }).voice).not.toBeNull();
    const notHeard = reducePractice(
      started,
      server({ type: "error", code: "SPEECH_NOT_HEARD", message: "No words were heard.", sessionId, clientMessageId: "speech-3" }),
    );
    expect(notHeard.voice).toBeNull();
    expect(notHeard.error?.code).toBe("SPEECH_NOT_HEARD");
    // Speaking again clears the error.
    expect(reducePractice(notHeard, { type: "voice-started", clientMessageId: "speech-4", review: false }).error).toBeNull();
  });
});

describe("a persona turn revised after barge-in", () => {
  const reply: TurnView = { ...opening, seq: 3, text: "Well, the thing is. We never got the invoice. And then", status: "complete" };

  it("replaces the turn's text with what was heard", () => {
    const withReply = run([server({ type: "reply-end", sessionId, turn: reply })], ready);
    const revised = reducePractice(
      withReply,
      server({ type: "turn-revised", sessionId, turn: { ...reply, text: "Well, the thing is.", status: "interrupted", interruption: "barge-in" } }),
    );
    expect(revised.turns.map((turn) => turn.text)).toEqual([opening.text, "Well, the thing is."]);
    expect(revised.turns.at(-1)?.interruption).toBe("barge-in");
  });

  it("ends the streaming reply it revises", () => {
    const streaming = run([server({ type: "reply-start", sessionId, seq: 3 }), server({ type: "reply-delta", sessionId, seq: 3, text: "Well, the thing is. We" })], ready);
    const revised = reducePractice(
      streaming,
      server({ type: "turn-revised", sessionId, turn: { ...reply, text: "Well, the thing is.", status: "interrupted", interruption: "barge-in" } }),
    );
    expect(revised.streaming).toBeNull();
    expect(revised.turns.at(-1)?.text).toBe("Well, the thing is.");
  });
});
