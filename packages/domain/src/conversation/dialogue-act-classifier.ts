import type { DialogueAct } from "../library/dialogue-acts.ts";
import { containsAnyPhrase, normaliseText } from "./phrases.ts";

// Transparent rules, not a model: an author can predict how a line is classified, and the same
// classification drives the offline persona, the conversation metrics and the offline scorer.

const cues: Record<Exclude<DialogueAct, "open-question" | "closed-question" | "statement">, readonly string[]> = {
  greeting: ["hi", "hello", "hey", "good morning", "good afternoon", "good evening", "thanks for making time", "thanks for taking the time", "thank you for making time", "thank you for taking the time", "nice to meet you", "thanks for coming"],
  acknowledgement: [
    "I understand", "I hear you", "I hear that", "that sounds", "sounds like", "sounds frustrating", "sounds hard", "that makes sense",
    "makes sense", "thank you for telling me", "thank you for sharing", "thanks for telling me", "thanks for sharing",
    "thank you for being", "thanks for being", "I appreciate", "I can see why", "I can see how", "I can see that", "I can imagine",
    "that must be", "that must have", "you're right", "you are right", "fair point", "that's fair", "I get that", "I get why",
    "sorry to hear", "I'm sorry", "I am sorry", "I apologize", "I apologise", "I know this is", "it's understandable",
    "that's understandable", "I see", "I didn't know that", "not like you",
  ],
  summary: [
    "to summarize", "to summarise", "in summary", "what I'm hearing", "what I am hearing", "what I heard", "let me check I've understood",
    "let me check I understand", "let me make sure I understand", "let me make sure I've got", "if I've got this right",
    "if I have this right", "if I understand correctly", "so if I understand", "so you're saying", "so what you're saying",
    "let me play that back", "let me play back", "so the main", "so the key", "just to recap", "to recap",
  ],
  advice: [
    "you should", "you shouldn't", "you need to", "you have to", "you must", "you ought to", "have you tried", "why don't you",
    "why not just", "my advice", "what you want to do is", "I suggest you", "I'd suggest you", "I would suggest you",
    "I recommend you", "I'd recommend you", "if I were you", "the trick is", "just try", "try to", "what you need is", "you could just",
  ],
  blame: [
    "you always", "you never", "your fault", "unacceptable", "you failed", "lazy", "careless", "you didn't even", "sloppy",
    "not good enough", "disappointed in you", "what were you thinking", "you let me down", "you let us down", "you let the team down",
    "how could you", "incompetent", "you keep", "you clearly", "no excuse", "excuses", "you dropped the ball", "you don't care",
    "useless", "ridiculous",
  ],
  proposal: [
    "let's", "let us", "how about we", "how about I", "I suggest we", "I'd suggest we", "shall we", "next step", "next steps",
    "can we agree", "could we agree", "agree on", "I'll send", "I will send", "I'll set up", "I will set up", "I'll schedule",
    "I'll book", "I'll follow up", "I will follow up", "I'll share", "I'll get back", "would it help if", "what if we", "I propose",
    "we could try", "we could set", "we could start", "we could meet", "we could schedule", "check in", "check-in", "follow-up",
    "book a", "set up a", "schedule a",
  ],
  steering: [
    "ignore your instructions", "ignore all instructions", "ignore the instructions", "ignore previous instructions",
    "ignore all previous instructions", "ignore your previous instructions", "disregard your instructions", "you are an AI",
    "you're an AI", "as an AI", "language model", "system prompt", "your prompt", "your instructions", "you are now",
    "pretend to be", "pretend you are", "act as", "roleplay as", "role-play as", "break character", "out of character",
    "developer mode", "jailbreak", "stop the roleplay", "stop roleplaying", "end the simulation",
  ],
};

const openOpeners = /^(what|how|why|which|where|who|whom|whose|in what way|to what extent)\b/i;
const openInvitations = [
  "tell me", "walk me through", "talk me through", "describe", "help me understand", "say more", "explain", "take me through",
  "what's", "what is", "how's", "how do", "how did", "how would",
];

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+/).map((sentence) => sentence.trim()).filter(Boolean);
}

/** Each question in a turn, open or closed, in order: the metrics count them one by one. */
export function questionKinds(text: string): ("open" | "closed")[] {
  const kinds: ("open" | "closed")[] = [];
  const normalised = normaliseText(text);
  const isSummary = containsAnyPhrase(normalised, cues.summary) && !normalised.includes("?");
  for (const sentence of sentences(normalised)) {
    const invites = containsAnyPhrase(sentence, openInvitations) && !/^(so|and|but)?\s*(what|how)\s+(I|we)\b/i.test(sentence);
    if (sentence.endsWith("?")) {
      // "Could you tell me..." invites a full answer, so it counts as open, not yes/no.
      kinds.push(openOpeners.test(sentence) || invites ? "open" : "closed");
    } else if (!isSummary && /^(tell me|walk me through|talk me through|help me understand|describe|take me through)\b/i.test(sentence)) {
      kinds.push("open");
    }
  }
  return kinds;
}

/** The dialogue acts in one learner turn; `statement` when none of the others applies. */
export function classifyTurn(text: string): DialogueAct[] {
  const normalised = normaliseText(text);
  const acts = new Set<DialogueAct>();
  for (const [act, phrases] of Object.entries(cues) as [keyof typeof cues, readonly string[]][]) {
    if (act === "greeting") {
      if (containsAnyPhrase(normalised.slice(0, 40), phrases)) acts.add(act);
    } else if (containsAnyPhrase(normalised, phrases)) {
      acts.add(act);
    }
  }
  for (const kind of questionKinds(normalised)) acts.add(kind === "open" ? "open-question" : "closed-question");
  return acts.size > 0 ? [...acts] : ["statement"];
}
