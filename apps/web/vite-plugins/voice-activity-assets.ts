import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Plugin } from "vite";
import { quietVoiceActivityCode } from "./quiet-voice-activity.ts";

const require = createRequire(import.meta.url);

// Both packages keep these files beside the entry points they export (their `dist` folders).
const detectorFolder = path.dirname(require.resolve("@ricky0123/vad-web"));
const runtimeFolder = path.dirname(require.resolve("onnxruntime-web/wasm"));

/** The files voice-activity detection loads at run time, by the name it asks for. */
const files = new Map(
  [
    ...["vad.worklet.bundle.min.js", "silero_vad_v5.onnx"].map((name) => [name, path.join(detectorFolder, name)] as const),
    ...["ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm"].map((name) => [name, path.join(runtimeFolder, name)] as const),
  ],
);

/** A file's bytes as the browser gets them: the detector's worklet with its console lines quieted (quiet-voice-activity.ts). */
function contents(name: string, file: string): Buffer {
  const bytes = readFileSync(file);
  return name === "vad.worklet.bundle.min.js" ? Buffer.from(quietVoiceActivityCode(bytes.toString("utf8"), "dist/vad.worklet.bundle.min.js")) : bytes;
}

const folder = "voice-activity";

const contentTypes: Record<string, string> = {
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".onnx": "application/octet-stream",
};

/**
 * Serves the voice-activity detector's model, worklet and ONNX Runtime's WebAssembly from the app's
 * own origin, under /voice-activity/: copied into the build, and served by the dev server. They
 * keep the names the libraries ask for (no hash), so the server sends them with revalidation.
 */
export function voiceActivityAssets(): Plugin {
  return {
    name: "spar-voice-activity-assets",
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const [pathname = ""] = (request.url ?? "").split("?");
        const name = pathname.startsWith(`/${folder}/`) ? pathname.slice(folder.length + 2) : "";
        const file = files.get(name);
        if (!file) return next();
        response.setHeader("content-type", contentTypes[path.extname(file)] ?? "application/octet-stream");
        response.end(contents(name, file));
      });
    },
    generateBundle() {
      for (const [name, file] of files) {
        this.emitFile({ type: "asset", fileName: `${folder}/${name}`, source: contents(name, file) });
      }
    },
  };
}
