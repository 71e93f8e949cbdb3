/** A chat message with text content: what Spar's prompts are made of. */
export interface TextMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/**
 * The words put before a conversation whose first turn is the assistant's (the persona's opening
 * line): strict templates want a user message first, and the persona's instructions already say
 * it opened the conversation.
 */
export const conversationStartLine = "(The conversation starts.)";

/**
 * The same conversation in the layout the strictest chat templates accept (Mistral, Llama 2 and
 * Gemma templates under vLLM or llama.cpp): one system message first, then user and assistant
 * turns strictly alternating, starting with the user. System messages further down (an older-turn
 * summary, the guidance for this reply) are folded into the first, in order; consecutive turns of
 * one role are joined; an opening assistant turn gets a short user line before it.
 */
export function alternatingMessages(messages: readonly TextMessage[]): TextMessage[] {
  const system = messages.filter((message) => message.role === "system").map((message) => message.content);
  const turns: TextMessage[] = [];
  for (const message of messages) {
    if (message.role === "system") continue;
    const previous = turns.at(-1);
    if (previous?.role === message.role) previous.content = `${previous.content}\n\n${message.content}`;
    else turns.push({ role: message.role, content: message.content });
  }
  if (turns[0]?.role !== "user") turns.unshift({ role: "user", content: conversationStartLine });
  return [...(system.length > 0 ? [{ role: "system" as const, content: system.join("\n\n") }] : []), ...turns];
}
