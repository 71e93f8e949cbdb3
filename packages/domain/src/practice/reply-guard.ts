import type { PersonaMove } from "../conversation/offline-persona.ts";
import type { PersonaState } from "../conversation/persona-state.ts";
import { type LearnerTurn, ruleMatches } from "../conversation/rule-matching.ts";
import type { Scenario } from "../library/scenario-schema.ts";
import { type ReadWord, WordReader } from "./guard-words.ts";
import type { TranscriptTurn } from "./persona-engine.ts";
import { personaInstructions, turnGuidance } from "./persona-prompt.ts";
import { type LeakReason, type PhraseNode, type ProtectedPhrases, type ProtectedText, phraseKeys, protectedPhrases } from "./protected-phrases.ts";

/** Why the guard cut a reply, and the words that made it. */
export interface GuardCut {
  reason: LeakReason;
  /** The matched words, as the guard read them (for logs and tests, never for the learner). */
  phrase: string;
}

/** What may be sent now, and whether the reply must be cut instead. */
export interface GuardStep {
  /** Text cleared for the learner, to send in order after what was cleared before. */
  release: string;
  cut: GuardCut | null;
}

/** A protected phrase partly said: where it started, and how far down the tree it has got. */
interface PartMatch {
  node: PhraseNode;
  start: number;
  words: string[];
}

/**
 * Reads a persona reply as it streams and holds back whatever could be the start of a protected
 * phrase until it is clear: a word is released once no protected phrase can run through it, so
 * when a phrase completes none of its words has left. Each delta costs time in proportion to its
 * own length (and the few phrases partly said), never to the reply so far.
 */
export class ReplyGuard {
  readonly #phrases: ProtectedPhrases;
  readonly #reader = new WordReader();
  #text = "";
  #released = 0;
  #parts: PartMatch[] = [];
  #cut: GuardCut | null = null;

  constructor(phrases: ProtectedPhrases) {
    this.#phrases = phrases;
  }

  get cut(): GuardCut | null {
    return this.#cut;
  }

