import type { PersonaEngine, PersonaReplyRequest, PersonaReplyResult } from "@spar/domain";

/**
 * The persona without an LLM: says the line the scenario's rules chose, streamed a few words at
 * a time like a model would, so clients handle both engines the same way.
 */
export class OfflinePersonaEngine implements PersonaEngine {
  readonly kind = "offline" as const;
  readonly model = null;

  async reply(
    request: PersonaReplyRequest,
    options: { signal: AbortSignal; onDelta: (text: string) => void },
  ): Promise<PersonaReplyResult> {
    const words = request.move.reply.split(/(?<=\s)/);
    let said = "";
    for (let index = 0; index < words.length; index += 4) {
      if (options.signal.aborted) return { ok: true, text: said.trimEnd(), usage: null, interrupted: "stopped" };
      const chunk = words.slice(index, index + 4).join("");
      said += chunk;
      options.onDelta(chunk);
      // Yield between chunks so an interrupt or a closed socket is noticed mid-reply.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { ok: true, text: said, usage: null, interrupted: null };
  }
}
