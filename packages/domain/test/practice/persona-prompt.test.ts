import path from "node:path";
import { describe, expect, it } from "vitest";
import { classifyTurn } from "../../src/conversation/dialogue-act-classifier.ts";
import { decidePersonaMove } from "../../src/conversation/offline-persona.ts";
import { initialPersonaState } from "../../src/conversation/persona-state.ts";
import { loadLibrary } from "../../src/library/library.ts";
import type { Scenario } from "../../src/library/scenario-schema.ts";
import type { TranscriptTurn } from "../../src/practice/persona-engine.ts";
import { estimateTokens, personaInstructions, personaMessages, turnGuidance } from "../../src/practice/persona-prompt.ts";
import { readYamlTree, repositoryRoot } from "../library/read-files.ts";

const { library } = await loadLibrary(await readYamlTree(path.join(repositoryRoot, "scenarios")));
const scenario = library.scenarios.get("underperformance")?.value as Scenario;

function longConversation(turns: number): TranscriptTurn[] {
  return Array.from({ length: turns }, (_, index) => ({
    seq: index + 1,
    speaker: index % 2 === 0 ? "persona" : "learner",
    text: `Turn ${index + 1}: ${"a fairly long line of conversation that goes on ".repeat(8)}`,
  }));
}

describe("the persona's prompt", () => {
  it("states the persona, its hidden facts and rules, and tells it never to coach; never the rubric", () => {
    const instructions = personaInstructions(scenario);
    expect(instructions).toContain(scenario.persona.name);
    for (const fact of scenario.persona.hidden) expect(instructions).toContain(fact.id);
    expect(instructions).toContain("Never coach");
    expect(instructions).toContain("stay in character");
    expect(instructions).not.toMatch(/rubric|pass mark|criterion/i);
  });

  it("keeps a short conversation whole, with the standing instructions first", () => {
    const transcript = longConversation(5);
    const messages = personaMessages(scenario, transcript, "guidance", 6_000);
    expect(messages[0]).toEqual({ role: "system", content: personaInstructions(scenario) });
    expect(messages.slice(1, -1).map((message) => message.content)).toEqual(transcript.map((turn) => turn.text));
    expect(messages.at(-1)).toEqual({ role: "system", content: "guidance" });
  });

  it("summarises the oldest turns of a long conversation instead of cutting them off, within the budget", () => {
    const transcript = longConversation(60);
    const budget = 3_000;
    const messages = personaMessages(scenario, transcript, "guidance", budget);
    const total = messages.reduce((sum, message) => sum + estimateTokens(message.content), 0);
    expect(total).toBeLessThanOrEqual(budget + 50);
    const summary = messages[1]?.content ?? "";
    expect(summary).toMatch(/^Earlier in this conversation \(turns 1 to \d+, shortened\):/);
    expect(summary).toContain("Turn 1:");
    // The latest turns are verbatim, and nothing between summary and recent turns is missing.
    expect(messages.at(-2)?.content).toBe(transcript.at(-1)?.text);
    const firstVerbatim = transcript.findIndex((turn) => turn.text === messages[2]?.content);
    expect(summary).toContain(`turns 1 to ${firstVerbatim}`);
  });

  it("guides each reply with the persona's mood and the rule that applies", () => {
    const state = { ...initialPersonaState(scenario), trust: 7 };
    const text = "How are you doing outside of work?";
    const move = decidePersonaMove(scenario, state, { text, acts: classifyTurn(text), number: 1 });
    const guidance = turnGuidance(state, move, scenario);
    expect(guidance).toContain("trust is 7/10");
    expect(guidance).toContain(move.rule?.then ?? "no rule");
  });
});
