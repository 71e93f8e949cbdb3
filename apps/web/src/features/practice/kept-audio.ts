import { PracticeSessionView, type TurnView } from "@spar/protocol";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { z } from "zod";
import { api } from "../../api/client.ts";

/** The turns, each marked `audio` where its audio was kept. */
export function withKeptAudio(turns: readonly TurnView[], kept: ReadonlySet<number>): readonly TurnView[] {
  if (kept.size === 0) return turns;
  return turns.map((turn) => (kept.has(turn.seq) && !turn.audio ? { ...turn, audio: true } : turn));
}

const none: ReadonlySet<number> = new Set();

/**
 * The learner's own conversation with the audio the server kept of it (SPAR_KEEP_AUDIO), once it
 * has ended: the session as the API reads it (the query a manager's review makes) says which turns
 * have audio, and those get the review's player. The socket's turns do not say (audio is kept
 * after a turn is committed), and while the learner is still talking a player would be in the way.
 */
export function useTurnsWithKeptAudio(sessionId: string, ended: boolean, turns: readonly TurnView[]): readonly TurnView[] {
  const session = useQuery({
    queryKey: ["session", sessionId],
    queryFn: () => api(`/api/practice-sessions/${sessionId}`, z.object({ session: PracticeSessionView })),
    enabled: ended,
  });
  const kept = useMemo(
    () => (session.data ? new Set(session.data.session.turns.filter((turn) => turn.audio).map((turn) => turn.seq)) : none),
    [session.data],
  );
  return useMemo(() => withKeptAudio(turns, kept), [turns, kept]);
}
