import { contentOf } from "./language.ts";
import { findPhrase } from "./negation.ts";

// What the conversation did to the other person, read from their side of the transcript. Stock
// phrases can fool a word count; they do not fool the person being talked to. A persona who
// shares what they were holding back, and warms up, was listened to; one who shuts down and
// wants out was not, however the learner's turns were worded.

/** The facts the persona kept back, as given to a scorer (ScoringContext.hidden). */
export interface HiddenFact {
  id: string;
  fact: string;
}

// Authors end a hidden fact with when it is shared ("She shares this once she feels heard…"):
// those words are about the conversation, not the fact.
const whenShared = /\b(shares?|reveals?|mentions?|admits?|tells?|brings? (it|this) up|opens? up)\b.*\b(once|when|if|after|only|until|unless)\b|\b(once|when|if|only after|until) (she|he|they)\b.*\b(shares?|reveals?|mentions?|admits?|tells?)\b/i;

function factItself(fact: string): string {
  const sentences = fact.split(/(?<=[.!?])\s+/);
  const kept = sentences.filter((sentence) => !whenShared.test(sentence));
  return (kept.length > 0 ? kept : sentences).join(" ");
}

/** Share of a fact's own words a persona turn must use for the fact to count as shared. */
const surfacedShare = 0.3;
const surfacedAtLeast = 3;

/**
 * The hidden facts a persona turn put into words: the turn uses enough of the fact's own words
 * that the learner could not have known (words of the brief and the opening line do not count).
 */
export function surfacedFacts(personaTurns: readonly string[], hidden: readonly HiddenFact[], known: string): string[] {
  const knownRoots = contentOf(known);
  const said = personaTurns.map((text) => contentOf(text));
  return hidden
    .filter((fact) => {
      const own = [...contentOf(factItself(fact.fact))].filter((root) => !knownRoots.has(root));
      if (own.length === 0) return false;
      const needed = Math.min(own.length, Math.max(surfacedAtLeast, Math.ceil(own.length * surfacedShare)));
      return said.some((roots) => own.filter((root) => roots.has(root)).length >= needed);
    })
    .map((fact) => fact.id);
}

const coldCues = [
  "is that everything", "can we leave it there", "can we leave it", "I should get back", "I need to get back", "I've got to get back",
  "is this going in my file", "going in my file", "on my record", "am I in trouble", "do I have a choice", "I don't have a choice",
  "if that's what you need", "if that's what you want", "if you say so", "whatever you say", "noted",
  "I've heard enough", "we're done", "I'm done", "are we done", "if we're done", "I guess I don't have", "I suppose I have to",
  "I'll do better", "it won't happen again", "what else do you want", "what do you want me to say", "can I go",
  "I have to go", "I need to go", "send me whatever", "put whatever", "in an email", "I'm not sure what you want", "I'll stop us there",
  "have your director", "have your manager", "someone more senior", "talk to someone else", "looking at alternatives",
];

const warmCues = [
  "thank you", "thanks", "that helps", "that would help", "I appreciate", "honestly", "to be honest", "the truth is", "I haven't told",
  "I haven't said", "I didn't want to", "it's been", "I've been", "that means a lot", "first time", "I'd like that", "that works",
  "I can work with that", "relieved", "that's fair", "you're right", "I feel", "I'm worried", "the real", "what's really",
];

// Wanting out, deflecting or giving in, in the shapes people use.
const coldPatterns = [
  /\b(I('ve| have) got to|I need to|I have to|I should|I'd better|I gotta) (run|go|get back|head|prep|jump|dash)\b/i,
  /\bcan (I|we) (get back|go now|go back|move on)\b/i,
  /\bcan we (talk about|use the rest of the time for|move on to) .+ instead\b/i,
  /\b(let's|I'm going to|I'll|I think I'll) stop (here|there|this|you there|us there)\b/i,
  /\bI('m| am) (going back|not doing this|out of here)\b/i,
  /\b(catch you later|I don't have time|taken this as far|I've got my answer|I'd rather move on|figure (this|it)( one)? out myself|not on the same page|we'll go with|I'll be recommending|I've got a deploy|I've got (a|the) \w+ (review|meeting|call))\b/i,
  /\b(I guess|I suppose)\b/i,
  /\bnot sure (that's|that is|this is) (really )?the (problem|issue|thing)\b/i,
  /\bis a different question\b/i,
];

/** How the persona sounds at the end: its last two replies, cold (short, guarded, wanting out) or not. */
export function endsCold(personaTurns: readonly string[]): boolean {
  const last = personaTurns.slice(-2);
  if (last.length === 0) return false;
  let cold = 0;
  let warm = 0;
  for (const reply of last) {
    const words = reply.split(/\s+/).filter(Boolean).length;
    const guarded = findPhrase(reply, coldCues) !== null || coldPatterns.some((pattern) => pattern.test(reply));
    const open = findPhrase(reply, warmCues) !== null && words > 8;
    if (open) warm += 1;
    else if (guarded) cold += 1;
  }
  return cold > 0 && warm === 0;
}
