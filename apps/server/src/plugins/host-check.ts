import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { AppError } from "../app-error.ts";
import { hostNameOf } from "../public-address.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Answered whatever Host the request names: probes and scrapers address a process by its own address. */
    anyHost?: boolean;
  }
}

export const hostNotAllowed = () =>
  new AppError(
    421,
    "HOST_NOT_ALLOWED",
    "This Spar does not answer for the host this request names. Open it at its public address; an operator can add another name to SPAR_ALLOWED_HOSTS.",
  );

/**
 * Refuses, before any route runs, a request whose Host is not one of Spar's own names. A page on
 * a site whose name an attacker points at Spar's address (DNS rebinding) is same-origin to the
 * browser, so no origin or cookie check stops it; its Host header still names the attacker's site.
 */
export const hostCheck = fp(async (app: FastifyInstance, options: { hostNames: ReadonlySet<string> }) => {
  app.addHook("onRequest", async (request) => {
    if (request.routeOptions.config.anyHost) return;
    const name = hostNameOf(request.headers.host);
    if (name === null || !options.hostNames.has(name)) {
      request.log.info({ host: request.headers.host }, "refused a request for a host that is not Spar's");
      throw hostNotAllowed();
    }
  });
});
