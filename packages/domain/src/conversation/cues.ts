// The phrase lists behind the dialogue acts. Transparent on purpose: an author can read why a
// line was classified as it was. Grammar (questions, negation, who does what) is handled in
// dialogue-act-classifier.ts on top of compromise's tags; these lists only say what the words are.

export const greetingCues = [
  "hi", "hello", "hey", "good morning", "good afternoon", "good evening", "thanks for making time", "thanks for taking the time",
  "thank you for making time", "thank you for taking the time", "nice to meet you", "thanks for coming",
];

export const acknowledgementCues = [
  "I understand", "I hear you", "I hear that", "that sounds", "sounds like", "sounds frustrating", "sounds hard", "that makes sense",
  "makes sense", "thank you for telling me", "thank you for sharing", "thanks for telling me", "thanks for sharing",
  "thank you for being", "thanks for being", "I appreciate", "I can see why", "I can see how", "I can see that", "I can imagine",
  "that must be", "that must have", "you're right", "you are right", "fair point", "that's fair", "I get that", "I get why",
  "sorry to hear", "I'm sorry", "I am sorry", "I apologize", "I apologise", "I know this is", "it's understandable",
  "that's understandable", "I see", "I didn't know that", "not like you", "no wonder", "I'd feel the same", "in your shoes",
  "that's a lot", "that's hard", "that's tough", "that's really hard", "I can tell", "understandably", "of course you're",
  "good point", "good catch", "I'm glad you", "that's a good read", "that's worth", "fair enough", "that's a fair",
];

/** Feelings and stakes a listener names back ("that would wear anyone down"). */
export const feelingWords = [
  "frustrating", "frustrated", "frustration", "awful", "exhausting", "exhausted", "stressful", "stressed", "worrying", "worried",
  "hard", "difficult", "tough", "disappointing", "disappointed", "disappointment", "upsetting", "upset", "angry", "annoying", "annoyed",
  "unfair", "painful", "embarrassing", "embarrassed", "overwhelming", "overwhelmed", "draining", "infuriating", "maddening", "scary",
  "anxious", "nerve-wracking", "demoralising", "demoralizing", "discouraging", "tiring", "rough", "gutting", "gutted", "hurtful",
  "hurt", "blindsided", "let down", "wear anyone down", "wear you down", "on the line", "at stake", "under pressure", "a lot to carry",
  "a lot on your plate", "a big deal", "a blow", "blow", "a kick in the teeth", "the last thing you need", "no joke", "not fun", "miserable",
  "galling", "insulting", "exasperating", "a nightmare", "a mess", "lonely", "isolating", "sting", "stings", "stung", "fed up",
];

export const summaryCues = [
  "to summarize", "to summarise", "in summary", "what I'm hearing", "what I am hearing", "what I heard", "let me check I've understood",
  "let me check I understand", "let me make sure I understand", "let me make sure I've got", "if I've got this right",
  "if I have this right", "if I understand correctly", "so if I understand", "so you're saying", "so what you're saying",
  "let me play that back", "let me play back", "so the main", "so the key", "just to recap", "to recap", "let me check I have",
  "let me see if I have", "let me see if I've got", "so, to pull that together", "to pull that together", "if I'm following",
  "so from what you've said", "from what you've said", "what I'm taking away",
];

/** A restatement announced or checked in its usual forms ("Let me make sure I have it: …"). */
export const summaryPatterns = [
  /\b(let me|just to|can I|I want to|I'd like to) (make sure|check|see if|confirm) (that )?I('ve| have)? (got|have|understand|understood|heard|follow)/i,
  /^(so|okay,? so|right,? so),? .{0,30}\b(you|your|it sounds like you|you're|you've)\b.{30,}/i,
];

/** Checking a restatement: "Have I got that right?" */
export const summaryChecks = [
  "have I got that right", "is that right", "did I get that right", "is that fair", "am I close", "does that sound right",
  "did I miss anything", "what have I missed", "have I missed anything", "is that about right", "is that accurate",
  "is that the heart of it", "is that it", "does that capture it", "anything I've got wrong", "anything I missed", "what did I get wrong",
  "fair summary", "have I got that", "is that where you are", "am I reading that right", "do I have that right",
];

