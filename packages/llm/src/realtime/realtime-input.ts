import type { ChatMessage } from "@spar/domain";
import type { RealtimeConversationItemAssistantMessage, RealtimeConversationItemSystemMessage, RealtimeConversationItemUserMessage, ResponseItemReference } from "openai/resources/realtime/realtime";

export type RealtimeInputItem = RealtimeConversationItemSystemMessage | RealtimeConversationItemUserMessage | RealtimeConversationItemAssistantMessage | ResponseItemReference;

/**
 * One persona reply's prompt as Realtime input: the same messages the text engine sends
 * (personaMessages), the standing instructions as the response's `instructions` and the rest as
 * items. Each reply carries its whole context, so the persona knows the transcript as it is
 * stored (a reply the learner spoke over is cut there, a guarded reply is the deflection), never
 * a version that drifted from it. The learner's latest turn, where it was heard as audio on this
 * connection, is that audio (`spokenItem`, an item of the Realtime conversation), so the persona
 * hears how it was said; otherwise its text.
 */
export function realtimeInput(messages: readonly ChatMessage[], spokenItem: { text: string; itemId: string } | null): { instructions: string; input: RealtimeInputItem[] } {
  const [first, ...rest] = messages;
  const instructions = first?.role === "system" ? first.content : "";
  const items = first?.role === "system" ? rest : messages;
  const lastLearner = items.findLastIndex((message) => message.role === "user");
  const input = items.map((message, index): RealtimeInputItem => {
    if (message.role === "system") return { type: "message", role: "system", content: [{ type: "input_text", text: message.content }] };
    if (message.role === "assistant") return { type: "message", role: "assistant", content: [{ type: "output_text", text: message.content }] };
    if (index === lastLearner && spokenItem && spokenItem.text === message.content) return { type: "item_reference", id: spokenItem.itemId };
    return { type: "message", role: "user", content: [{ type: "input_text", text: message.content }] };
  });
  return { instructions, input };
}

/** What a spoken line is read with: the persona's voice, the text's words and nothing else. */
export const readAloudInstructions =
  "Read aloud the text in the user's message exactly as it is written, word for word, as the character whose line it is would say it. Add nothing, leave nothing out, and do not answer it.";
