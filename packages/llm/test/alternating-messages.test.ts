import { describe, expect, it } from "vitest";
import { alternatingMessages, conversationStartLine, type TextMessage } from "../src/alternating-messages.ts";

const system = (content: string): TextMessage => ({ role: "system", content });
const user = (content: string): TextMessage => ({ role: "user", content });
const assistant = (content: string): TextMessage => ({ role: "assistant", content });

/** What a strict chat template accepts: at most one system message, first, then user/assistant from the user. */
function strictTemplateTakes(messages: readonly TextMessage[]): boolean {
  const turns = messages[0]?.role === "system" ? messages.slice(1) : messages;
  return turns.length > 0 && turns.every((message, index) => message.role === (index % 2 === 0 ? "user" : "assistant"));
}

describe("the message layout for strict chat templates", () => {
  it("folds the turn guidance into the one system message and puts a user line before the persona's opening", () => {
    const persona = [system("You are Sam."), assistant("Hey. Is this about Thursday?"), user("Yes, it is."), system("Right now your trust is 3/10.")];
    const strict = alternatingMessages(persona);
    expect(strict).toEqual([
      system("You are Sam.\n\nRight now your trust is 3/10."),
      user(conversationStartLine),
      assistant("Hey. Is this about Thursday?"),
      user("Yes, it is."),
    ]);
    expect(strictTemplateTakes(strict)).toBe(true);
  });

  it("keeps an older-turn summary in order and joins turns of one role", () => {
    const persona = [
      system("Instructions."),
      system("Earlier in this conversation: …"),
      user("First."),
      user("Second, after a reconnect."),
      assistant("Reply."),
      user("Third."),
      system("Guidance."),
    ];
    expect(alternatingMessages(persona)).toEqual([
      system("Instructions.\n\nEarlier in this conversation: …\n\nGuidance."),
      user("First.\n\nSecond, after a reconnect."),
      assistant("Reply."),
      user("Third."),
    ]);
  });

  it("merges the judge's context and transcript, and keeps a correction round alternating", () => {
    const judge = [system("Assess."), user("Context."), user("Transcript."), assistant("{}"), user("Problems: …")];
    const strict = alternatingMessages(judge);
    expect(strict).toEqual([system("Assess."), user("Context.\n\nTranscript."), assistant("{}"), user("Problems: …")]);
    expect(strictTemplateTakes(strict)).toBe(true);
  });

  it("leaves a conversation that already alternates as it is, and never changes its input", () => {
    const plain = [system("S."), user("U."), assistant("A."), user("U2.")];
    const copy = structuredClone(plain);
    expect(alternatingMessages(plain)).toEqual(plain);
    expect(plain).toEqual(copy);
    const joined = [system("S."), user("U."), user("V.")];
    alternatingMessages(joined);
    expect(joined).toEqual([system("S."), user("U."), user("V.")]);
  });

  it("gives a conversation with only instructions a user line, so there is something to answer", () => {
    expect(alternatingMessages([system("S.")])).toEqual([system("S."), user(conversationStartLine)]);
  });
});
