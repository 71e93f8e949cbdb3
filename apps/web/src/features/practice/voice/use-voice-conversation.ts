import type { SessionInfo, TurnView } from "@spar/protocol";
import { useEffect, useRef, useState } from "react";
import type { PracticeState } from "../practice-state.ts";
import type { usePracticeSocket } from "../use-practice-socket.ts";
import { MicrophoneError } from "./microphone.ts";
// Types only: the voice code (and the detector it brings) loads with import() once voice is chosen.
import type { VoiceActivityState, VoiceConversation } from "./voice-conversation.ts";

type SocketVoice = ReturnType<typeof usePracticeSocket>["voice"];

/** Whether the learner may start an utterance now: the conversation is theirs to continue. */
export function mayStartSpeaking(state: PracticeState): boolean {
  if (state.connection !== "open" || state.ended || state.pending.length > 0) return false;
  // Speech being written down, or words awaiting the learner's review: nothing new until they are dealt with.
  if (state.voice && (!state.voice.final || state.voice.review)) return false;
  // Their last turn still waits for the persona's answer (the reply has not started).
  return !(state.turns.at(-1)?.speaker === "learner" && state.streaming === null);
}

/** The opening line of a session that has just begun (not a resumed one), to be spoken. */
function openingLine(state: PracticeState): TurnView | null {
  const [first, ...rest] = state.turns;
  return !state.resumed && rest.length === 0 && first?.speaker === "persona" ? first : null;
}

/**
 * Voice practice while the learner has chosen it: starts the microphone, the detector and the
 * player for this session, feeds them the socket's messages and audio, and stops them all when
 * the learner goes back to typing or leaves. Failure (the microphone refused) is reported in words.
 */
export function useVoiceConversation(options: {
  on: boolean;
  session: SessionInfo | null;
  state: PracticeState;
  socket: SocketVoice;
  review: boolean;
  onFailure: (message: string) => void;
}): { activity: VoiceActivityState | null; resume: () => void } {
  const { on, session, socket } = options;
  const [activity, setActivity] = useState<VoiceActivityState | null>(null);
  const conversation = useRef<VoiceConversation | null>(null);
  const latest = useRef(options);
  latest.current = options;
  const openingSpoken = useRef(false);

  const sessionId = session?.id ?? null;
  const voice = session?.voice;
  const active = on && sessionId !== null && voice?.available === true && session?.status === "active";

  // biome-ignore lint/correctness/useExhaustiveDependencies: restarted only when voice is turned on or off, or the session changes
  useEffect(() => {
    if (!active || !sessionId || !voice) return;
    let cancelled = false;
    let started: VoiceConversation | null = null;
    const stopListening = socket.subscribe((event) => started?.handle(event));
    const begin = async () => {
      const { VoiceConversation } = await import("./voice-conversation.ts");
      const ready = await VoiceConversation.start({
        sessionId,
        voice,
        send: socket.send,
        sendAudio: socket.sendAudio,
        canSpeak: () => mayStartSpeaking(latest.current.state),
        review: () => latest.current.review,
        started: socket.started,
        cancelled: socket.cancelled,
        onChange: (state) => {
          if (!cancelled) setActivity(state);
        },
      });
      if (cancelled) {
        ready.close();
        return;
      }
      started = ready;
      conversation.current = ready;
      const opening = openingLine(latest.current.state);
      if (opening && !openingSpoken.current) {
        openingSpoken.current = true;
        ready.speakTurn(opening);
      }
    };
    begin().catch((error: unknown) => {
      if (cancelled) return;
      console.error("Voice practice could not start.", error);
      latest.current.onFailure(
        error instanceof MicrophoneError ? error.message : "Voice practice could not start in this browser. Type your replies instead.",
      );
    });
    return () => {
      cancelled = true;
      stopListening();
      started?.close();
      conversation.current = null;
      setActivity(null);
    };
  }, [active, sessionId]);

  return { activity, resume: () => void conversation.current?.resume() };
}
