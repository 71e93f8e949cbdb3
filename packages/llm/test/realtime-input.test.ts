import type { ChatMessage } from "@spar/domain";
import { describe, expect, it } from "vitest";
import { realtimeInput } from "../src/realtime/realtime-input.ts";

const messages: ChatMessage[] = [
  { role: "system", content: "You are Dana." },
  { role: "assistant", content: "Hello, what is this about?" },
  { role: "user", content: "The renewal." },
  { role: "system", content: "Right now your trust is 4/10." },
];

describe("realtimeInput", () => {
  it("gives the standing instructions as instructions and every other message as an item, in order", () => {
    const { instructions, input } = realtimeInput(messages, null);
    expect(instructions).toBe("You are Dana.");
    expect(input).toEqual([
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Hello, what is this about?" }] },
      { type: "message", role: "user", content: [{ type: "input_text", text: "The renewal." }] },
      { type: "message", role: "system", content: [{ type: "input_text", text: "Right now your trust is 4/10." }] },
    ]);
  });

  it("makes the latest learner turn its audio where that is what was heard", () => {
    const { input } = realtimeInput(messages, { text: "The renewal.", itemId: "item_7" });
    expect(input[1]).toEqual({ type: "item_reference", id: "item_7" });
  });

  it("keeps the text where the learner corrected what was heard, or the audio is of another turn", () => {
    expect(realtimeInput(messages, { text: "The renew all.", itemId: "item_7" }).input[1]).toMatchObject({ role: "user" });
    const later: ChatMessage[] = [...messages.slice(0, 3), { role: "assistant", content: "Go on." }, { role: "user", content: "The renewal." }];
    const { input } = realtimeInput(later, { text: "The renewal.", itemId: "item_7" });
    expect(input[1]).toMatchObject({ role: "user" });
    expect(input[3]).toEqual({ type: "item_reference", id: "item_7" });
  });
});
