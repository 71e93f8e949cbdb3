import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
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

// The server sends these instead where the browser accepts them (@fastify/static's preCompressed,
// apps/server/src/plugins/web-app.ts): ONNX Runtime's WebAssembly is 14 MB as it is, 2.3 MB as
// brotli. Brotli at its best takes half a minute on that file, so each result is kept in Vite's
// cache under the hash of what it compressed: a build compresses again only after an upgrade.
const encodings = [
  {
    extension: ".br",
    settings: "brotli q11 w24",
    compress: (source: Buffer) =>
      promisify(brotliCompress)(source, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
          [constants.BROTLI_PARAM_SIZE_HINT]: source.length,
        },
      }),
  },
  { extension: ".gz", settings: "gzip 9", compress: (source: Buffer) => promisify(gzip)(source, { level: constants.Z_BEST_COMPRESSION }) },
] as const;

async function compressed(source: Buffer, encoding: (typeof encodings)[number], cacheFolder: string): Promise<Buffer> {
  const key = createHash("sha256").update(encoding.settings).update(source).digest("hex");
  const cached = path.join(cacheFolder, key + encoding.extension);
  try {
    return readFileSync(cached);
  } catch {
    const result = await encoding.compress(source);
    // Written beside and renamed, so a build stopped halfway never leaves half a file to reuse.
    mkdirSync(cacheFolder, { recursive: true });
    const partial = `${cached}.${process.pid}.partial`;
    writeFileSync(partial, result);
    renameSync(partial, cached);
    return result;
  }
}

/**
 * Serves the voice-activity detector's model, worklet and ONNX Runtime's WebAssembly from the app's
 * own origin, under /voice-activity/: copied into the build with brotli and gzip copies beside
 * them, and served by the dev server. They keep the names the libraries ask for (no hash), so the
 * server sends them with revalidation.
 */
export function voiceActivityAssets(): Plugin {
  let cacheFolder = "";
  return {
    name: "spar-voice-activity-assets",
    configResolved(config) {
      cacheFolder = path.join(config.cacheDir, "spar-voice-activity");
    },
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
    async generateBundle() {
      const emitted = [...files].map(async ([name, file]) => {
        const source = contents(name, file);
        this.emitFile({ type: "asset", fileName: `${folder}/${name}`, source });
        for (const encoding of encodings) {
          const smaller = await compressed(source, encoding, cacheFolder);
          // A copy no smaller than the file would only cost the server a look.
          if (smaller.length < source.length) this.emitFile({ type: "asset", fileName: `${folder}/${name}${encoding.extension}`, source: smaller });
        }
      });
      await Promise.all(emitted);
    },
  };
}
