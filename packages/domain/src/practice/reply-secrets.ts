import type { PersonaMove } from "../conversation/offline-persona.ts";
import type { PersonaState } from "../conversation/persona-state.ts";
import { type LearnerTurn, ruleMatches } from "../conversation/rule-matching.ts";
import type { Scenario } from "../library/scenario-schema.ts";
import type { TranscriptTurn } from "./persona-engine.ts";
import { personaInstructions, turnGuidance } from "./persona-prompt.ts";
import { type OwnedText, type PhraseTree, phraseKeys, phraseTree } from "./protected-phrases.ts";
import { ReplyGuard } from "./reply-guard.ts";

/** What a scenario keeps from the learner, read once per scenario version. */
interface ScenarioSecrets {
  /** The prompt's phrases and every hidden fact's, less what the brief tells the learner. */
  tree: PhraseTree;
  /** The brief's phrases, the persona's name, role and opening line: never secret. */
  known: ReadonlySet<string>;
  /** Each hidden fact's phrases, to tell when the persona has said one. */
  factPhrases: ReadonlyMap<string, readonly string[]>;
  /** Each hidden fact's phrases with those of the rules that reveal it, which describe it. */
  sharedWith: ReadonlyMap<string, readonly string[]>;
}

// Keyed by the parsed scenario: the library keeps one object per version, so this is built once
// per version and dropped with it.
const cache = new WeakMap<Scenario, ScenarioSecrets>();

// "[fact-id]" in the prompt is a marker, not words: runs of words do not cross it.
const factMarker = /\[[^\]\n]*\]/g;

function scenarioSecrets(scenario: Scenario): ScenarioSecrets {
  const cached = cache.get(scenario);
  if (cached) return cached;
  const { brief, persona } = scenario;
  const known = new Set(
    [brief.role, brief.situation, brief.objective, `${persona.name}, ${persona.role}`, persona.opening_line].flatMap(phraseKeys),
  );
  const texts: OwnedText[] = [
    ...personaInstructions(scenario)
      .split(factMarker)
      .map((text) => ({ text, owner: { kind: "instructions" as const } })),
    ...persona.hidden.map((fact) => ({ text: fact.fact, owner: { kind: "hidden-fact" as const, id: fact.id } })),
  ];
  // A rule that reveals a fact describes it ("Sam explains that Lena asked him…"): its words go
  // with the fact, secret while the fact is and open once the fact may be shared.
  const revealing = scenario.rules.flatMap((rule) =>
    rule.reveals ? [rule.when, rule.then].map((text) => ({ text, owner: { kind: "hidden-fact" as const, id: rule.reveals ?? "" } })) : [],
  );
  const markers = persona.hidden.map((fact) => {
    const [first = "", ...rest] = fact.id.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return [`[${first}`, ...rest];
  });
  const secrets: ScenarioSecrets = {
    tree: phraseTree([...texts, ...revealing], [known], markers),
    known,
    factPhrases: new Map(persona.hidden.map((fact) => [fact.id, phraseKeys(fact.fact)])),
    sharedWith: new Map(
      persona.hidden.map((fact) => [fact.id, [fact.fact, ...revealing.filter((each) => each.owner.id === fact.id).map((each) => each.text)].flatMap(phraseKeys)]),
    ),
  };
  cache.set(scenario, secrets);
  return secrets;
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
export function sayableFacts(
  scenario: Scenario,
  state: PersonaState,
  move: PersonaMove,
  learner: LearnerTurn,
  personaPhrases: ReadonlySet<string>,
): Set<string> {
  const { factPhrases } = scenarioSecrets(scenario);
  const spoken = [...factPhrases].filter(([, keys]) => keys.some((key) => personaPhrases.has(key))).map(([id]) => id);
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

/**
 * The guard for one persona reply. Protected: the persona's instructions (how to play the part,
 * personality, wants, behaviour rules, this turn's guidance, the prompt's headings and "[fact-id]"
 * markers) and every hidden fact it may not share yet (`sayableFacts`). Open, so never matched:
 * what the learner was told (the brief), the persona's name, role and opening line, the facts
 * it may share, and everything said in the conversation so far.
 */
export function replyGuard(scenario: Scenario, state: PersonaState, move: PersonaMove, transcript: readonly TranscriptTurn[], learner: LearnerTurn): ReplyGuard {
  const secrets = scenarioSecrets(scenario);
  const open = new Set<string>();
  const personaPhrases = new Set<string>();
  for (const turn of transcript) {
    for (const key of phraseKeys(turn.text)) {
      open.add(key);
      if (turn.speaker === "persona") personaPhrases.add(key);
    }
  }
  const sayable = sayableFacts(scenario, state, move, learner, personaPhrases);
  // This turn's guidance may quote a fact it tells the persona to share, and the rule that says so.
  const shareable = new Set([...sayable].flatMap((id) => secrets.sharedWith.get(id) ?? []));
  const guidance = phraseTree(
    turnGuidance(state, move, scenario)
      .split(factMarker)
      .map((text) => ({ text, owner: { kind: "instructions" as const } })),
    [secrets.known, shareable],
  );
  return new ReplyGuard({ trees: [secrets.tree, guidance], open, sayable });
}
