import { moodOf, type OpenSession, type Scenario, type SpeechServices, type TurnRecord, visibleMood, voiceAvailability } from "@spar/domain";
import type { SessionInfo, TurnView } from "@spar/protocol";

/**
 * A committed turn as clients see it. The persona's mood goes with it only where the scenario
 * shows mood (never in an assessment): what is not to be shown is not sent.
 */
export function turnView(turn: TurnRecord, scenario: Pick<Scenario, "show_mood" | "assessment">): TurnView {
  const mood = visibleMood(scenario, turn.mood);
  return {
    seq: turn.seq,
    speaker: turn.speaker,
    text: turn.text,
    status: turn.status,
    interruption: turn.interruption,
    ...(turn.guarded ? { guarded: true } : {}),
    acts: turn.acts,
    at: turn.at.toISOString(),
    ...(mood ? { mood } : {}),
    ...(turn.speech ? { spoken: true } : {}),
  };
}

export function sessionInfo({ session, scenario }: Omit<OpenSession, "ok">, speech?: SpeechServices): SessionInfo {
  const mood = visibleMood(scenario, moodOf(session.personaState));
  return {
    id: session.id,
    scenario: { id: scenario.id, version: scenario.version, title: scenario.title, contentHash: session.scenarioHash },
    persona: { name: scenario.persona.name, role: scenario.persona.role },
    engine: session.engine,
    model: session.model,
    status: session.status,
    endReason: session.endReason,
    startedAt: session.startedAt.toISOString(),
    maxTurns: scenario.end.max_turns,
    maxMinutes: scenario.end.max_minutes,
    learnerTurns: session.personaState.learnerTurns,
    ...(mood ? { mood } : {}),
    ...(speech ? { voice: voiceAvailability(scenario, speech) } : {}),
  };
}
