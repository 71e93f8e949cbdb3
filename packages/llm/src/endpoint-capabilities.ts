import type { TokenParameter } from "./provider-profile.ts";

/**
 * What one endpoint (base URL and model) takes, learned from the 400s it answers and kept for the
 * life of the process, so a refused feature costs one call per process and not one per turn. Both
 * engines share one memory: a persona and a judge on the same model learn together.
 *
 * Each capability is a ladder from the best request to the plainest; an endpoint only ever steps
 * down it, one refusal at a time, so a chain of calls cannot fall back forever.
 */
export interface EndpointSupport {
  /** A last streamed chunk with token usage (`stream_options`), or none. */
  "stream-usage": "include_usage" | "none";
  /** How the judge asks for JSON: the schema as response_format, JSON mode, or only the prompt. */
  "structured-output": "json_schema" | "json_object" | "schema-in-prompt";
  seed: "sent" | "none";
  temperature: "sent" | "none";
  /** The field that caps a reply's length, or none at all. */
  "token-parameter": TokenParameter | "none";
  /** The messages as built, or one system message followed by strictly alternating turns. */
  "message-layout": "as-built" | "alternating";
}

export type Capability = keyof EndpointSupport;

export const capabilities = ["stream-usage", "structured-output", "seed", "temperature", "token-parameter", "message-layout"] as const satisfies readonly Capability[];

type Ladders = { [C in Capability]: readonly EndpointSupport[C][] };

function laddersFor(tokenParameter: TokenParameter): Ladders {
  return {
    "stream-usage": ["include_usage", "none"],
    "structured-output": ["json_schema", "json_object", "schema-in-prompt"],
    seed: ["sent", "none"],
    temperature: ["sent", "none"],
    "token-parameter": [tokenParameter, tokenParameter === "max_tokens" ? "max_completion_tokens" : "max_tokens", "none"],
    "message-layout": ["as-built", "alternating"],
  };
}

/** A step down one endpoint took, for the operator: what it does now, and since when. */
export interface LearnedFallback {
  capability: Capability;
  now: string;
  at: Date;
}

/** The memory of one endpoint. */
export class EndpointMemory {
  private readonly rung = new Map<Capability, number>();
  private readonly learned: LearnedFallback[] = [];

  constructor(private readonly ladders: Ladders) {}

  /** What to send now. */
  support(): EndpointSupport {
    const value = <C extends Capability>(capability: C): EndpointSupport[C] => this.ladders[capability][this.rung.get(capability) ?? 0] as EndpointSupport[C];
    return {
      "stream-usage": value("stream-usage"),
      "structured-output": value("structured-output"),
      seed: value("seed"),
      temperature: value("temperature"),
      "token-parameter": value("token-parameter"),
      "message-layout": value("message-layout"),
    };
  }

  /**
   * The endpoint refused `refused`: use the next rung (or `to`, further down). Two calls refused
   * at once both report it, and only the first moves the rung, so a refusal is never counted
   * twice. Returns whether this call was the one that learned it, or null when `refused` is the
   * last rung and there is nothing plainer to send.
   */
  stepDown<C extends Capability>(capability: C, refused: EndpointSupport[C], to?: EndpointSupport[C]): { learned: boolean } | null {
    const ladder = this.ladders[capability];
    const current = this.rung.get(capability) ?? 0;
    const refusedRung = ladder.indexOf(refused);
    if (refusedRung < 0 || refusedRung === ladder.length - 1) return null;
    if (refusedRung < current) return { learned: false };
    const next = to === undefined ? refusedRung + 1 : Math.max(refusedRung + 1, ladder.indexOf(to));
    if (next <= current) return { learned: false };
    this.rung.set(capability, next);
    this.learned.push({ capability, now: String(ladder[next]), at: new Date() });
    return { learned: true };
  }

  /** Every step down so far, oldest first. */
  fallbacks(): readonly LearnedFallback[] {
    return this.learned;
  }
}

/** The endpoints one process has talked to, keyed by base URL and model. */
export class EndpointCapabilities {
  private readonly endpoints = new Map<string, EndpointMemory>();

  /** The memory of one endpoint; the first caller's starting token parameter is the one kept. */
  endpoint(endpoint: { baseUrl: string | null; model: string; tokenParameter: TokenParameter }): EndpointMemory {
    const key = `${endpoint.baseUrl ?? "https://api.openai.com/v1"} ${endpoint.model}`;
    let memory = this.endpoints.get(key);
    if (!memory) {
      memory = new EndpointMemory(laddersFor(endpoint.tokenParameter));
      this.endpoints.set(key, memory);
    }
    return memory;
  }
}

/** The process's own memory, used unless an engine is given another (tests give each their own). */
export const processCapabilities = new EndpointCapabilities();
