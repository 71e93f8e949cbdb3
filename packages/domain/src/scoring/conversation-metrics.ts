import { questionKinds, readTurn } from "../conversation/dialogue-act-classifier.ts";
import { acceptsProposal } from "../conversation/replies.ts";
import type { DialogueAct, TextMetricName, VoiceMetricName } from "../library/dialogue-acts.ts";
import type { Interruption } from "../practice/persona-engine.ts";

// Conversation metrics from the transcript alone, no model involved. docs/metrics.md defines
// each one; the definitions here are the reference.

export interface ScoredTurn {
  /** 1-based position in the transcript (the persona's opening line is 1). */
  seq: number;
  speaker: "learner" | "persona";
  text: string;
  status?: "complete" | "interrupted";
  /** Why an interrupted persona turn ended early (the learner stopped it, or the provider cut it). */
  interruption?: Interruption | null;
  /** The persona's reply was replaced by a deflection: it began to give away what it keeps. */
  guarded?: boolean;
  /** Dialogue acts as stored with the turn; scoring reads them afresh from the text. */
  acts?: readonly DialogueAct[];
}

/** Every conversation has the text metrics; a spoken one has the voice metrics too (voice-metrics.ts). */
export type ConversationMetrics = Record<TextMetricName, number> & Partial<Record<VoiceMetricName, number>>;

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * The acts of a learner turn, read from its text: the transcript is the record, and acts stored
 * with a turn may come from an earlier version of the classifier.
 */
export function actsOf(turn: ScoredTurn): readonly DialogueAct[] {
  return turn.speaker === "learner" ? readTurn(turn.text).acts : [];
}

export function conversationMetrics(transcript: readonly ScoredTurn[]): ConversationMetrics {
  const learner = transcript.filter((turn) => turn.speaker === "learner");
  const learnerWords = learner.reduce((sum, turn) => sum + words(turn.text), 0);
  const allWords = transcript.reduce((sum, turn) => sum + words(turn.text), 0);
  const questions = learner.flatMap((turn) => questionKinds(turn.text));

  let acknowledged = false;
  let adviceWithoutAcknowledgement = false;
  for (const turn of learner) {
    const acts = actsOf(turn);
    if (acts.includes("acknowledgement")) acknowledged = true;
    if ((acts.includes("advice") || acts.includes("blame")) && !acknowledged) adviceWithoutAcknowledgement = true;
  }

  const nextStepAgreed = transcript.some((turn, index) => {
    const reply = transcript[index + 1];
    return turn.speaker === "learner" && actsOf(turn).includes("proposal") && reply?.speaker === "persona" && acceptsProposal(reply.text);
  });

  return {
    "learner-talk-share": allWords === 0 ? 0 : round(learnerWords / allWords),
    "questions-asked": questions.length,
    "open-question-share": questions.length === 0 ? 0 : round(questions.filter((kind) => kind === "open").length / questions.length),
    "longest-monologue-words": Math.max(0, ...learner.map((turn) => words(turn.text))),
    "average-turn-words": learner.length === 0 ? 0 : round(learnerWords / learner.length),
    "acknowledged-before-advice": adviceWithoutAcknowledgement ? 0 : 1,
    "next-step-agreed": nextStepAgreed ? 1 : 0,
    interruptions: transcript.filter((turn) => turn.speaker === "persona" && turn.status === "interrupted").length,
  };
}

const round = (value: number) => Math.round(value * 100) / 100;
