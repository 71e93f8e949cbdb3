import { existsSync } from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { AppError } from "../app-error.ts";

const notBuiltPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Spar</title></head>
<body><main><h1>Spar</h1><p>The web app has not been built. Run <code>pnpm start</code> from the
repository root (it builds the app and starts the server), or <code>pnpm --filter @spar/web build</code>.</p></main></body></html>`;

/**
 * Serves the built React app from one origin with the API. Paths that are not API routes or
 * files get index.html, so the browser router can handle deep links.
 */
export const webApp = fp(async (app: FastifyInstance, options: { distDir: string }) => {
  const built = existsSync(path.join(options.distDir, "index.html"));
  if (built) {
    await app.register(fastifyStatic, {
      root: options.distDir,
      wildcard: false,
      // The build puts brotli and gzip copies beside the large files (voice-activity detection's
      // WebAssembly and model, vite-plugins/voice-activity-assets.ts): sent with Content-Encoding
      // where the browser accepts them, and the file itself where there is no copy.
      preCompressed: true,
      // Hashed asset names never change content, so browsers may keep them for a year.
      setHeaders: (response, filePath) => {
        if (filePath.includes(`${path.sep}assets${path.sep}`)) {
          response.header("cache-control", "public, max-age=31536000, immutable");
        }
      },
    });
  }
  app.get("/*", { config: { access: "public" } }, async (request, reply) => {
    // Through the error handler, like every other error: the same body, and counted.
    if (request.url.startsWith("/api/")) throw new AppError(404, "NOT_FOUND", `No route for GET ${request.url}.`);
    if (!built) return reply.type("text/html").send(notBuiltPage);
    return reply.header("cache-control", "no-cache").sendFile("index.html");
  });
});
