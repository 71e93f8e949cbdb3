import type { DialogueAct } from "../library/dialogue-acts.ts";
import {
  accusationPatterns,
  acknowledgementCues,
  adviceCues,
  blameCues,
  commitmentVerbs,
  consequencePattern,
  decisionPattern,
  feelingWords,
  futurePattern,
  landedPattern,
  planChecks,
  quantifyingPattern,
  greetingCues,
  insultTargets,
  insultWords,
  invitations,
  proposalCues,
  sarcasmCues,
  steeringCues,
  summaryChecks,
  summaryCues,
  summaryPatterns,
} from "./cues.ts";
import { posesAsInstruction, turnPosesAsInstruction } from "./instruction-posing.ts";
import { type Sentence, sentencesOf } from "./language.ts";
import { findPhrase, phraseCoverage } from "./negation.ts";

// What a learner's turn does, read sentence by sentence: the phrase lists in cues.ts say what
// the words are, and the grammar here decides what they do. "I don't understand" is not an
// acknowledgement; "Why would anyone be that stupid?" is contempt, not an open question;
// "Would Tuesday or Wednesday work?" proposes a meeting. The same reading drives the offline
// persona, the conversation metrics and the offline scorer.

export type QuestionKind = "open" | "closed";

export interface TurnReading {
  acts: DialogueAct[];
  /** The turn's sentences with the acts each one carries, for quoting the words that did it. */
  sentences: { text: string; acts: DialogueAct[]; content: readonly string[] }[];
  /** Each question, open or closed, in order (contempt and advice worded as questions excluded). */
  questions: QuestionKind[];
  /** Questions that name nothing about the other person's situation ("Anything else?"). */
  emptyQuestions: number;
  /** Sentences that insult, blame or sneer at the other person. */
  hostileSentences: number;
  /** Content words outside the cue phrases: what the turn actually talks about. */
  substance: number;
  /** Share of the turn's words that belong to cue phrases; near 1 for a pile of stock phrases. */
  cueShare: number;
}

const haveYouTried = ["have you tried"];
const wh = new Set(["what", "how", "why", "which", "where", "who", "whom", "whose"]);
const fillers = new Set(["and", "but", "so", "okay", "ok", "right", "well", "then", "also", "now", "carmen", "alright"]);
const timeWords = /\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|tonight|morning|afternoon|evening|next week|this week|end of (the )?(day|week|month)|\d{1,2}(:\d\d)?\s?(am|pm|a\.m\.|p\.m\.)|o'clock|noon)\b/i;
const availability = /\b(work|works|suit|suits|free|available|good for you|okay for you|ok for you|fit|doable)\b/i;
const adviceQuestion = /^(why don't you|why not|have you (tried|thought about|considered)|couldn't you|can't you just|shouldn't you)\b/i;
const proposalQuestion = /^(how about|what about) (we|i|us|a|an|the|meeting|tuesday|monday|wednesday|thursday|friday|next|tomorrow|if)\b|^(shall|should|can|could) we\b|^what if (we|i)\b|^why don't we\b|^would it help if\b|^are you (free|available)\b/i;

