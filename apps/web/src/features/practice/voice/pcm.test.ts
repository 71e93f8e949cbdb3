import { describe, expect, it } from "vitest";
import { Downsampler, Pcm16Reader, PcmFramer, toPcm16 } from "./pcm.ts";

const sine = (rate: number, hertz: number, seconds: number) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, index) => Math.sin((2 * Math.PI * hertz * index) / rate));

describe("Downsampler", () => {
  it("averages each group of three samples from 48 kHz to 16 kHz", () => {
    const downsampler = new Downsampler(48_000);
    expect(downsampler.outputRate).toBe(16_000);
    expect([...downsampler.process(Float32Array.from([0.3, 0.3, 0.3, 0, 0.6, 0.3]))].map((each) => each.toFixed(3))).toEqual(["0.300", "0.300"]);
  });

  it("gives the same samples however the input is cut into blocks, at a ratio that is not whole", () => {
    const input = sine(44_100, 440, 0.5);
    const whole = new Downsampler(44_100).process(input);
    const pieces = new Downsampler(44_100);
    const cut: number[] = [];
    for (let offset = 0; offset < input.length; offset += 128) cut.push(...pieces.process(input.subarray(offset, offset + 128)));
    expect(cut.length).toBe(whole.length);
    expect(cut.every((sample, index) => Math.abs(sample - (whole[index] ?? Number.NaN)) < 1e-6)).toBe(true);
    // Half a second at 16 kHz, give or take the sample still being filled.
    expect(Math.abs(whole.length - 8_000)).toBeLessThanOrEqual(1);
  });

  it("keeps a speech-band tone's loudness", () => {
    const output = new Downsampler(48_000).process(sine(48_000, 300, 0.2));
    const peak = Math.max(...output.map(Math.abs));
    expect(peak).toBeGreaterThan(0.95);
  });

  it("passes a rate below 16 kHz through unchanged rather than raising it", () => {
    const downsampler = new Downsampler(8_000);
    expect(downsampler.outputRate).toBe(8_000);
    expect([...downsampler.process(Float32Array.from([0.5, -0.5]))]).toEqual([0.5, -0.5]);
    expect(() => new Downsampler(8_000, 16_000)).toThrow(RangeError);
  });
});

describe("16-bit PCM", () => {
  it("writes little-endian samples, clipped to the range", () => {
    const bytes = new Uint8Array(toPcm16(Float32Array.from([0, 1, -1, 2, -0.5])));
    expect([...bytes]).toEqual([0x00, 0x00, 0xff, 0x7f, 0x00, 0x80, 0xff, 0x7f, 0x00, 0xc0]);
  });

  it("cuts samples into frames of a fixed length, keeping the rest for the next push", () => {
    const framer = new PcmFramer(4);
    expect(framer.push(new Float32Array(3))).toEqual([]);
    const frames = framer.push(Float32Array.from([0.5, 0, 0, 0, 0, 0]));
    expect(frames.map((frame) => frame.byteLength)).toEqual([8, 8]);
    expect(new DataView(frames[0] as ArrayBuffer).getInt16(6, true)).toBe(Math.trunc(0.5 * 0x7fff));
    expect(framer.push(new Float32Array(2)).length).toBe(0);
    expect(framer.push(new Float32Array(3)).length).toBe(1);
  });

  it("reads samples back across pieces that split a sample in two", () => {
    const bytes = new Uint8Array(toPcm16(Float32Array.from([0.25, -0.25, 0.5])));
    const reader = new Pcm16Reader();
    const samples = [...reader.read(bytes.subarray(0, 3)), ...reader.read(bytes.subarray(3))];
    expect(samples.map((sample) => sample.toFixed(2))).toEqual(["0.25", "-0.25", "0.50"]);
  });
});
