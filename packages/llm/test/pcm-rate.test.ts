import { describe, expect, it } from "vitest";
import { resamplePcm16 } from "../src/realtime/pcm-rate.ts";

const pcm = (samples: number[]) => {
  const bytes = Buffer.alloc(samples.length * 2);
  for (const [index, sample] of samples.entries()) bytes.writeInt16LE(sample, index * 2);
  return bytes;
};
const samplesOf = (bytes: Buffer) => Array.from({ length: bytes.length / 2 }, (_, index) => bytes.readInt16LE(index * 2));

describe("resamplePcm16", () => {
  it("makes 16 kHz audio 24 kHz: three samples for every two, interpolated between them", () => {
    const out = resamplePcm16(pcm([0, 300, 600, 900]), 16_000, 24_000);
    expect(samplesOf(out)).toEqual([0, 200, 400, 600, 800, 900]);
  });

  it("keeps a second of audio a second long", () => {
    expect(resamplePcm16(Buffer.alloc(32_000), 16_000, 24_000).length).toBe(48_000);
  });

  it("keeps the shape of a tone: the peak stays where it was, in time", () => {
    const tone = Array.from({ length: 160 }, (_, index) => Math.round(Math.sin((index / 160) * 2 * Math.PI) * 10_000));
    const out = samplesOf(resamplePcm16(pcm(tone), 16_000, 24_000));
    expect(out).toHaveLength(240);
    expect(out.indexOf(Math.max(...out))).toBe(60);
    expect(Math.max(...out)).toBeGreaterThan(9_900);
  });

  it("drops an odd trailing byte and passes audio at the same rate through", () => {
    expect(samplesOf(resamplePcm16(Buffer.concat([pcm([5, -5]), Buffer.from([1])]), 24_000, 24_000))).toEqual([5, -5]);
    expect(resamplePcm16(Buffer.alloc(0), 16_000, 24_000).length).toBe(0);
  });
});
