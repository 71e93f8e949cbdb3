// The model side of a load run: the fake OpenAI-compatible server at a set first-token delay
// and token rate, stamping each persona token with its emission time, answering the judge
// with evidence quoted from the transcript it was sent, and checking on every persona request
// that the static prompt prefix is byte-identical within a scenario.
import { createHash } from "node:crypto";
import { type FakeAudioOptions, FakeOpenAiServer, faithfulJudgeAnswer } from "@spar/llm/testing";
import { logNormal } from "./stats.ts";

export interface ModelSettings {
  /** Fixed first-token delay, ms, or "long-tail": log-normal with p50 700 ms and p95 4 s. */
  firstToken: number | "long-tail";
  tokensPerSecond: number;
  replyTokens: number;
  /** Stamp tokens with their emission time (latency runs) or send words (cost runs). */
  stamp: boolean;
  /** Transcription and speech endpoints too (voice runs). */
  audio?: FakeAudioOptions;
}

const words = "That is fair, but our budget is fixed this quarter and I have to justify every line to finance before we sign anything new.".split(" ");

export interface PrefixCheck {
  /** Distinct system prompts seen per scenario title: 1 each means the prefix is cacheable. */
  distinctPrefixes: Map<string, Set<string>>;
  prefixBytes: Map<string, number>;
  personaRequests: number;
  /** Tokens of every persona request that were its static prefix (four characters a token). */
  prefixTokens: number;
}

export async function startFakeModel(settings: ModelSettings): Promise<{ fake: FakeOpenAiServer; prefixes: PrefixCheck }> {
  const prefixes: PrefixCheck = { distinctPrefixes: new Map(), prefixBytes: new Map(), personaRequests: 0, prefixTokens: 0 };
  const reply = Array.from({ length: settings.replyTokens }, (_, index) => words[index % words.length]).join(" ");
  const fake = await FakeOpenAiServer.start({
    firstTokenMs: typeof settings.firstToken === "number" ? settings.firstToken : undefined,
    firstTokenDelay: settings.firstToken === "long-tail" ? logNormal(700, 4_000) : undefined,
    tokensPerSecond: settings.tokensPerSecond,
    stampTokens: settings.stamp,
    record: false,
    ...(settings.audio ? { audio: settings.audio } : {}),
    reply: () => reply,
    // Levels spread over the scale, so the stored scorecards are not all alike.
    json: (request) => faithfulJudgeAnswer(request, (index) => 1 + (index % 4)),
    onRequest: (request) => {
      if (request.response_format) return;
      const system = String(request.messages[0]?.content ?? "");
      const scenario = system.match(/^[^\n]*/)?.[0] ?? "";
      prefixes.personaRequests++;
      const seen = prefixes.distinctPrefixes.get(scenario) ?? new Set<string>();
      seen.add(createHash("sha256").update(system).digest("hex"));
      prefixes.distinctPrefixes.set(scenario, seen);
      prefixes.prefixBytes.set(scenario, Buffer.byteLength(system));
      prefixes.prefixTokens += system.length / 4;
    },
  });
  return { fake, prefixes };
}

