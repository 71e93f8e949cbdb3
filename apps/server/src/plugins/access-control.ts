import type { AccountService } from "@spar/domain";
import type { CurrentUser, Role } from "@spar/protocol";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { AppError, forbidden, unauthenticated } from "../app-error.ts";
import { setSessionCookie } from "../routes/http/session-cookie.ts";

export const sessionCookie = "spar_session";

/** Who may call a route: anyone, any signed-in user, or only the listed roles. */
export type RouteAccess = "public" | "signed-in" | readonly Role[];

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    viewer: CurrentUser | null;
  }
}

/** The signed-in user of a route whose access already guarantees one. */
export function viewerOf(request: FastifyRequest): CurrentUser {
  if (!request.viewer) throw unauthenticated();
  return request.viewer;
}

/**
 * Every API route must say who may call it (`config.access`); a route that does not is refused
 * at start-up, so no endpoint is left open by forgetting a check.
 */
export const accessControl = fp(async (app: FastifyInstance, options: { accounts: AccountService; secureCookies: boolean }) => {
  app.decorateRequest("viewer", null);

  app.addHook("onRoute", (route) => {
    if (route.url.startsWith("/api/") && route.config?.access === undefined) {
      throw new Error(`Route ${route.method} ${route.url} does not declare config.access`);
    }
  });

  app.addHook("onRequest", async (request, reply) => {
    const token = request.cookies[sessionCookie];
    if (!token) return;
    const authenticated = await options.accounts.authenticateSliding(token);
    request.viewer = authenticated?.user ?? null;
    // The expiry slid: send the cookie again with it, or the browser drops it at the old one and
    // an active person is signed out at the idle limit.
    if (authenticated?.extendedTo) setSessionCookie(reply, { token, expiresAt: authenticated.extendedTo }, options.secureCookies);
  });

  // Before body validation: someone who may not call a route learns nothing from its schema.
  app.addHook("preValidation", async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === "public") return;
    if (!request.viewer) throw unauthenticated();
    if (access !== "signed-in" && !access.includes(request.viewer.role)) {
      throw forbidden(`This is only for ${access.map((role) => roleNames[role]).join(" and ")}.`);
    }
  });
});

/** Who a route is for, as people call them. */
const roleNames: Record<Role, string> = { learner: "learners", manager: "managers", ld_admin: "L&D admins" };

export const originCheckFailed = () =>
  new AppError(403, "FOREIGN_ORIGIN", "This request came from another site and was refused.");

/** Same origin as the configured public URL, or as the host the browser addressed. */
export function isOwnOrigin(origin: string, publicOrigins: readonly string[], host: string | undefined): boolean {
  if (publicOrigins.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Browsers send Origin on cross-site requests; a state-changing request from a foreign origin is
 * refused, so a session cookie cannot be ridden by another site (SameSite=Lax covers the rest).
 */
export const originCheck = fp(async (app: FastifyInstance, options: { publicOrigins: readonly string[] }) => {
  app.addHook("onRequest", async (request) => {
    if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return;
    const origin = request.headers.origin;
    if (origin !== undefined && !isOwnOrigin(origin, options.publicOrigins, request.headers.host)) {
      throw originCheckFailed();
    }
  });
});
