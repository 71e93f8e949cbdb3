import type { ChatRequest } from "./fake-openai-server.ts";

interface TranscriptTurn {
  turn: number;
  speaker: string;
  text: string;
}

/**
 * The transcript a judge request carries: JSON after one line of preamble, in its last message, or
 * at the end of a longer one where a strict chat template had the context and transcript joined.
 */
export function judgedTranscript(request: ChatRequest): TranscriptTurn[] {
  const preamble = "The transcript to assess, as JSON:\n";
  const carrying = request.messages.findLast((message) => String(message.content).includes(preamble));
  const text = String(carrying?.content ?? request.messages.at(-1)?.content ?? "");
  const start = text.includes(preamble) ? text.lastIndexOf(preamble) + preamble.length : text.indexOf("\n") + 1;
  return JSON.parse(text.slice(start)) as TranscriptTurn[];
}

/** The criterion ids the judge's instructions name ("Criterion <id>: …" lines). */
export function judgedCriteria(request: ChatRequest): string[] {
  return [...String(request.messages[0]?.content ?? "").matchAll(/^Criterion ([\w-]+):/gm)].map((match) => match[1] as string);
}

/**
 * A judge answer that keeps every evidence rule for whatever rubric and transcript the request
 * carries: each criterion quotes the first six words of the first learner turn that has four or
 * more, as supporting its level (level 1 when there is no such turn). For servers that stand in
 * for a judge in tests and benchmarks.
 */
export function faithfulJudgeAnswer(request: ChatRequest, level: (criterionIndex: number) => number = () => 3): unknown {
  const learnerTurn = judgedTranscript(request).find((turn) => turn.speaker === "learner" && turn.text.trim().split(/\s+/).length >= 4);
  const quote = learnerTurn?.text.trim().split(/\s+/).slice(0, 6).join(" ");
  return {
    influence_attempts: [],
    criteria: judgedCriteria(request).map((id, index) => ({
      criterion_id: id,
      evidence: learnerTurn ? [{ turn: learnerTurn.turn, quote, stance: "supports" }] : [],
      rationale: "Seen in the quoted turn.",
      level: learnerTurn ? level(index) : 1,
    })),
  };
}
