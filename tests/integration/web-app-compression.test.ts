// The built web app's large files go compressed where the browser accepts it: the build writes
// brotli and gzip copies of voice-activity detection's WebAssembly and model beside them
// (apps/web/vite-plugins/voice-activity-assets.ts), and the server sends the best copy the
// request accepts, with Content-Encoding, the file's own type and Vary: Accept-Encoding. Needs
// the built app (scripts/test-prerequisites.sh builds it).
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const wasm = "/voice-activity/ort-wasm-simd-threaded.wasm";

describe("compressed voice-activity files", () => {
  let server: TestApp;
  let plain: Buffer;

  const get = (url: string, acceptEncoding?: string) =>
    server.app.inject({ method: "GET", url, headers: acceptEncoding === undefined ? {} : { "accept-encoding": acceptEncoding } });

  beforeAll(async () => {
    server = await startTestApp("pglite");
    const response = await get(wasm);
    expect(response.statusCode).toBe(200);
    plain = response.rawPayload;
  });
  afterAll(() => server?.close());

  it("sends the WebAssembly as it is to a client that accepts no encoding", async () => {
    const response = await get(wasm);
    expect(response.headers["content-encoding"]).toBeUndefined();
    expect(response.headers["content-type"]).toBe("application/wasm");
    // The magic number of a WebAssembly module.
    expect(plain.subarray(0, 4)).toEqual(Buffer.from([0x00, 0x61, 0x73, 0x6d]));
  });

  it.each([
    ["br", "br", brotliDecompressSync],
    ["gzip", "gzip", gunzipSync],
    // What browsers send: brotli is preferred.
    ["br", "gzip, deflate, br, zstd", brotliDecompressSync],
  ] as const)("sends %s to a client that accepts %s, the same bytes in under a third of the size", async (encoding, accepted, decompress) => {
    const response = await get(wasm, accepted);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-encoding"]).toBe(encoding);
    // The type of what it decodes to, which WebAssembly.instantiateStreaming insists on.
    expect(response.headers["content-type"]).toBe("application/wasm");
    expect(String(response.headers.vary)).toMatch(/accept-encoding/i);
    expect(Number(response.headers["content-length"])).toBe(response.rawPayload.length);
    expect(response.rawPayload.length).toBeLessThan(plain.length / 3);
    expect(decompress(response.rawPayload).equals(plain)).toBe(true);
  });

  it("sends the detector's model compressed too", async () => {
    const response = await get("/voice-activity/silero_vad_v5.onnx", "br");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-encoding"]).toBe("br");
    expect(response.headers["content-type"]).toBe("application/octet-stream");
  });

  it("sends a file without a compressed copy as it is, whatever the client accepts", async () => {
    const response = await get("/", "br");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-encoding"]).toBeUndefined();
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
  });
});
