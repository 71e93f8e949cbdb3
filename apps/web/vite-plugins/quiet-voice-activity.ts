import type { Plugin } from "vite";

// @ricky0123/vad-web 0.0.31 writes to the console while it loads, starts and stops ("VAD | debug >
// Loading VAD...", "using custom audio context", "VAD | debug > destroy called"): its logger is a
// fixed module that calls console.log for every level, and it has no option to quiet it (only
// ONNX Runtime's log level, which voice-activity.ts sets through `ortConfig`; upstream asks for one
// in ricky0123/vad#253). So Spar rewrites that logger where it bundles the detector: debug and warn
// lines are dropped, errors still go to console.error. Failures that stop voice from starting are
// thrown as well, and the practice room reports those in words.

/** The logger's one call, in the module and in the minified worklet bundle: `console.log(`VAD | ${level} >`, message)`. */
const loggerCall = /console\.log\(`VAD \| \$\{(\w+)\} >`,\s*(\w+)\)/g;

/** Lines real-time-vad.js writes straight to the console on every start. */
const startLines = [`console.log("using custom audio context");`, `console.log("using default audio context");`];

/** The detector's files that log, by the end of their path. */
export const noisyFiles = ["dist/logging.js", "dist/real-time-vad.js", "dist/vad.worklet.bundle.min.js"] as const;

/**
 * The file's code with its console lines quieted. Throws where the expected code is missing, so an
 * upgrade of the detector fails the build instead of quietly bringing the lines back.
 */
export function quietVoiceActivityCode(code: string, file: (typeof noisyFiles)[number]): string {
  if (file === "dist/real-time-vad.js") {
    const missing = startLines.filter((line) => !code.includes(line));
    if (missing.length > 0) throw new Error(`@ricky0123/vad-web ${file} no longer has ${missing.join(" ")}: check how it logs now.`);
    return startLines.reduce((quieted, line) => quieted.replaceAll(line, ""), code);
  }
  const quieted = code.replace(loggerCall, (_call, level: string, message: string) => `${level} === "error" && console.error(\`VAD | \${${level}} >\`, ${message})`);
  if (quieted === code) throw new Error(`@ricky0123/vad-web ${file} no longer logs through console.log(\`VAD | …\`): check how it logs now.`);
  return quieted;
}

function noisyFile(id: string): (typeof noisyFiles)[number] | undefined {
  const path = id.split("?")[0]?.replaceAll("\\", "/") ?? "";
  return path.includes("/@ricky0123/vad-web/") ? noisyFiles.find((file) => path.endsWith(`/@ricky0123/vad-web/${file}`)) : undefined;
}

const transform = (code: string, id: string) => {
  const file = noisyFile(id);
  return file ? { code: quietVoiceActivityCode(code, file), map: null } : null;
};

/**
 * Quiets the detector in the build and in the dev server, whose dependency bundler does not run
 * Vite's own plugins, so it is given the same transform. (The worklet bundle is not a module of
 * the app: voice-activity-assets.ts quiets it as it copies it.)
 */
export function quietVoiceActivity(): Plugin {
  return {
    name: "spar-quiet-voice-activity",
    config: () => ({ optimizeDeps: { rolldownOptions: { plugins: [{ name: "spar-quiet-voice-activity", transform }] } } }),
    transform,
  };
}