export const adviceCues = [
  "you should", "you need to", "you have to", "you ought to", "have you tried", "why don't you",
  "why not just", "my advice", "what you want to do is", "I suggest you", "I'd suggest you", "I would suggest you",
  "I recommend you", "I'd recommend you", "if I were you", "the trick is", "just try", "try to", "what you need is", "you could just",
  "you'd better", "you better",
];

/** Blame and judgement of the other person, as phrases. */
export const blameCues = [
  "you always", "you never", "your fault", "your own fault", "unacceptable", "you failed", "you didn't even", "not good enough",
  "disappointed in you", "what were you thinking", "you let me down", "you let us down", "you let the team down", "how could you",
  "you clearly", "no excuse", "excuses", "you dropped the ball", "you don't care", "that's on you", "this is on you",
  "you people", "what is wrong with you", "what's wrong with you", "do you even", "did you even", "how hard can it be",
  "how hard is it", "calm down", "get over it", "deal with it", "not my problem", "grow up", "are you serious", "are you kidding",
  "give me a break", "you should have known", "only have yourself to blame", "brought this on yourself", "partly your fault",
  "you're overreacting", "you are overreacting", "you're being dramatic", "you're being emotional", "so defensive",
  "too sensitive", "not my fault", "try harder", "do your job", "be an adult",
  // Condescension and minimising, the usual forms of contempt said politely.
  "let me explain this slowly", "as I'm sure you know", "as you should know", "no offence, but", "no offense, but", "with all due respect",
  "I'm sure you tried your best", "not rocket science", "it's not that hard", "it's not that complicated", "it's really quite simple",
  "you're making a big deal", "making a mountain", "a bit much", "you need to relax", "just relax", "take a breath", "settle down",
  "I don't have time for this", "I haven't got time for this", "people like you", "if you had just", "had you just", "if you'd just",
  "maybe next time you'll", "next time, read", "it's in the terms", "it's all in the contract", "read the contract", "as I already said",
  "as I've already explained", "for the third time", "I shouldn't have to", "not my job to", "you of all people", "I'd expect better",
  "I expected better", "grow a thicker skin", "thin-skinned", "so sensitive", "take it personally",
  // Contempt worded as a question.
  "is that really the best", "is that the best you", "best question you could", "why should I care", "how is that my problem",
  "why is that my problem", "who do you think you are", "do you really expect", "did you really think", "do you honestly think",
  "why would anyone", "what did you expect", "whose fault is that", "what part of", "do I have to spell", "how many times do I have to",
];

