import { sentencesOf } from "./language.ts";
import { findPhrase } from "./negation.ts";

// Reading the persona's answer to a proposal: agreement can come anywhere in a reply ("Thank
// you. Wednesday works."), a bare "Okay. And?" agrees to nothing, and a walk-out is never an
// agreed next step, however it is worded.

const agreementCues = [
  "yes", "yeah", "yep", "deal", "agreed", "I agree", "that works", "works for me", "that would work", "that could work", "sounds good",
  "sounds fair", "sounds like a plan", "let's do it", "let's do that", "I can do that", "I'd like that", "that would help", "that helps",
  "perfect", "I'm in", "count me in", "happy to", "see you then", "I'll hold you to", "I can work with that", "that's what I need",
  "fair enough", "I'll be there", "let's go with", "book it", "send it over", "send me the invite", "I can make that work",
  "we have a deal", "I'll take it", "that's fine", "fine by me", "I'm happy with that", "go ahead", "please do", "I'd appreciate that",
  "that would be great", "that'd be great", "great", "works", "okay", "ok", "sure", "alright", "all right", "fine",
];

// Said alone these only keep the conversation going ("Okay. And?"), so they need company.
const weakAgreement = new Set(["okay", "ok", "sure", "alright", "all right", "fine", "yes", "yeah", "yep", "great", "works"]);

const walkOutCues = [
  "I'm done", "I am done", "we're done", "we are done", "I'm going to stop here", "I'm going to stop", "I'm ending this",
  "end this call", "end the call", "have your director call", "have your manager call", "have someone else call", "goodbye",
  "this conversation is over", "I'm leaving", "I'm hanging up", "talk to someone else", "speak to someone else", "someone more senior",
  "we're finished", "waste of my time", "wasting my time", "I'm out", "don't call me", "find another", "looking at alternatives",
  "talking to our executive director about alternatives", "I need to go", "I have to go", "stop us there", "leave it there",
  "I'll stop there", "let's stop there", "send me whatever", "pass it along",
];

const refusalCues = [
  "not really", "not yet", "I don't think so", "that doesn't work", "that won't work", "I can't", "I won't", "not interested",
  "doesn't help", "that's not what I need", "no thanks", "no thank you", "I don't think", "I'm not convinced", "I doubt",
];

// Going along without agreeing: "put something in the calendar if you want".
const grudging = /\b(if you want|if you like|if you must|if you insist|I suppose|I guess|whatever)\b/i;

/** Whether a persona reply accepts the proposal the learner just made. */
export function acceptsProposal(reply: string): boolean {
  if (findPhrase(reply, walkOutCues)) return false;
  const sentences = sentencesOf(reply);
  let strong = 0;
  let weak = 0;
  let refusals = 0;
  for (const sentence of sentences) {
    // "No." and "No, I don't think so" refuse; "No promises, but …" only hedges.
    const refusal = /^(no|nope)(\W*$|,? (i|we|that|this|it|thanks|thank|sorry)\b)/i.test(sentence.text) || findPhrase(sentence.text, refusalCues) !== null;
    if (refusal) {
      refusals += 1;
      continue;
    }
    const cue = findPhrase(sentence.text, agreementCues);
    if (!cue) continue;
    // "Yes, but not until I see it in writing" holds the agreement back.
    if (/\b(but|however|unless)\b/i.test(sentence.text.slice(sentence.text.toLowerCase().indexOf(cue.toLowerCase())))) continue;
    if (grudging.test(sentence.text) || (weakAgreement.has(cue.toLowerCase()) && sentence.words.length <= 2)) weak += 1;
    else strong += 1;
  }
  const endsAsking = sentences.at(-1)?.isQuestion ?? false;
  if (strong > 0) return strong > refusals;
  return weak > 0 && refusals === 0 && !endsAsking;
}

/** Whether the persona leaves the conversation in this reply. */
export function walksOut(reply: string): boolean {
  return findPhrase(reply, walkOutCues) !== null;
}
