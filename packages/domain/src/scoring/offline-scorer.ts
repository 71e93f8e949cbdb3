import { readTurn, type TurnReading } from "../conversation/dialogue-act-classifier.ts";
import { endsCold, surfacedFacts } from "../conversation/conversation-outcome.ts";
import { contentOf } from "../conversation/language.ts";
import { acknowledgementCues, greetingCues, invitations, proposalCues, summaryCues } from "../conversation/cues.ts";
import { findPhrase, phraseCoverage } from "../conversation/negation.ts";
import type { DialogueAct } from "../library/dialogue-acts.ts";
import type { Criterion, Rubric } from "../library/rubric-schema.ts";
import type { ConversationMetrics, ScoredTurn } from "./conversation-metrics.ts";
import { cutQuote, minimumQuoteWords } from "./quotes.ts";
import { type CriterionReasons, criterionRationale } from "./rationale-words.ts";
import type { CriterionResult, Evidence } from "./scorecard.ts";
import type { ScoringContext } from "./transcript-scorer.ts";

// The offline scorer judges behaviour, not vocabulary. The rubric's indicators say what earns
// points; the rules here decide when a turn may earn them at all:
// - a hostile turn (insult, blame, contempt, sarcasm) earns nothing, and hostility caps the
//   criteria it contradicts;
// - a pile of stock phrases earns nothing, and an empty question ("Anything else?") half;
// - a "summary" that restates nothing the other person said is not a summary;
// - several indicators in a thin turn earn less than the same behaviour spread across turns, and
//   level 4 needs the behaviour in at least two turns;
// - a level above 1 needs a learner quote of at least four words that shows it.

type TurnIndicator = { acts?: readonly DialogueAct[] | undefined; any_words?: readonly string[] | undefined; points: number };

/** Each indicator counts for at most this many learner turns, so one habit repeated cannot carry a level. */
const maxTurnsPerIndicator = 2;
/** A turn of at least this many words that is at least this much stock phrase says nothing of its own. */
const pileMinimumWords = 8;
const pileCueShare = 0.6;
/** Words of the learner's own talk after a question that leave the other person no room to answer it. */
const buriedAfterWords = 15;
/** Words of explanation after an acknowledgement that make it a run-up to the learner's own case. */
const runUpAfterWords = 30;
/** Content words that make a turn more than its stock phrases. */
const substantialTurn = 10;
/** Content words a summary must share with what the other person said earlier. */
const summaryOverlap = 1;

export const stockPhrases = [greetingCues, acknowledgementCues, summaryCues, proposalCues, invitations];

interface ReadTurn {
  turn: ScoredTurn;
  reading: TurnReading;
  /** The turn without the questions it buried and the acknowledgements it used as a run-up: the words that may earn points. */
  credited: string;
  /** Insult, blame, contempt or sarcasm in the turn, or the persona bristling at it. */
  hostile: boolean;
  /** What a turn may earn: 0 hostile or a pile of phrases, 0.5 empty questions only, else 1. */
  weight: number;
  acts: readonly DialogueAct[];
}

/**
 * The rubric's phrases of two words or more: stuffing them is what a gamer does. Single words
 * ("budget", "option") are how anyone talks about the topic, so they do not make a pile.
 */
export function rubricPhrases(rubric: Rubric): string[] {
  return rubric.criteria
    .flatMap((criterion) => [...(criterion.indicators?.positive ?? []), ...(criterion.indicators?.negative ?? [])])
    .flatMap((indicator) => indicator.any_words ?? [])
    .filter((phrase) => phrase.trim().includes(" "));
}

/** Comma-separated fragments of three words or fewer: "I've noticed, over the last, specifically." */
function fragmentShare(text: string): { chunks: number; share: number } {
  const chunks = text.split(/[,;:.!?]+/).map((chunk) => chunk.trim()).filter(Boolean);
  const short = chunks.filter((chunk) => chunk.split(/\s+/).length <= 3).length;
  return { chunks: chunks.length, share: chunks.length === 0 ? 0 : short / chunks.length };
}

