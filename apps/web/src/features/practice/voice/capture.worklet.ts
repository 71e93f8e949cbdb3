// Runs on the audio thread: the microphone's samples, downsampled to 16 kHz and cut into 16-bit
// PCM frames of `frameMs`, posted to the page (which sends them while an utterance is open).
// Loaded with `?worker&url`, so Vite bundles it, with pcm.ts, into one file on Spar's origin.
import { Downsampler, frameMs, PcmFramer } from "./pcm.ts";

// The AudioWorkletGlobalScope, which TypeScript's DOM library does not describe.
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly downsampler = new Downsampler(sampleRate);
  private readonly framer = new PcmFramer((this.downsampler.outputRate * frameMs) / 1000);

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (channel) {
      for (const frame of this.framer.push(this.downsampler.process(channel))) this.port.postMessage(frame, [frame]);
    }
    return true;
  }
}

registerProcessor("spar-capture", CaptureProcessor);
