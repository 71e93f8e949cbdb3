// Silero voice-activity detection (@ricky0123/vad-web on onnxruntime-web), loaded with import()
// only once the learner chooses to speak, so typing never downloads it. Its model, worklet and
// WebAssembly files are served from Spar's own origin (vite-plugins/voice-activity-assets.ts):
// nothing comes from a CDN, and voice practice works offline.
import { MicVAD } from "@ricky0123/vad-web";
import { PauseWatcher } from "./pause-watcher.ts";

export interface VoiceActivityEvents {
  /** Speech may have begun (a frame above the speech threshold). */
  onSpeechStart: () => void;
  /** It was speech, and it has ended (after `redemptionMs` of quiet). */
  onSpeechEnd: () => void;
  /** It stopped before `minSpeechMs`: a cough, a click, an "mm". */
  onMisfire: () => void;
  /** The learner went quiet mid-speech (the end may follow `speechEndQuietMs` later). */
  onPause: () => void;
  /** They spoke again after a pause. */
  onResume: () => void;
}

export interface VoiceActivity {
  stop: () => Promise<void>;
}

/** Where the plugin puts the files: beside the app, under its base path. */
const assetPath = `${import.meta.env.BASE_URL}voice-activity/`;

/** Silero v5 looks at 32 ms frames of 16 kHz audio. */
export const speechEndQuietMs = 700;
export const shortestSpeechMs = 300;

const speechThreshold = 0.5;
const quietThreshold = 0.35;

export async function startVoiceActivity(context: AudioContext, stream: MediaStream, events: VoiceActivityEvents): Promise<VoiceActivity> {
  const pauses = new PauseWatcher({ speech: speechThreshold, quiet: quietThreshold }, events);
  const detector = await MicVAD.new({
    model: "v5",
    audioContext: context,
    // The microphone is Spar's, shared with the capture worklet: the detector only listens.
    getStream: async () => stream,
    pauseStream: async () => {},
    resumeStream: async () => stream,
    baseAssetPath: assetPath,
    onnxWASMBasePath: assetPath,
    ortConfig: (ort) => {
      // ONNX Runtime's own switch: errors only. The detector has none for its lines; the build
      // quiets them (vite-plugins/quiet-voice-activity.ts).
      ort.env.logLevel = "error";
      // Threads need a cross-origin isolated page (SharedArrayBuffer); one is plenty for 32 ms frames.
      ort.env.wasm.numThreads = 1;
    },
    positiveSpeechThreshold: speechThreshold,
    negativeSpeechThreshold: quietThreshold,
    redemptionMs: speechEndQuietMs,
    minSpeechMs: shortestSpeechMs,
    preSpeechPadMs: 0,
    onSpeechStart: () => {
      pauses.started();
      events.onSpeechStart();
    },
    onSpeechEnd: () => {
      pauses.stopped();
      events.onSpeechEnd();
    },
    onVADMisfire: () => {
      pauses.stopped();
      events.onMisfire();
    },
    onFrameProcessed: (probabilities) => pauses.frame(probabilities.isSpeech),
    startOnLoad: true,
  });
  return { stop: () => detector.destroy() };
}
