import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsync } from "fastify";
import type { Registry } from "prom-client";
import { AppError } from "../../app-error.ts";

export interface MetricsRouteOptions {
  registry: Registry;
  /** When set, scrapers must send `Authorization: Bearer <token>`. */
  token: string | null;
}

/** Compared as digests, so neither the token's length nor its content leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** GET /metrics in Prometheus's text format, outside /api like /health. */
export const metricsRoute: FastifyPluginAsync<MetricsRouteOptions> = async (app, { registry, token }) => {
  app.get(
    "/metrics",
    {
      // No session cookie here: a scraper is not a user. The bearer token, when set, is the check.
      // Prometheus scrapes each process at its own address, so any Host is answered.
      config: { access: "public", anyHost: true },
      // A scrape every few seconds would drown the request log; failures are still logged.
      logLevel: "warn",
      onRequest: async (request, reply) => {
        if (token === null) return;
        const [scheme, given] = (request.headers.authorization ?? "").split(" ");
        if (scheme?.toLowerCase() !== "bearer" || !given || !sameSecret(given, token)) {
          reply.header("www-authenticate", 'Bearer realm="metrics"');
          throw new AppError(401, "UNAUTHENTICATED", "Send the metrics token as `Authorization: Bearer <token>`.");
        }
      },
    },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
};