  /** Takes the next delta of the reply. After a cut, nothing more is released. */
  push(delta: string): GuardStep {
    if (this.#cut) return { release: "", cut: this.#cut };
    this.#text += delta;
    this.#reader.read(delta, this.#onWord);
    return this.#step(false);
  }

  /** The reply has ended: its last word is complete, and whatever is clear is released. */
  finish(): GuardStep {
    if (this.#cut) return { release: "", cut: this.#cut };
    this.#reader.end(this.#onWord);
    return this.#step(true);
  }

  readonly #onWord = (read: ReadWord): void => {
    if (this.#cut) return;
    const { root } = this.#phrases;
    const parts: PartMatch[] = [];
    const follow = (from: PhraseNode, word: string, start: number, before: readonly string[]) => {
      const child = from.next.get(word);
      if (!child) return;
      const words = [...before, word];
      if (child.reason && !this.#cut) this.#cut = { reason: child.reason, phrase: words.join(" ") };
      parts.push({ node: child, start, words });
    };
    for (const part of this.#parts) follow(part.node, read.word, part.start, part.words);
    follow(root, read.word, read.start, []);
    if (read.bracketed) follow(root, `[${read.word}`, read.start, []);
    this.#parts = parts;
  };

  #step(ended: boolean): GuardStep {
    if (this.#cut) return { release: "", cut: this.#cut };
    let holdFrom = this.#text.length;
    for (const part of this.#parts) holdFrom = Math.min(holdFrom, part.start);
    const partial = this.#reader.partial;
    if (!ended && partial !== "" && this.#couldContinue(partial)) holdFrom = Math.min(holdFrom, this.#reader.partialStart);
    if (ended) holdFrom = this.#text.length;
    if (holdFrom <= this.#released) return { release: "", cut: null };
    const release = this.#text.slice(this.#released, holdFrom);
    this.#released = holdFrom;
    return { release, cut: null };
  }

  /** Whether the word being written could still turn out to start or continue a protected phrase. */
  #couldContinue(partial: string): boolean {
    const { startPrefixes } = this.#phrases;
    if (startPrefixes.has(partial) || (this.#reader.partialBracketed && startPrefixes.has(`[${partial}`))) return true;
    for (const part of this.#parts) {
      for (const next of part.node.next.keys()) if (next.startsWith(partial)) return true;
    }
    return false;
  }
}

/**
 * The hidden facts this reply may give away: those the rules unlocked before or in this reply,
 * and those within reach. A fact is within reach when a rule that reveals it has its order met
 * (the facts it needs are out, the facts it must precede are not, the turn is late enough) and
 * the learner is not trying to steer the persona. Whether their words earn it now is for the
 * model to judge, as it reads the rules; the guard only keeps the order and refuses a learner
 * who steers. A fact counts as out once the persona has said a phrase of it, whether or not the
 * offline rules saw it coming.
 */
export function sayableFacts(scenario: Scenario, state: PersonaState, move: PersonaMove, learner: LearnerTurn, transcript: readonly TranscriptTurn[]): Set<string> {
  const spokenPhrases = new Set(transcript.filter((turn) => turn.speaker === "persona").flatMap((turn) => phraseKeys(turn.text)));
  const spoken = scenario.persona.hidden.filter((fact) => phraseKeys(fact.fact).some((key) => spokenPhrases.has(key))).map((fact) => fact.id);
  const out = new Set([...state.revealed, ...spoken]);
  if (move.rule?.reveals) out.add(move.rule.reveals);
  if (learner.acts.includes("steering")) return out;
  const said = { ...state, revealed: [...out] };
  for (const rule of scenario.rules) {
    if (!rule.reveals || out.has(rule.reveals)) continue;
    const order = { ...rule, match: { revealed: rule.match.revealed, not_revealed: rule.match.not_revealed, min_turn: rule.match.min_turn } };
    if (ruleMatches(order, said, learner)) out.add(rule.reveals);
  }
  return out;
}

// "[fact-id]" in the prompt is a marker, not words: runs of words do not cross it.
const factMarker = /\[[^\]\n]*\]/g;

/** What this reply must not give away: the prompt and the hidden facts it may not share. */
export function replySecrets(scenario: Scenario, state: PersonaState, move: PersonaMove, sayable: ReadonlySet<string>): ProtectedText[] {
  const instructions = [personaInstructions(scenario), turnGuidance(state, move, scenario)].flatMap((text) => text.split(factMarker));
  return [
    ...instructions.map((text) => ({ text, reason: "instructions" as const })),
    ...scenario.persona.hidden.filter((fact) => !sayable.has(fact.id)).map((fact) => ({ text: fact.fact, reason: "hidden-fact" as const })),
  ];
}

/**
 * The guard for one persona reply. Protected: the persona's instructions (how to play the part,
 * personality, wants, behaviour rules, this turn's guidance, the prompt's headings and "[fact-id]"
 * markers) and every hidden fact the rules have not unlocked. Open, so never matched: what the
 * learner was told (the brief), the persona's name, role and opening line, the facts unlocked
 * before or in this reply, and everything said in the conversation so far.
 */
export function replyGuard(scenario: Scenario, state: PersonaState, move: PersonaMove, transcript: readonly TranscriptTurn[], learner: LearnerTurn): ReplyGuard {
  const unlocked = sayableFacts(scenario, state, move, learner, transcript);
  const secrets = replySecrets(scenario, state, move, unlocked);
  const { brief, persona } = scenario;
  const known = [
    brief.role,
    brief.situation,
    brief.objective,
    `${persona.name}, ${persona.role}`,
    persona.opening_line,
    ...persona.hidden.filter((fact) => unlocked.has(fact.id)).map((fact) => fact.fact),
    ...scenario.rules.filter((rule) => rule.reveals && unlocked.has(rule.reveals)).flatMap((rule) => [rule.when, rule.then]),
    ...transcript.map((turn) => turn.text),
  ];
  const markers = persona.hidden.map((fact) => {
    const [first = "", ...rest] = fact.id.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return [`[${first}`, ...rest];
  });
  return new ReplyGuard(protectedPhrases(secrets, known, markers));
}
