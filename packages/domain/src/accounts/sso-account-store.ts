/** A Spar account as single sign-on sees it. */
export interface SsoAccount {
  id: string;
  /** `<issuer> <sub>` of the provider account linked to it, once the person signed in with SSO. */
  oidcSubject: string | null;
  disabledAt: Date | null;
  erasedAt: Date | null;
}

export type SubjectLink = { ok: true } | { ok: false; reason: "linked-elsewhere" | "deactivated" };

/** What single sign-on needs from storage; the db package implements it with Prisma. */
export interface SsoAccountStore {
  findBySubject(subject: string): Promise<SsoAccount | null>;
  findByEmail(email: string): Promise<SsoAccount | null>;
  /**
   * Links the provider account to the Spar account in the statement that writes, only while the
   * Spar account is active and unlinked (or already linked to this subject), so two first
   * sign-ins racing cannot link one account twice.
   */
  linkSubject(userId: string, subject: string): Promise<SubjectLink>;
}

/** One sign-in attempt between the redirect to the provider and its return. */
export interface OidcLoginState {
  /** SHA-256 of the `state` parameter; the state itself only travels in the browser's cookie and the URL. */
  stateHash: string;
  codeVerifier: string;
  nonce: string;
  returnTo: string;
  expiresAt: Date;
}

export interface OidcLoginStates {
  /** Saves a new attempt (and sweeps attempts that expired by `now`). */
  save(state: OidcLoginState, now: Date): Promise<void>;
  /** Takes the attempt with this hash if it has not expired, deleting it in the same statement: a state works once. */
  take(stateHash: string, now: Date): Promise<OidcLoginState | null>;
}