// A persona who cannot make sense of a turn says so; that turn did not land as listening.
const pushback =
  /\b(excuse me\?|don't patroni[sz]e me|don't talk to me like|I'm not a child|that's (not fair|insulting|uncalled for|out of line)|how dare you|who do you think you're talking to|I don't appreciate (that|your tone|being)|there's no need (for|to be) (that|rude)|wow\.|unbelievable\.|are you (serious|kidding)\?)/i;

// A persona who says a turn got them wrong ("that's not what I'm saying") shows it was not a
// reflection of what they said.
const confusion =
  /\b(not sure what you('re| are) (asking|saying|getting at)|what do you mean|I don't follow|I'm not following|that doesn't make sense|I don't understand what you|sorry\?|pardon\?|come again\?|what are you talking about|(that's|that is) not what I('m| am) saying|not what I said|you're not listening|you aren't listening|are you even listening|did you even (hear|listen))/i;

export function readLearnerTurns(transcript: readonly ScoredTurn[], phrases: readonly (readonly string[])[]): ReadTurn[] {
  const read: ReadTurn[] = [];
  const heard = new Set<string>();
  let lastHeard = new Set<string>();
  transcript.forEach((turn, index) => {
    if (turn.speaker === "persona") {
      lastHeard = contentOf(turn.text);
      for (const root of contentOf(turn.text)) heard.add(root);
      return;
    }
    const reading = readTurn(turn.text);
    const words = turn.text.split(/\s+/).filter(Boolean).length;
    const reply = transcript[index + 1];
    // The persona bristling at a turn ("Excuse me?", "Don't patronise me") shows it landed as contempt, however it was worded.
    const hostile = reading.hostileSentences > 0 || (reply?.speaker === "persona" && pushback.test(reply.text));
    const coverage = phraseCoverage(turn.text, phrases);
    const fragments = fragmentShare(turn.text);
    const pile =
      (words >= pileMinimumWords && coverage.covered / Math.max(coverage.words, 1) >= pileCueShare) ||
      // Fragments that are stock phrases ("I've noticed, over the last, specifically"), not an echo of their words.
      (fragments.chunks >= 5 && fragments.share >= 0.6 && coverage.covered / Math.max(coverage.words, 1) >= 0.3) ||
      (reply?.speaker === "persona" && confusion.test(reply.text));
    const empty = reading.substance === 0 && reading.questions.length > 0 && reading.emptyQuestions === reading.questions.length;
    const restates = [...contentOf(turn.text)].filter((root) => heard.has(root)).length >= summaryOverlap;
    const buried = new Set([...buriedQuestions(reading), ...runUpAcknowledgements(reading)]);
    const kept = reading.sentences.filter((_, at) => !buried.has(at));
    const credited = kept.map((sentence) => sentence.text).join(" ");
    const acts = [...new Set(kept.flatMap((sentence) => sentence.acts))].filter((act) => restates || act !== "summary");
    if (!hostile && kept.some((sentence) => playsBack(sentence.content, lastHeard))) acts.push("reflection");
    read.push({ turn, reading, credited, acts, hostile, weight: hostile || pile ? 0 : empty ? 0.5 : 1 });
  });
  return read;
}

/**
 * Questions followed in the same turn by a long stretch of the learner's own talk: the other
 * person never got to answer ("How much is it costing you? Don't worry, I'll tell you: …").
 */
function buriedQuestions(reading: TurnReading): Set<number> {
  const buried = new Set<number>();
  reading.sentences.forEach((sentence, at) => {
    if (!sentence.acts.includes("open-question") && !sentence.acts.includes("closed-question")) return;
    const after = reading.sentences.slice(at + 1);
    if (after.some((next) => next.acts.includes("open-question") || next.acts.includes("closed-question"))) return;
    const wordsAfter = after.reduce((sum, next) => sum + next.text.split(/\s+/).length, 0);
    if (wordsAfter >= buriedAfterWords) buried.add(at);
  });
  return buried;
}

/**
 * Acknowledgements followed in the same turn by a long explanation and no question: the
 * validation is a run-up to the learner's own case ("I'm sorry, but let me walk you through …").
 */
function runUpAcknowledgements(reading: TurnReading): Set<number> {
  const runUps = new Set<number>();
  reading.sentences.forEach((sentence, at) => {
    if (!sentence.acts.includes("acknowledgement")) return;
    const after = reading.sentences.slice(at + 1);
    if (after.some((next) => next.acts.some((act) => act === "open-question" || act === "closed-question" || act === "acknowledgement"))) return;
    const wordsAfter = after.reduce((sum, next) => sum + next.text.split(/\s+/).length, 0);
    if (wordsAfter >= runUpAfterWords) runUps.add(at);
  });
  return runUps;
}

/**
 * A sentence that plays back the other person's own words from their last turn: two of its
 * content words, or one in a short echo ("Not just the clock.").
 */
function playsBack(content: readonly string[], lastHeard: ReadonlySet<string>): boolean {
  const shared = new Set(content.filter((root) => lastHeard.has(root))).size;
  return shared >= 2 || (shared >= 1 && content.length <= 3);
}

function matches(indicator: TurnIndicator, turn: ReadTurn, positive: boolean): boolean {
  if (indicator.acts && !indicator.acts.some((act) => (positive ? turn.acts : turn.reading.acts).includes(act))) return false;
  if (indicator.any_words && !findPhrase(positive ? turn.credited : turn.turn.text, indicator.any_words)) return false;
  return true;
}

/** The sentence that shows the indicator: the one carrying its act and phrase, else the first that has either. */
function focusOf(indicator: TurnIndicator, turn: ReadTurn): string {
  const sentences = turn.reading.sentences;
  const hasAct = (sentence: (typeof sentences)[number]) => !indicator.acts || indicator.acts.some((act) => sentence.acts.includes(act));
  const hasWords = (sentence: (typeof sentences)[number]) => !indicator.any_words || findPhrase(sentence.text, indicator.any_words) !== null;
  const best = sentences.find((sentence) => hasAct(sentence) && hasWords(sentence)) ?? sentences.find((sentence) => hasWords(sentence) || hasAct(sentence));
  return best?.text ?? turn.turn.text;
}

/** Criteria that count blame against them are the ones hostility contradicts outright. */
function contradictedByHostility(criterion: Criterion): boolean {
  return (criterion.indicators?.negative ?? []).some((indicator) => indicator.acts?.includes("blame"));
}

function hostilityCap(criterion: Criterion, hostileTurns: number): number {
  if (hostileTurns === 0) return 4;
  if (contradictedByHostility(criterion)) return hostileTurns >= 2 ? 1 : 2;
  return hostileTurns >= 2 ? 2 : 3;
}

interface Hit {
  turn: ReadTurn;
  focus: string;
  points: number;
}

/**
 * Scores one criterion: points from learner turns (weighted as above) and from conversation
 * metrics, thresholds turn points into a level, the caps apply, and the words that earned or
 * cost points are the evidence.
 */

function scoreCriterion(criterion: Criterion, turns: readonly ReadTurn[], metrics: ConversationMetrics): CriterionResult {
  const indicators = criterion.indicators;
  const reasons: CriterionReasons = { shown: [], against: [], shape: [], limits: [] };
  const earned: Hit[] = [];
  const cost: Hit[] = [];

  // Positive indicators: in a turn with little of its own to say, the best indicator counts in
  // full and each further one half as much again, so phrases piled into one line earn less
  // than behaviour spread out; a turn with real content earns each in full.
  const perTurn = new Map<number, number[]>();
  const substantial = new Set(turns.filter((turn) => turn.reading.substance >= substantialTurn).map((turn) => turn.turn.seq));
  for (const indicator of indicators?.positive ?? []) {
    const hits = turns.filter((turn) => turn.weight > 0 && matches(indicator, turn, true)).slice(0, maxTurnsPerIndicator);
    for (const turn of hits) {
      const points = indicator.points * turn.weight;
      perTurn.set(turn.turn.seq, [...(perTurn.get(turn.turn.seq) ?? []), points]);
      earned.push({ turn, focus: focusOf(indicator, turn), points });
    }
    if (hits.length > 0) reasons.shown.push({ indicator, turns: hits.length });
  }
  let points = 0;
  for (const [seq, list] of perTurn) {
    list.sort((a, b) => b - a).forEach((value, index) => {
      points += substantial.has(seq) ? value : value / 2 ** index;
    });
  }
  for (const indicator of indicators?.negative ?? []) {
    const hits = turns.filter((turn) => matches(indicator, turn, false)).slice(0, maxTurnsPerIndicator);
    if (hits.length === 0) continue;
    points -= indicator.points * hits.length;
    reasons.against.push({ indicator, turns: hits.length });
    cost.push(...hits.map((turn) => ({ turn, focus: focusOf(indicator, turn), points: -indicator.points })));
  }
  // Metrics describe the shape of a conversation; a learner who says nothing of substance
  // (empty questions, stock phrases, hostility) cannot earn them by saying little.
  const substantive = turns.length === 0 ? 0 : turns.filter((turn) => turn.weight === 1).length / turns.length;
  for (const indicator of indicators?.metrics ?? []) {
    const value = metrics[indicator.metric];
    // A voice metric of a typed conversation: there is nothing to measure, so nothing is earned.
    if (value === undefined) continue;
    if ((indicator.at_least === undefined || value >= indicator.at_least) && (indicator.at_most === undefined || value <= indicator.at_most)) {
      const earnedPoints = Math.round(indicator.points * substantive * 100) / 100;
      points += earnedPoints;
      if (earnedPoints > 0) reasons.shape.push({ metric: indicator.metric, value });
    }
  }

  const thresholds = indicators?.thresholds ?? [1, 3, 5];
  let level = 1 + thresholds.filter((threshold) => points >= threshold).length;
  const limits = reasons.limits;
  const turnsShowing = new Set(earned.map((hit) => hit.turn.turn.seq)).size;
  if (level > 3 && turnsShowing < 2 && (indicators?.positive.length ?? 0) > 0) {
    level = 3;
    limits.push("held at level 3: level 4 needs it in more than one turn");
  }
  const hostileTurns = turns.filter((turn) => turn.hostile).length;
  const cap = hostilityCap(criterion, hostileTurns);
  if (level > cap) {
    level = cap;
    limits.push(`held at level ${cap} by ${hostileTurns} hostile turn${hostileTurns === 1 ? "" : "s"}`);
  }
  const supporting = quotes(earned, "supports");
  if (level > 1 && supporting.length === 0) {
    level = 1;
    limits.push("held at level 1: no line of four words or more shows it");
  }

  const against = quotes(cost, "counts-against");
  // Strong work is shown by what earned the level, weak work by what held it back.
  const evidence = level >= 3 ? [...supporting.slice(0, 2), ...against.slice(0, 1)] : level === 2 ? [...supporting.slice(0, 1), ...against.slice(0, 2)] : against.slice(0, 3);
  const rationale = criterionRationale(reasons);
  return { criterionId: criterion.id, level: level as CriterionResult["level"], rationale, evidence: uniqueByTurn(evidence) };
}

function quotes(hits: readonly Hit[], stance: Evidence["stance"]): Evidence[] {
  const ordered = [...hits].sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || a.turn.turn.seq - b.turn.turn.seq);
  const evidence: Evidence[] = [];
  for (const hit of ordered) {
    const quote = cutQuote(hit.turn.turn.text, hit.focus);
    if (quote && quote.replace(/…/g, " ").split(/\s+/).filter(Boolean).length >= minimumQuoteWords) evidence.push({ turn: hit.turn.turn.seq, quote, stance });
  }
  return uniqueByTurn(evidence);
}

function uniqueByTurn(evidence: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((item) => !seen.has(`${item.turn}:${item.stance}`) && seen.add(`${item.turn}:${item.stance}`)).sort((a, b) => a.turn - b.turn);
}

/**
 * The most any criterion may reach, given what the conversation did to the other person (when
 * the scenario's hidden facts are known): a role model draws out what they were holding back,
 * and a persona who shared nothing and ended guarded was not listened to, whatever was said.
 */
function outcomeCap(transcript: readonly ScoredTurn[], context: ScoringContext | undefined): { cap: number; reason: string } | null {
  if (!context || context.hidden.length === 0) return null;
  const persona = transcript.filter((turn) => turn.speaker === "persona").map((turn) => turn.text);
  const known = [context.brief.role, context.brief.situation, context.brief.objective, persona[0] ?? ""].join(" ");
  const surfaced = surfacedFacts(persona.slice(1), context.hidden, known);
  if (surfaced.length > 0) return null;
  if (endsCold(persona.slice(1))) return { cap: 2, reason: `${context.personaName} shared nothing they were holding back and ended guarded` };
  return { cap: 3, reason: `${context.personaName} shared nothing they were holding back` };
}

export function scoreOffline(rubric: Rubric, transcript: readonly ScoredTurn[], metrics: ConversationMetrics, context?: ScoringContext): CriterionResult[] {
  const turns = readLearnerTurns(transcript, [...stockPhrases, rubricPhrases(rubric)]);
  const outcome = outcomeCap(transcript, context);
  return rubric.criteria.map((criterion) => {
    const result = scoreCriterion(criterion, turns, metrics);
    if (!outcome || result.level <= outcome.cap) return result;
    const level = outcome.cap as CriterionResult["level"];
    // The evidence kept must still show the capped level: supporting quotes first, as for any level 2 or 3.
    const supporting = result.evidence.filter((item) => item.stance === "supports");
    const against = result.evidence.filter((item) => item.stance === "counts-against");
    const evidence = level >= 3 ? result.evidence : [...supporting.slice(0, 1), ...against.slice(0, 2)];
    return { ...result, level, evidence, rationale: `${result.rationale} Held at level ${level}: ${outcome.reason}.` };
  });
}
