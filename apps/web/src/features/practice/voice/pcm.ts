// Audio as the practice socket carries it: 16-bit little-endian mono PCM. Pure functions and small
// classes, shared by the capture worklet (which runs on the audio thread) and the player.

/** The rate the learner's speech is sent at: speech-to-text services work at 16 kHz. */
export const speechSampleRate = 16_000;

/** How long each frame of the learner's speech is. */
export const frameMs = 40;

/**
 * Lowers the sample rate by averaging the input samples that fall within each output sample (a
 * box filter, which also keeps most of what is above the new Nyquist frequency out). Keeps its
 * place between calls, so blocks of any size, and ratios that are not whole numbers (44.1 kHz to
 * 16 kHz), come out evenly spaced.
 */
export class Downsampler {
  private readonly ratio: number;
  private untilNext: number;
  private sum = 0;
  private count = 0;

  constructor(
    readonly inputRate: number,
    readonly outputRate: number = Math.min(speechSampleRate, inputRate),
  ) {
    if (outputRate > inputRate) throw new RangeError(`Cannot raise ${inputRate} Hz to ${outputRate} Hz.`);
    this.ratio = inputRate / outputRate;
    this.untilNext = this.ratio;
  }

  process(input: Float32Array): Float32Array {
    const output = new Float32Array(Math.ceil((input.length + this.count) / this.ratio) + 1);
    let written = 0;
    for (const sample of input) {
      this.sum += sample;
      this.count += 1;
      this.untilNext -= 1;
      if (this.untilNext <= 0) {
        output[written] = this.sum / this.count;
        written += 1;
        this.sum = 0;
        this.count = 0;
        this.untilNext += this.ratio;
      }
    }
    return output.subarray(0, written);
  }
}

/** Float samples (-1 to 1) as 16-bit little-endian PCM, clipped. */
export function toPcm16(samples: Float32Array): ArrayBuffer {
  const buffer = new ArrayBuffer(samples.length * 2);
  const view = new DataView(buffer);
  samples.forEach((sample, index) => {
    const clipped = Math.max(-1, Math.min(1, sample));
    view.setInt16(index * 2, clipped < 0 ? clipped * 0x8000 : clipped * 0x7fff, true);
  });
  return buffer;
}

/** Cuts a stream of samples into frames of exactly `frameSamples`, as 16-bit PCM. */
export class PcmFramer {
  private readonly pending: Float32Array;
  private filled = 0;

  constructor(readonly frameSamples: number) {
    this.pending = new Float32Array(frameSamples);
  }

  push(samples: Float32Array): ArrayBuffer[] {
    const frames: ArrayBuffer[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const taken = Math.min(this.frameSamples - this.filled, samples.length - offset);
      this.pending.set(samples.subarray(offset, offset + taken), this.filled);
      this.filled += taken;
      offset += taken;
      if (this.filled === this.frameSamples) {
        frames.push(toPcm16(this.pending));
        this.filled = 0;
      }
    }
    return frames;
  }
}

/**
 * Reads 16-bit little-endian PCM arriving in pieces of any length: a piece may end half-way
 * through a sample, whose first byte is kept for the next.
 */
export class Pcm16Reader {
  private carry: number | null = null;

  read(bytes: Uint8Array): Float32Array<ArrayBuffer> {
    const joined = this.carry === null ? bytes : new Uint8Array([this.carry, ...bytes]);
    const whole = joined.length - (joined.length % 2);
    this.carry = whole < joined.length ? (joined[whole] ?? 0) : null;
    const view = new DataView(joined.buffer, joined.byteOffset, whole);
    const samples = new Float32Array(whole / 2);
    for (let index = 0; index < samples.length; index += 1) samples[index] = view.getInt16(index * 2, true) / 0x8000;
    return samples;
  }
}
