import type { OpenSession, TurnRecord } from "@spar/domain";
import type { SessionInfo, TurnView } from "@spar/protocol";

export function turnView(turn: TurnRecord): TurnView {
  return {
    seq: turn.seq,
    speaker: turn.speaker,
    text: turn.text,
    status: turn.status,
    interruption: turn.interruption,
    ...(turn.guarded ? { guarded: true } : {}),
    acts: turn.acts,
    at: turn.at.toISOString(),
  };
}

export function sessionInfo({ session, scenario }: Omit<OpenSession, "ok">): SessionInfo {
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
  };
}
