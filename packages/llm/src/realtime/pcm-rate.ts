/**
 * 16-bit mono PCM from one sample rate to another, by linear interpolation. The browser captures
 * the learner at 16 kHz and the Realtime API takes 24 kHz: speech lies below 8 kHz, so raising
 * the rate adds no aliasing and interpolation is all it needs (decision record 0013).
 */
export function resamplePcm16(pcm: Uint8Array, fromRate: number, toRate: number): Buffer {
  const input = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength - (pcm.byteLength % 2));
  if (fromRate === toRate) return Buffer.from(input);
  const inCount = input.length / 2;
  if (inCount === 0) return Buffer.alloc(0);
  const outCount = Math.max(1, Math.round((inCount * toRate) / fromRate));
  const output = Buffer.alloc(outCount * 2);
  const step = fromRate / toRate;
  for (let index = 0; index < outCount; index++) {
    const at = index * step;
    const left = Math.min(Math.floor(at), inCount - 1);
    const right = Math.min(left + 1, inCount - 1);
    const share = at - left;
    const sample = input.readInt16LE(left * 2) * (1 - share) + input.readInt16LE(right * 2) * share;
    output.writeInt16LE(Math.round(sample), index * 2);
  }
  return output;
}