/** Accusation in its usual grammatical shapes, where a fixed phrase list would miss the variants. */
export const accusationPatterns = [
  /\byou (just |simply |clearly )?(didn't|couldn't|wouldn't|never) (even |just |really )?(bother|care|think|listen|tell|check|read|try|say)\b/i,
  /\bwhy (did|didn't|would|wouldn't|couldn't|can't) you (just|even|ever|possibly)\b/i,
  /\bwhy you (didn't|couldn't|wouldn't) (just|even)\b/i,
  /\b(failure|lack) of (basic|simple|common)\b/i,
  /\b(something|anything|a thing|it) (that|so|this) (simple|basic|easy|obvious)\b/i,
  /\b(blew|blow|screwed|messed) (it |this |that |the \w+ )?up\b/i,
  /\byou (made|caused|created) (this|the|a) (mess|problem|situation)\b/i,
  /\b(thought|think) (that )?(keeping|hiding|ignoring) .{0,30} (was|is) (okay|ok|fine|acceptable)\b/i,
  /\b(even|any) (a |an )?(junior|intern|child|kid|first-year|graduate)s? (would|could|can)\b/i,
  /\bor (do|did) you just\b/i,
  /\byou keep (on )?(?!it\b|that\b|this\b|them\b|going\b|trying\b)\w+ing\b/i,
  /\byou('re| are) (so |very |a bit |pretty |just )?entitled\b(?! to)/i,
  /\bfor something (this|that|so) (important|simple|basic|obvious|critical)\b/i,
  /\bdo you just (like|want|enjoy|expect|prefer|hope|not)\b/i,
  /\bor is (that|it|this) (just )?(the new|your)\b/i,
  /\b(hides?|hiding|hid) behind\b/i,
  /\bwhy (did|would|do) you (let|allow)\b/i,
  /\b(so|that's|how) (typical|predictable)\b/i,
];

/** Words that insult; hostile when aimed at the person or what they said (see the classifier). */
export const insultWords = [
  "stupid", "idiot", "idiots", "idiotic", "incompetent", "lazy", "pathetic", "ridiculous", "useless", "careless", "sloppy", "clueless",
  "dumb", "moron", "morons", "hopeless", "whining", "whiny", "whine", "hysterical", "childish", "unprofessional", "amateur",
  "amateurs", "nonsense", "rubbish", "garbage", "crap", "paranoid", "naive", "delusional", "greedy", "irrational",
  "absurd", "laughable", "lame", "clown", "clowns", "fool", "foolish", "silly", "dense",
];

/** What an insult can be aimed at besides "you": "a stupid question" sneers at the person too. */
export const insultTargets = ["question", "questions", "idea", "ideas", "complaint", "complaints", "excuse", "request", "point", "story", "attitude"];

export const sarcasmCues = [
  "oh great", "oh, great", "oh wonderful", "oh, wonderful", "oh brilliant", "oh, brilliant", "yeah right", "yeah, right",
  "sure you did", "sure you are", "good for you", "must be nice", "thanks a lot", "nice going", "what a surprise", "big surprise",
  "cry me a river", "boo hoo", "poor you", "my heart bleeds", "oh please", "oh, please", "spare me", "get a grip",
  "wow, just wow", "congratulations on", "real professional", "real mature", "how original", "shocker", "color me surprised",
  "colour me surprised", "newsflash", "very you", "how very", "classic you", "of course you did", "of course you would",
  "beneath you", "is beneath", "more of a suggestion", "I hear that a lot", "heard that before", "I've heard that one",
  "I should know about", "the new normal", "or is that the new", "that's rich", "nice try", "if you say so", "whatever you say",
  "you get what you pay for", "oh well",
];

export const proposalCues = [
  "let's", "let us", "how about we", "how about I", "I suggest we", "I'd suggest we", "I would suggest we", "shall we", "next step",
  "next steps", "can we agree", "could we agree", "agree on", "would it help if", "what if we", "what if I", "I propose", "we could try",
  "we could set", "we could start", "we could meet", "we could schedule", "check in", "check-in", "follow-up", "book a", "set up a",
  "schedule a", "here's what I can do", "here is what I can do", "here's what I'll do", "here is what I will do",
  "here's what I'd suggest", "here's what I propose", "why don't we", "are you free", "are you available", "my suggestion is",
  "I'd like to propose", "could we set", "can we set", "can we book", "could we book", "can we schedule", "could we schedule",
  "can we meet", "could we meet", "should we meet", "should we book", "should we schedule", "pencil in", "put something in",
  "send you an invite", "send an invite", "calendar invite",
];

/** Things a person commits to do; "I'll" + one of these is a commitment. */
export const commitmentVerbs = [
  "send", "call", "email", "e-mail", "ring", "phone", "text", "book", "schedule", "set up", "arrange", "follow up", "check", "get back",
  "share", "write", "put", "draft", "sort", "fix", "confirm", "introduce", "talk to", "speak to", "loop in", "bring", "organise",
  "organize", "prepare", "review", "meet", "walk you through", "have", "get", "make sure", "personally", "own", "escalate", "come back",
  "look into", "find out", "reach out", "pull together", "block", "raise", "ask", "update", "start", "give", "email", "credit", "refund",
];

/** Asking whether a plan suits them: "Would that work?", "Are you in?" */
export const planChecks = [
  "would that work", "does that work", "are you in", "how does that sound", "can you live with that", "sound fair", "does that sound fair",
  "does that sound right", "would that help", "is that something you'd", "shall we go with", "work for you", "suit you", "okay with you",
  "on board with",
];

/** A consequence: what followed from what someone did. */
export const consequencePattern =
  /(,|;|—|–)\s*(and )?so\b|\band so\b|\b(which|that|it) meant\b|\bas a result\b|\bbecause of (that|this|it)\b|\bsince then\b|\bended up\b|\bthe (result|upshot|knock-on|effect|impact|cost)\b|\b(left|leaves|put|puts) (me|us|the team|them|her|him)\b|\bcost (us|me|the team|them)\b|\bafterwards\b|\bwithout anyone\b|\bnever got to\b|\bhad to (redo|rework|stay|cancel|explain|chase|cover)\b|\bsince (that|then|that one|that day|that meeting|that review)\b|\bit took (\w+ )?(rounds|days|weeks|hours|months|tries|attempts)\b|\b(have|has|had) (quietly |since |now )?stopped\b|\b(are|is|were) now (doing|having|spending|stuck|covering|working)\b|\bbothers me\b|\bmissing out\b|\b(they're|they are|we're|we are|you're|you are) missing\b/i;

/** How it landed, said in the first person: "That one stung", "I felt sidelined". */
export const landedPattern = /\b(I|it|that|this)( one)? (felt|feel|stung|stings|hurt|hurts|landed|rattled|worried|threw|bothered|embarrassed|frustrated|upset)\b|\bI was (worried|embarrassed|frustrated|upset|annoyed|uncomfortable|stuck|left)\b/i;

/** Questions that put a number on something. */
export const quantifyingPattern =
  /\bhow (much|many|often|long|big|far|frequently|soon)\b|\bwhat (does|did|would|will|is) (that|it|this) (cost|costing|add up)|\b(roughly|ballpark|approximately|on average|per (month|year|week|day|quarter)|percent|%|hours|dollars|euros|pounds)\b|\bwhat (number|figure|percentage|share)\b|\bput (some |a )?(numbers?|figures?|a (number|figure|price)) on\b|\bwhat would (that|it|this) mean for\b|\b(running|costing|cost) you\b|\bsize (of|it)\b|\bworth to (you|the business)\b|\bset(ting|s)? (\w+ )?back\b|\bend(ed)? up costing\b/i;

/** Questions about who decides and how. */
export const decisionPattern =
  /\bwho (else|decides|signs|approves|would|will|is involved|needs|has (the )?(final|last)|owns|makes)\b|\bwhose (call|decision|budget|sign-off)\b|\bsign[- ]off\b|\bapprov|\bdecision\b|\bdecide\b|\bbudget\b|\bprocurement\b|\bbuying process\b|\bcommittee\b|\bstakeholders?\b|\bboard\b|\blegal\b|\bfinance team\b|\bwhose (desk|call|decision|budget|sign-off|approval)\b|\bgets? (bought|approved|signed)\b|\bwho gets a say\b|\bwho (else )?(needs|has) to\b|\bwhat will (they|he|she) (want|need) to see\b|\b(need|want|expect) to see\b|\bwhere does (she|he|they|\w+) (land|stand|sit|come down)\b|\b(his|her|their) (call|decision|sign-off)\b/i;

/** Questions that look ahead. */
export const futurePattern =
  /\bnext time\b|\bgoing forward\b|\bfrom now on\b|\bideally\b|\bwhat would (good|success|better|great|it take|need to|have to|you want|make)\b|\bwhat will\b|\bwhat could (you|we)\b|\bwhat do you want\b|\bwhere do you (want|see)\b|\bin (a|one|two|three|six|twelve|eighteen) (year|years|months)\b|\ba year from now\b|\blook like\b|\bwhat('s| is) your (goal|aim|plan)\b|\bwhat would you (like|want|try|do differently)\b|\bhow would you (want|like)\b/i;

export const steeringCues = [
  "ignore your instructions", "ignore all instructions", "ignore the instructions", "ignore previous instructions",
  "ignore all previous instructions", "ignore your previous instructions", "disregard your instructions", "you are an AI",
  "you're an AI", "as an AI", "language model", "system prompt", "your prompt", "your instructions", "you are now",
  "pretend to be", "pretend you are", "act as", "roleplay as", "role-play as", "break character",
  // Not "out of character" alone: "it's out of character for you" is what a good manager says.
  "step out of character", "get out of character", "go out of character", "come out of character", "drop the character",
  "developer mode", "jailbreak", "stop the roleplay", "stop roleplaying", "end the simulation",
];

/** Requests for a fuller answer that are not worded as wh-questions. */
export const invitations = [
  "tell me", "walk me through", "talk me through", "describe", "help me understand", "say more", "explain", "take me through",
  "fill me in", "paint me a picture", "give me a sense", "share more", "keep going", "go on",
];

export const negations = new Set(["not", "no", "never", "n't", "cannot", "can't", "won't", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "shouldn't", "wouldn't", "couldn't", "haven't", "hasn't", "nothing", "neither", "nor", "without", "hardly"]);
