// What the database says after a run: lost or doubled turns, sessions scored other than once,
// and tokens recorded per session and per scorecard.
import type { Database } from "@spar/db";
import { sleep } from "./stats.ts";

interface TurnRow {
  sessionId: string;
  seq: number;
  speaker: "learner" | "persona";
}

/**
 * Each session's transcript must run 1, 2, 3… with learner and persona taking turns (the
 * opening line first), and hold exactly the learner turns its client saw acknowledged.
 */
export async function transcriptProblems(database: Database, acknowledged: Map<string, number>): Promise<string[]> {
  const ids = [...acknowledged.keys()];
  const rows = await database.prisma.$queryRaw<TurnRow[]>`
    SELECT "sessionId"::text AS "sessionId", seq, speaker::text AS speaker FROM "Turn"
    WHERE "sessionId" = ANY(${ids}::uuid[]) ORDER BY "sessionId", seq`;
  const bySession = groupBy(rows);
  const problems: string[] = [];
  for (const [sessionId, expected] of acknowledged) {
    const turns = bySession.get(sessionId) ?? [];
    turns.forEach((turn, index) => {
      if (turn.seq !== index + 1) problems.push(`${sessionId}: turn ${index + 1} has seq ${turn.seq}`);
      const speaker = index % 2 === 0 ? "persona" : "learner";
      if (turn.speaker !== speaker) problems.push(`${sessionId}: turn ${turn.seq} is the ${turn.speaker}'s, the ${speaker} was due`);
    });
    const learnerTurns = turns.filter((turn) => turn.speaker === "learner").length;
    if (learnerTurns !== expected) problems.push(`${sessionId}: ${learnerTurns} learner turns stored, ${expected} acknowledged`);
  }
  return problems;
}

function groupBy(rows: TurnRow[]): Map<string, TurnRow[]> {
  const groups = new Map<string, TurnRow[]>();
  for (const row of rows) groups.set(row.sessionId, [...(groups.get(row.sessionId) ?? []), row]);
  return groups;
}

/** Waits for the scoring queue to empty, then counts scorecards per ended session. */
export async function scoringCounts(database: Database, sessionIds: readonly string[], timeoutMs = 180_000) {
  const ids = [...sessionIds];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [queue] = await database.prisma.$queryRaw<{ waiting: number }[]>`
      SELECT count(*)::int AS waiting FROM "PracticeSession" WHERE id = ANY(${ids}::uuid[]) AND "scoringStatus" IN ('pending', 'claimed')`;
    if ((queue?.waiting ?? 0) === 0 || Date.now() > deadline) break;
    await sleep(500);
  }
  const rows = await database.prisma.$queryRaw<{ scorecards: number; sessions: number }[]>`
    SELECT n AS scorecards, count(*)::int AS sessions FROM (
      SELECT p.id, (SELECT count(*)::int FROM "Scorecard" s WHERE s."sessionId" = p.id) AS n
      FROM "PracticeSession" p WHERE p.id = ANY(${ids}::uuid[])
    ) counted GROUP BY n ORDER BY n`;
  return new Map(rows.map((row) => [row.scorecards, row.sessions]));
}

export interface CostFigures {
  sessions: number;
  personaInputPerSession: number;
  personaOutputPerSession: number;
  cachedPerSession: number;
  judgeInputPerScorecard: number;
  judgeOutputPerScorecard: number;
  /** Judge input tokens ÷ the transcript's own tokens (characters ÷ 4, as the fake model counts). */
  judgeInputOverTranscript: number;
}

export async function costFigures(database: Database, sessionIds: readonly string[]): Promise<CostFigures> {
  const ids = [...sessionIds];
  const [row] = await database.prisma.$queryRaw<
    { sessions: number; personaIn: number; personaOut: number; cached: number; judgeIn: number; judgeOut: number; transcriptChars: number; scorecards: number }[]
  >`
    SELECT count(DISTINCT p.id)::int AS sessions,
           coalesce(sum(t.input), 0)::float AS "personaIn", coalesce(sum(t.output), 0)::float AS "personaOut", coalesce(sum(t.cached), 0)::float AS cached,
           coalesce(sum(s."inputTokens"), 0)::float AS "judgeIn", coalesce(sum(s."outputTokens"), 0)::float AS "judgeOut",
           coalesce(sum(t.chars), 0)::float AS "transcriptChars", count(s.id)::int AS scorecards
    FROM "PracticeSession" p
    LEFT JOIN LATERAL (
      SELECT sum("inputTokens") AS input, sum("outputTokens") AS output, sum("cachedTokens") AS cached, sum(length(text)) AS chars
      FROM "Turn" WHERE "sessionId" = p.id
    ) t ON true
    LEFT JOIN LATERAL (SELECT id, "inputTokens", "outputTokens" FROM "Scorecard" WHERE "sessionId" = p.id ORDER BY "createdAt" DESC LIMIT 1) s ON true
    WHERE p.id = ANY(${ids}::uuid[])`;
  if (!row || row.sessions === 0) throw new Error("no sessions to cost");
  const scored = Math.max(1, row.scorecards);
  return {
    sessions: row.sessions,
    personaInputPerSession: row.personaIn / row.sessions,
    personaOutputPerSession: row.personaOut / row.sessions,
    cachedPerSession: row.cached / row.sessions,
    judgeInputPerScorecard: row.judgeIn / scored,
    judgeOutputPerScorecard: row.judgeOut / scored,
    judgeInputOverTranscript: row.judgeIn / Math.max(1, row.transcriptChars / 4),
  };
}
