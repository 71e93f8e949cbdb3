import { createHash } from "node:crypto";
import type { Clock, OidcLoginStates, SsoIdentity } from "@spar/domain";
import type { SsoErrorReason } from "@spar/protocol";
import * as client from "openid-client";
import { type OidcProviderClient, ProviderProblem } from "./oidc-provider-client.ts";

/** How long a person has between leaving for the provider and coming back. */
export const loginStateMs = 10 * 60_000;

export type Refusal = { ok: false; reason: SsoErrorReason; detail?: string };

const hashOf = (state: string) => createHash("sha256").update(state).digest("base64url");

function verified(value: unknown): boolean {
  // Some providers send the claim as a string.
  return value === true || value === "true";
}

/**
 * The two halves of an authorization code flow with PKCE: `start` remembers the attempt and
 * names the provider's page; `finish` takes the attempt back exactly once and turns the
 * provider's answer into a verified identity.
 */
export class OidcLogin {
  constructor(private readonly deps: { provider: OidcProviderClient; states: OidcLoginStates; clock: Clock }) {}

  /** `state` goes into the browser's cookie too: the callback must come back to the browser that started. */
  async start(returnTo: string): Promise<{ ok: true; redirectTo: URL; state: string } | Refusal> {
    const attempt = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
    };
    let redirectTo: URL;
    try {
      // Discovery first: an attempt is only saved when the provider can be reached.
      redirectTo = await this.deps.provider.authorizationUrl(attempt);
    } catch (error) {
      return refusalOf(error);
    }
    const now = this.deps.clock.now();
    await this.deps.states.save(
      {
        stateHash: hashOf(attempt.state),
        codeVerifier: attempt.codeVerifier,
        nonce: attempt.nonce,
        returnTo,
        expiresAt: new Date(now.getTime() + loginStateMs),
      },
      now,
    );
    return { ok: true, redirectTo, state: attempt.state };
  }

  async finish(
    query: URLSearchParams,
    browserState: string | undefined,
  ): Promise<{ ok: true; identity: SsoIdentity; returnTo: string } | Refusal> {
    const state = query.get("state");
    if (!state || !browserState || state !== browserState)
      return { ok: false, reason: "state_invalid", detail: "the state does not match this browser's" };
    const saved = await this.deps.states.take(hashOf(state), this.deps.clock.now());
    if (!saved) return { ok: false, reason: "state_invalid", detail: "unknown, used or expired state" };
    const error = query.get("error");
    if (error)
      return { ok: false, reason: "provider_denied", detail: `${error}: ${query.get("error_description") ?? ""}` };

    const callbackUrl = new URL(this.deps.provider.redirectUri);
    callbackUrl.search = query.toString();
    try {
      const claims = await this.deps.provider.exchange(callbackUrl, {
        state,
        nonce: saved.nonce,
        codeVerifier: saved.codeVerifier,
      });
      return {
        ok: true,
        returnTo: saved.returnTo,
        identity: {
          subject: `${claims.iss} ${claims.sub}`,
          email: typeof claims.email === "string" && claims.email.includes("@") ? claims.email : null,
          emailVerified: verified(claims.email_verified),
          name: typeof claims.name === "string" ? claims.name : null,
        },
      };
    } catch (error) {
      return refusalOf(error);
    }
  }
}

function refusalOf(error: unknown): Refusal {
  if (!(error instanceof ProviderProblem)) throw error;
  const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : String(error.cause);
  return { ok: false, reason: error.reason, detail: cause };
}
