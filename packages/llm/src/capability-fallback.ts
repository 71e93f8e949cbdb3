import { type Refusal, refusalIn, type SentRequest } from "./capability-refusal.ts";
import type { EndpointMemory, EndpointSupport } from "./endpoint-capabilities.ts";
import type { LlmObserver, LlmPurpose } from "./llm-observer.ts";

/**
 * Sends a request built from what the endpoint is known to take; when the endpoint refuses one
 * of its features, remembers that and sends the plainer request. A refused rung is never asked
 * for twice in one chain, and each ladder is short, so a chain ends: with an answer, or with the
 * error of a refusal there is no way round.
 */
export async function sendWithFallback<Request extends SentRequest, Answer>(call: {
  memory: EndpointMemory;
  purpose: LlmPurpose;
  model: string;
  observer: LlmObserver | undefined;
  build: (support: EndpointSupport) => Request;
  send: (request: Request) => Promise<Answer>;
}): Promise<Answer> {
  const refusedInThisChain = new Set<string>();
  for (;;) {
    const support = call.memory.support();
    const request = call.build(support);
    try {
      return await call.send(request);
    } catch (error) {
      const refusal = refusalIn(error, request, support);
      if (!refusal || refusedInThisChain.has(rungOf(refusal))) throw error;
      refusedInThisChain.add(rungOf(refusal));
      const step = call.memory.stepDown(refusal.capability, refusal.refused as never, refusal.to as never);
      if (!step) throw error;
      // Told once per process and endpoint: calls that were refused at the same moment only retry.
      if (step.learned) {
        const now = call.memory.support()[refusal.capability];
        call.observer?.capabilityFellBack?.({ model: call.model, purpose: call.purpose, capability: refusal.capability, now, providerMessage: refusal.providerMessage });
      }
    }
  }
}

const rungOf = (refusal: Refusal) => `${refusal.capability}:${refusal.refused}`;
