import * as client from "openid-client";

export interface OidcClientSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** PUBLIC_URL + /api/auth/oidc/callback: registered at the provider. */
  redirectUri: URL;
}

/** Why talking to the provider failed: it could not be reached, or its answer did not hold up. */
export class ProviderProblem extends Error {
  constructor(
    readonly reason: "provider_unavailable" | "sign_in_failed",
    options: { cause: unknown },
  ) {
    super(
      reason === "provider_unavailable"
        ? "the OpenID provider could not be reached"
        : "the OpenID provider's answer was refused",
      options,
    );
  }
}

export interface ProviderClaims {
  iss: string;
  sub: string;
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
}

// Long enough for a slow provider, short enough that a person clicking "Sign in" hears back.
const requestTimeoutSeconds = 10;

function problemOf(error: unknown): ProviderProblem {
  if (error instanceof ProviderProblem) return error;
  // fetch raises TypeError when nothing answers (refused, DNS, TLS); openid-client marks timeouts.
  const unreachable =
    error instanceof TypeError || (error instanceof client.ClientError && error.code === "OAUTH_TIMEOUT");
  return new ProviderProblem(unreachable ? "provider_unavailable" : "sign_in_failed", { cause: error });
}

/**
 * The OpenID provider through openid-client. Discovery happens at the first sign-in, not at
 * start-up, so a provider that is down for a moment does not stop Spar; a failed discovery is
 * forgotten, so the next sign-in tries again.
 */
export class OidcProviderClient {
  #configuration: Promise<client.Configuration> | null = null;

  constructor(private readonly settings: OidcClientSettings) {}

  get redirectUri(): URL {
    return this.settings.redirectUri;
  }

  #discover(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    this.#configuration ??= client
      .discovery(issuer, clientId, undefined, client.ClientSecretBasic(clientSecret), {
        timeout: requestTimeoutSeconds,
        // An http:// issuer is someone's deliberate choice (a provider on the same host or in a
        // test); openid-client otherwise insists on https.
        execute: issuer.protocol === "http:" ? [client.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        this.#configuration = null;
        // Unreachable or answering with an error page, the provider cannot be used right now.
        throw new ProviderProblem("provider_unavailable", { cause: error });
      });
    return this.#configuration;
  }

  /** The provider's authorization endpoint with PKCE (S256), state and nonce. */
  async authorizationUrl(attempt: { state: string; nonce: string; codeVerifier: string }): Promise<URL> {
    const configuration = await this.#discover();
    return client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUri.href,
      response_type: "code",
      scope: "openid email profile",
      state: attempt.state,
      nonce: attempt.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(attempt.codeVerifier),
      code_challenge_method: "S256",
    });
  }

  /**
   * Exchanges the code of a callback for tokens, which openid-client checks (state, nonce, PKCE,
   * the ID token's signature, issuer, audience and times), and returns the person's claims. Claims
   * the ID token leaves out (a provider may keep `email` for UserInfo) are read from UserInfo.
   */
  async exchange(
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<ProviderClaims> {
    const configuration = await this.#discover();
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new ProviderProblem("sign_in_failed", { cause: new Error("no ID token") });
      const idClaims: ProviderClaims = { ...claims, iss: claims.iss, sub: claims.sub };
      if (idClaims.email !== undefined && idClaims.email_verified !== undefined) return idClaims;
      if (!configuration.serverMetadata().userinfo_endpoint) return idClaims;
      const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      // The ID token's own claims win: it is the signed statement.
      return { ...userInfo, ...idClaims };
    } catch (error) {
      throw problemOf(error);
    }
  }
}