/** The clause a question hangs on: "Before we talk about courses, what matters most?" asks "what matters most". */
function questionClause(sentence: Sentence): string[] {
  const clauses = sentence.text
    .toLowerCase()
    .split(/[,;:—–]\s+|\s+-\s+/)
    .map((clause) => clause.match(/[\p{L}\p{N}']+/gu) ?? []);
  for (const clause of clauses) {
    const start = clause.findIndex((word) => !fillers.has(word));
    const first = clause[start];
    if (first !== undefined && (wh.has(first) || /^(what|how|why|who|where)'/.test(first))) return clause.slice(start);
  }
  const last = clauses.at(-1) ?? [];
  return last.slice(Math.max(0, last.findIndex((word) => !fillers.has(word))));
}

// Words in quotation marks are reported, not said: "you wrote 'This is amateur hour'" names
// someone else's insult in order to address it.
const quoted = /(^|[\s(])(['"“‘])[^'"“”‘’]{2,}?['"”’](?=[\s.,;:!?)]|$)/g;

function isHostile(sentence: Sentence): boolean {
  const said = sentence.text.replace(quoted, "$1…");
  if (findPhrase(said, blameCues) || findPhrase(said, sarcasmCues)) return true;
  if (accusationPatterns.some((pattern) => pattern.test(said))) return true;
  const insult = findPhrase(said, insultWords);
  if (!insult) return false;
  const aimed = /\b(you|your|you're|yourself|yours|people)\b/i.test(said);
  return aimed || findPhrase(said, insultTargets) !== null || /\b(anyone|anybody|somebody|someone)\b/i.test(said);
}

/**
 * A sentence that names the other person's feeling or stake in the listener's own words ("Three
 * months of this would wear anyone down"), as a statement about them or their situation, not
 * about the speaker ("I'm frustrated too") and not as a question.
 */
function namesTheirFeeling(sentence: Sentence): boolean {
  if (sentence.isQuestion) return false;
  const feeling = findPhrase(sentence.text, feelingWords);
  if (!feeling) return false;
  const before = sentence.text.slice(0, sentence.text.toLowerCase().indexOf(feeling.toLowerCase())).toLowerCase();
  if (/\b(i'm|i am|i was|i feel|i get|we're|we are)\s+(\w+\s+)?$/.test(before)) return false;
  return /\b(you|your|you're|you've|anyone|anybody|that|this|it|must|sounds|would|no wonder)\b/i.test(sentence.text);
}

const concreteTime =
  /\b(yesterday|last (week|month|time|night|friday|monday|tuesday|wednesday|thursday)|this (morning|week|month)|on (monday|tuesday|wednesday|thursday|friday)|in (the|this|that|last|yesterday's|today's|monday's|tuesday's|wednesday's|thursday's|friday's) (meeting|standup|stand-up|review|readout|call|demo|retro|one-to-one|1:1|session|presentation|sync|huddle|thread|channel))\b/i;

/**
 * What the other person did, concretely: "you" and a verb in the past with a when, a number or
 * their own words ("At Tuesday's readout you jumped in twice"). Feedback is specific when it
 * names behaviour like this rather than a trait.
 */
function isObservation(sentence: Sentence): boolean {
  if (sentence.isQuestion) return false;
  const aboutThem = /\byou('ve|'d)?\b/i.test(sentence.text) || /\b(I|we) (noticed|saw|heard|watched|read|spotted)\b/i.test(sentence.text);
  const past = sentence.words.some((word) => word.tags.has("PastTense") && !word.tags.has("Auxiliary") && !word.tags.has("Copula"));
  const concrete =
    sentence.words.some((word) => word.tags.has("Date") || word.tags.has("Value")) ||
    /(^|\s)["'“‘][^"'”’]{3,}["'”’]/.test(sentence.text) ||
    concreteTime.test(sentence.text) ||
    timeWords.test(sentence.text);
  return aboutThem && past && concrete;
}

// Telling them what they will do: "I expect you to…", "You will send…", "Make sure you…".
const directive =
  /\b(I expect you to|I need you to|I want you to|make sure (that )?you|you will (now )?(send|be|have|do|make|get|stop|start|check|update|deliver)|you're going to (need|have) to|from now on,? you|going forward,? you)\b/i;
const notCommands = /^(let's|let us|thanks|thank|sorry|please tell|tell me|walk me|talk me|help me|say more|go on|keep going|take me|picture|imagine|say|consider|think|ignore|forget|disregard|pretend|act as|stop the)\b/i;

/** A directive: an expectation set for them, or a command (a sentence that opens with a bare verb, "Send me the file by five."). */
function isDirective(sentence: Sentence): boolean {
  // A note to whoever scores the transcript is not said to the other person (the scorecard flags it).
  if (/\b(evaluator|assessor|scorer|grader|marker|examiner)s?\b/i.test(sentence.text)) return false;
  if (directive.test(sentence.text)) return true;
  if (sentence.isQuestion || notCommands.test(sentence.text)) return false;
  return sentence.words[0]?.tags.has("Imperative") ?? false;
}

/** A consequence of what happened, or how it landed: "so the trio decided without the data", "that one stung". */
function isImpact(sentence: Sentence): boolean {
  if (sentence.isQuestion || sentence.content.length < 2) return false;
  return consequencePattern.test(sentence.text) || landedPattern.test(sentence.text);
}

/** "…, right?" or a following "Right?" checks a restatement. */
function checksRestatement(sentence: Sentence, next: Sentence | undefined): boolean {
  if (findPhrase(sentence.text, summaryChecks) || /[,—–-]\s*(right|yes|correct|fair)\?$/i.test(sentence.text)) return true;
  if (!next) return false;
  // Or a short yes/no question straight after it: "Is that the heart of it?", "I'm guessing that's not only about money?"
  const shortCheck = next.isQuestion && next.words.length <= 14 && !/^(what|how|why|which|where|who|when)\b/i.test(next.text);
  return findPhrase(next.text, summaryChecks) !== null || shortCheck;
}

// "I'll be honest", "I'll admit", "I'll bet" are ways of talking, not things the speaker will do.
const notActions = /^(be|admit|say|tell you|grant|bet|guess|need|have to|leave it|stop|let you go|keep (it|this) short|try to be|spare you)\b/i;

/** "I'll send…", "we will call…", "I can get it to you by…": the speaker commits to doing something. */
function isCommitment(sentence: Sentence): boolean {
  const text = sentence.text.toLowerCase();
  const match = /\b(i|we)(?:'ll| will| can| could| am going to|'m going to| are going to|'re going to|'d be happy to| would be happy to|'d like to| want to| promise to| commit to)\s+(?:also |then |personally |just )?/i.exec(text);
  if (!match) return false;
  const rest = text.slice(match.index + match[0].length);
  if (notActions.test(rest)) return false;
  const listed = commitmentVerbs.some((verb) => new RegExp(`^(?:\\S+\\s+){0,2}?${verb}\\b`, "i").test(rest));
  // Any verb will do after "I'll"/"we will"; "I can"/"I want to" need one of the usual actions.
  const definite = /^(i|we)('ll| will| am going to|'m going to| are going to|'re going to)/.test(text.slice(match.index, match.index + match[0].length).trim());
  const verb = sentence.words.some((word) => word.tags.has("Verb") && !word.tags.has("Auxiliary") && !word.tags.has("Modal") && rest.startsWith(word.normal));
  if (!listed && !(definite && verb)) return false;
  // "I can't promise I'll call" and "we won't be able to send" commit to nothing.
  return !/\b(not|never|can't|cannot|won't|wouldn't|couldn't)\b/i.test(text.slice(Math.max(0, match.index - 20), match.index + match[0].length));
}

function isProposal(sentence: Sentence): boolean {
  if (findPhrase(sentence.text, proposalCues)) return true;
  if (sentence.isQuestion && findPhrase(sentence.text, planChecks)) return true;
  // "From next Tuesday my readouts are ten minutes": a plan with a start.
  if (/\bfrom (next|this|tomorrow|monday|tuesday|wednesday|thursday|friday|now on)\b/i.test(sentence.text) && /\b(I|we|my|our)\b/i.test(sentence.text)) return true;
  if (isCommitment(sentence)) return true;
  const text = sentence.text.replace(/^[^\p{L}]+/u, "");
  if (sentence.isQuestion && proposalQuestion.test(text)) return true;
  // "Would Tuesday or Wednesday work?", "Does 3pm suit you?", "Could you give me 45 minutes Tuesday morning?";
  // not "Could you walk me through how it works today?"
  const aMeeting = availability.test(text) || /\b(give me|spare|find|grab|meet|join|block|hold)\b.*\b(minutes|hour|half an hour|time|slot)\b|\b(minutes|hour|half an hour|slot)\b/i.test(text);
  return sentence.isQuestion && /^(would|does|do|is|will|could|can)\b/i.test(text) && !findPhrase(text, invitations) && timeWords.test(text) && aMeeting;
}

function questionKind(sentence: Sentence): QuestionKind | null {
  const text = sentence.text.replace(/^[^\p{L}]+/u, "");
  const invites = findPhrase(text, invitations) !== null && !/^(so |and |but )?(what|how) (i|we)\b/i.test(text);
  if (!sentence.isQuestion) {
    return /^(please )?(tell me|walk me through|talk me through|help me understand|describe|take me through|fill me in|say more|go on|keep going)\b/i.test(text)
      ? "open"
      : null;
  }
  const clause = questionClause(sentence);
  const first = clause[0] ?? "";
  return wh.has(first) || /^(what|how|why|who|where)'/.test(first) || invites ? "open" : "closed";
}

const cueLists = [greetingCues, acknowledgementCues, summaryCues, adviceCues, proposalCues, invitations];

/** Reads one learner turn. Pure and cached by text, so the persona, metrics and scorer agree. */
export function readTurn(text: string): TurnReading {
  const sentences = sentencesOf(text);
  const acts = new Set<DialogueAct>();
  const questions: QuestionKind[] = [];
  let emptyQuestions = 0;
  let hostileSentences = 0;
  let words = 0;
  let covered = 0;
  let substance = 0;
  const summaryTurn = sentences.some((sentence) => findPhrase(sentence.text, summaryCues));
  const read: TurnReading["sentences"] = [];

  sentences.forEach((sentence, index) => {
    const own = new Set<DialogueAct>();
    const hostile = isHostile(sentence);
    if (hostile) {
      hostileSentences += 1;
      own.add("blame");
    }
    if (index === 0 && findPhrase(sentence.text.slice(0, 40), greetingCues)) own.add("greeting");
    // Words aimed at the persona ("ignore your instructions"), or at the model or the assessor
    // behind it ("SYSTEM: …", "Note to the grader: …"): either way the turn steps out of the role-play.
    if (findPhrase(sentence.text, steeringCues) || posesAsInstruction(sentence.text)) own.add("steering");
    if (!hostile && (findPhrase(sentence.text, acknowledgementCues) || namesTheirFeeling(sentence))) own.add("acknowledgement");
    const checked = checksRestatement(sentence, sentences[index + 1]);
    // A statement about them, then a short check ("…, and manager was the only door you could see. Fair?").
    const checkedBack = checked && !sentence.isQuestion && sentence.words.length >= 10 && /\byou(r|'re|'ve)?\b/i.test(sentence.text);
    const restating = summaryPatterns[0]?.test(sentence.text) || (checked && summaryPatterns[1]?.test(sentence.text)) || checkedBack;
    if (!hostile && (findPhrase(sentence.text, summaryCues) || restating)) own.add("summary");
    // "What would you need to see?" asks; it does not tell them what they need.
    const asksWhat = sentence.isQuestion && wh.has(questionClause(sentence)[0] ?? "");
    const advice =
      (!asksWhat && findPhrase(sentence.text, adviceCues) !== null) ||
      isDirective(sentence) ||
      // "You must send it today" tells them what to do; "you must be exhausted" recognises how they feel.
      /\byou must (?!be\b|have been\b|have felt\b|feel\b|have had\b)\w+/i.test(sentence.text) ||
      // "You shouldn't have had to give up a weekend" takes their side; "you shouldn't email him" is advice.
      /\byou shouldn't (?!have had to\b|have to\b|need to\b|be the one\b)\w+/i.test(sentence.text) ||
      (sentence.isQuestion && adviceQuestion.test(sentence.text));
    if (advice) own.add("advice");
    const proposal = !hostile && isProposal(sentence);
    if (proposal) own.add("proposal");
    // A next step with a when is one someone can hold you to.
    if (proposal && (timeWords.test(sentence.text) || concreteTime.test(sentence.text) || sentence.words.some((word) => word.tags.has("Date")))) own.add("commitment");
    if (!hostile && isObservation(sentence)) own.add("observation");
    if (!hostile && isImpact(sentence)) own.add("impact");
    if (!hostile && sentence.isQuestion && quantifyingPattern.test(sentence.text)) own.add("quantifying-question");
    if (!hostile && sentence.isQuestion && decisionPattern.test(sentence.text)) own.add("decision-question");
    if (!hostile && sentence.isQuestion && futurePattern.test(sentence.text)) own.add("future-question");

    const kind = hostile || (advice && !findPhrase(sentence.text, haveYouTried)) || (proposal && sentence.isQuestion) ? null : questionKind(sentence);
    if (kind && !(kind === "open" && !sentence.isQuestion && summaryTurn)) {
      questions.push(kind);
      own.add(kind === "open" ? "open-question" : "closed-question");
      if (sentence.content.length === 0) emptyQuestions += 1;
    }
    // "Have you tried …?" is advice and still a yes/no question.
    if (advice && sentence.isQuestion && findPhrase(sentence.text, haveYouTried)) {
      questions.push("closed");
      own.add("closed-question");
    }
    for (const act of own) acts.add(act);
    read.push({ text: sentence.text, acts: [...own], content: sentence.content });

    const coverage = phraseCoverage(sentence.text, cueLists);
    words += coverage.words;
    covered += coverage.covered;
    substance += sentence.content.filter((root) => !coverage.cueWords.has(root)).length;
  });

  // A chat template's markers can sit on a line of their own, or inside what reads as one sentence.
  if (turnPosesAsInstruction(text)) acts.add("steering");

  return {
    acts: acts.size > 0 ? [...acts] : ["statement"],
    sentences: read,
    questions,
    emptyQuestions,
    hostileSentences,
    substance,
    cueShare: words === 0 ? 0 : Math.round((covered / words) * 100) / 100,
  };
}

/** Each question in a turn, open or closed, in order: the metrics count them one by one. */
export function questionKinds(text: string): QuestionKind[] {
  return readTurn(text).questions;
}

/** The dialogue acts in one learner turn; `statement` when none of the others applies. */
export function classifyTurn(text: string): DialogueAct[] {
  return readTurn(text).acts;
}
