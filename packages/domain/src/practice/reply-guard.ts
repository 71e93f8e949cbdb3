import { type ReadWord, WordReader } from "./guard-words.ts";
import { type LeakReason, leadWords, type PhraseNode, type PhraseOwner, type PhraseTree } from "./protected-phrases.ts";

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

/** A protected phrase partly said: where it started, and how far down its tree it has got. */
interface PartMatch {
  node: PhraseNode;
  /** Where each of its words starts in the reply. */
  starts: number[];
  words: string[];
}

/** What one reply must not say. */
export interface ReplySecrets {
  /** The protected phrases (the scenario's, cached, and this turn's guidance). */
  trees: readonly PhraseTree[];
  /** Phrases said in the conversation already: no secret, whoever said them. */
  open: ReadonlySet<string>;
  /** Hidden facts this reply may share. */
  sayable: ReadonlySet<string>;
}

/**
 * Reads a persona reply as it streams and holds back what could be the middle of a protected
 * phrase until it is clear: once the first word of a reply's run matches the start of a
 * protected phrase and the next follows it, the run waits, and is released as soon as it stops
 * matching; when a phrase completes, only its first word has left (`leadWords`). The first word
 * is never held, so a reply's first token goes out as fast as without the guard. Each delta
 * costs time in proportion to its own length (and the few phrases partly said), never to the
 * reply so far.
 */
export class ReplyGuard {
  readonly #secrets: ReplySecrets;
  readonly #reader = new WordReader();
  #text = "";
  #released = 0;
  #parts: PartMatch[] = [];
  #cut: GuardCut | null = null;

  constructor(secrets: ReplySecrets) {
    this.#secrets = secrets;
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
    const parts: PartMatch[] = [];
    const follow = (from: PhraseNode, word: string, before: PartMatch | null) => {
      const child = from.next.get(word);
      if (!child) return;
      const words = before ? [...before.words, word] : [word];
      const reason = child.owners ? this.#leak(child.owners, words) : null;
      if (reason && !this.#cut) this.#cut = { reason, phrase: words.join(" ") };
      if (child.next.size > 0) parts.push({ node: child, starts: before ? [...before.starts, read.start] : [read.start], words });
    };
    for (const part of this.#parts) follow(part.node, read.word, part);
    for (const tree of this.#secrets.trees) {
      follow(tree.root, read.word, null);
      if (read.bracketed) follow(tree.root, `[${read.word}`, null);
    }
    this.#parts = parts;
  };

  /** Whether a completed phrase gives something away, and what. */
  #leak(owners: readonly PhraseOwner[], words: readonly string[]): LeakReason | null {
    const { open, sayable } = this.#secrets;
    // Part of a fact the persona may share now, or said in the conversation already: not a secret.
    if (owners.some((owner) => owner.kind === "hidden-fact" && sayable.has(owner.id))) return null;
    if (open.has(words.join(" "))) return null;
    return owners.some((owner) => owner.kind === "hidden-fact") ? "hidden-fact" : "instructions";
  }

  #step(ended: boolean): GuardStep {
    if (this.#cut) return { release: "", cut: this.#cut };
    let holdFrom = this.#text.length;
    if (!ended) {
      // A possible match's first `leadWords` words go out; from the next one on, it waits.
      for (const part of this.#parts) {
        const from = part.starts[leadWords];
        if (from !== undefined) holdFrom = Math.min(holdFrom, from);
        else if (part.words.length === leadWords && this.#reader.partial !== "" && this.#continues(part, this.#reader.partial)) {
          holdFrom = Math.min(holdFrom, this.#reader.partialStart);
        }
      }
      const partial = this.#reader.partial;
      if (leadWords === 0 && partial !== "" && this.#couldStart(partial)) holdFrom = Math.min(holdFrom, this.#reader.partialStart);
    }
    if (holdFrom <= this.#released) return { release: "", cut: null };
    const release = this.#text.slice(this.#released, holdFrom);
    this.#released = holdFrom;
    return { release, cut: null };
  }

  /** Whether the word being written could still turn out to start a protected phrase, or continue one. */
  #couldStart(partial: string): boolean {
    const bracketed = this.#reader.partialBracketed;
    for (const tree of this.#secrets.trees) {
      if (tree.startPrefixes.has(partial) || (bracketed && tree.startPrefixes.has(`[${partial}`))) return true;
    }
    return this.#parts.some((part) => this.#continues(part, partial));
  }

  #continues(part: PartMatch, partial: string): boolean {
    for (const next of part.node.next.keys()) if (next.startsWith(partial)) return true;
    return false;
  }
}

