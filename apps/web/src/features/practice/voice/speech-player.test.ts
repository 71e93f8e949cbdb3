import { describe, expect, it } from "vitest";
import { type PlayedReport, SpeechPlayer } from "./speech-player.ts";

// A stand-in for the few Web Audio objects the player uses, on a clock the test moves: every
// piece started (when, from how far in) and stopped is recorded.
interface FakeSource {
  buffer: { duration: number } | null;
  onended: (() => void) | null;
  startedAt: number | null;
  offset: number;
  stopped: boolean;
  connect(): void;
  disconnect(): void;
  start(when: number, offset?: number): void;
  stop(): void;
}

function fakeContext() {
  const sources: FakeSource[] = [];
  const context = {
    currentTime: 0,
    destination: {},
    createGain: () => ({ gain: {}, connect() {}, disconnect() {} }),
    createBuffer: (_channels: number, length: number, sampleRate: number) => ({ duration: length / sampleRate, copyToChannel() {} }),
    createBufferSource: () => {
      const source: FakeSource = {
        buffer: null,
        onended: null,
        startedAt: null,
        offset: 0,
        stopped: false,
        connect() {},
        disconnect() {},
        start(when, offset = 0) {
          source.startedAt = when;
          source.offset = offset;
        },
        stop() {
          source.stopped = true;
        },
      };
      sources.push(source);
      return source;
    },
  };
  /** Moves the clock on, ending every piece that has played out by then. */
  const advance = (to: number) => {
    context.currentTime = to;
    for (const source of sources) {
      const ends = (source.startedAt ?? Number.POSITIVE_INFINITY) + (source.buffer?.duration ?? 0) - source.offset;
      if (!source.stopped && ends <= to) {
        source.stopped = true;
        source.onended?.();
      }
    }
  };
  return { context: context as unknown as AudioContext, sources, advance };
}

const text = "I have told you this twice already.";
const speechStart = { type: "speech-start", sessionId: "s", seq: 3, index: 0, text, from: 0, to: text.length, format: "pcm", sampleRate: 1_000 } as const;
/** One second of 16-bit audio at 1 kHz. */
const oneSecond = new ArrayBuffer(2_000);
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

async function playing() {
  const fake = fakeContext();
  const reports: PlayedReport[] = [];
  const player = new SpeechPlayer(fake.context, (report) => reports.push(report), () => {});
  player.speechStart(speechStart);
  player.audio(oneSecond);
  player.speechEnd({ type: "speech-end", sessionId: "s", seq: 3, index: 0, last: true });
  await settled();
  return { ...fake, player, reports };
}

describe("SpeechPlayer holding the persona while the learner may be speaking", () => {
  it("stops at once when held, and plays on from exactly where it stopped when released", async () => {
    const { player, sources, advance, reports } = await playing();
    expect(sources[0]).toMatchObject({ startedAt: 0, offset: 0 });
    advance(0.4);
    player.hold();
    expect(sources[0]?.stopped).toBe(true);
    // An "mm-hm": released 0.3 s later, the rest of the piece plays from 0.4 s in.
    advance(0.7);
    player.release();
    expect(sources[1]).toMatchObject({ startedAt: 0.7, offset: expect.closeTo(0.4, 6) });
    advance(1.3);
    // Played through: its time counts the audio, not the hold.
    expect(reports).toEqual([{ seq: 3, playedMs: 1_000, stopped: false }]);
  });

  it("ends the turn as heard up to the hold when the learner keeps speaking", async () => {
    const { player, sources, advance, reports } = await playing();
    advance(0.5);
    player.hold();
    advance(0.8);
    const report = player.stop();
    expect(report).toEqual({ seq: 3, playedMs: 500, heardChars: Math.floor(text.length / 2), stopped: true });
    expect(reports).toEqual([report]);
    // Nothing of it starts again.
    player.release();
    expect(sources.filter((source) => source.startedAt !== null)).toHaveLength(1);
  });

  it("keeps audio that arrives while held for when it is released", async () => {
    const fake = fakeContext();
    const reports: PlayedReport[] = [];
    const player = new SpeechPlayer(fake.context, (report) => reports.push(report), () => {});
    player.speechStart(speechStart);
    player.hold();
    player.audio(oneSecond);
    player.speechEnd({ type: "speech-end", sessionId: "s", seq: 3, index: 0, last: true });
    await settled();
    expect(fake.sources.filter((source) => source.startedAt !== null)).toHaveLength(0);
    fake.advance(0.2);
    player.release();
    expect(fake.sources.at(-1)).toMatchObject({ startedAt: 0.2, offset: 0 });
    fake.advance(1.2);
    expect(reports).toEqual([{ seq: 3, playedMs: 1_000, stopped: false }]);
  });
});
