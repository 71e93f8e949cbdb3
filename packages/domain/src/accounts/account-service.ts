import type { CreateFirstAdminRequest, CurrentUser } from "@spar/protocol";
import type { Clock } from "../ports/clock.ts";
import type { AccountStore, PasswordHasher, TokenSource, UserRecord } from "./account-store.ts";
import { checkSession, initialExpiry, type SessionPolicy } from "./session-policy.ts";

export interface AccountDeps {
  store: AccountStore;
  passwords: PasswordHasher;
  tokens: TokenSource;
  clock: Clock;
  sessionPolicy: SessionPolicy;
  /** Passwords too common to allow, lower-cased. */
  commonPasswords?: ReadonlySet<string>;
}

/** Why a new password is refused, in words for the person choosing it; null when it is fine. */
export function newPasswordProblem(password: string, commonPasswords: ReadonlySet<string>): string | null {
  if (password.length < 10) return "Use at least 10 characters.";
  if (commonPasswords.has(password.toLowerCase())) {
    return "That password is on a list of common passwords that attackers try first. Choose another.";
  }
  return null;
}

export type PasswordChange = { ok: true } | { ok: false; reason: "wrong-password" | "weak-password"; message: string };

export interface SignedIn {
  user: CurrentUser;
  /** The secret for the cookie; never stored. */
  token: string;
  expiresAt: Date;
}

export function toCurrentUser(user: UserRecord): CurrentUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export class AccountService {
  // Verified against when the email is unknown, so both failures take the same time and an
  // attacker cannot learn which addresses have accounts.
  #decoyHash: Promise<string> | undefined;

  constructor(private readonly deps: AccountDeps) {}

  async signIn(email: string, password: string): Promise<SignedIn | null> {
    const user = await this.deps.store.findUserByEmail(email);
    if (!user || user.disabledAt || !user.passwordHash) {
      this.#decoyHash ??= this.deps.passwords.hash("decoy password that matches nothing");
      await this.deps.passwords.verify(await this.#decoyHash, password);
      return null;
    }
    if (!(await this.deps.passwords.verify(user.passwordHash, password))) return null;
    return this.#startSession(user);
  }

  /** Signs in a person whose identity was proven another way (a one-time link, SSO). */
  async startSessionFor(userId: string): Promise<SignedIn | null> {
    const user = await this.deps.store.findUserById(userId);
    if (!user || user.disabledAt) return null;
    return this.#startSession(user);
  }

  passwordProblem(password: string): string | null {
    return newPasswordProblem(password, this.deps.commonPasswords ?? new Set());
  }

  hashNewPassword(password: string): Promise<string> {
    return this.deps.passwords.hash(password);
  }

  /** Changes a signed-in person's password; their other sign-ins end, this one stays. */
  async changePassword(userId: string, currentPassword: string, newPassword: string, currentToken: string): Promise<PasswordChange> {
    const user = await this.deps.store.findUserById(userId);
    if (!user?.passwordHash || !(await this.deps.passwords.verify(user.passwordHash, currentPassword))) {
      return { ok: false, reason: "wrong-password", message: "Your current password is not right." };
    }
    const problem = this.passwordProblem(newPassword);
    if (problem) return { ok: false, reason: "weak-password", message: problem };
    await this.deps.store.setPassword(userId, await this.deps.passwords.hash(newPassword), this.deps.tokens.hash(currentToken));
    return { ok: true };
  }

  async #startSession(user: UserRecord): Promise<SignedIn> {
    const now = this.deps.clock.now();
    const token = this.deps.tokens.generate();
    const expiresAt = initialExpiry(this.deps.sessionPolicy, now);
    await this.deps.store.createAuthSession({
      tokenHash: this.deps.tokens.hash(token),
      userId: user.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    });
    return { user: toCurrentUser(user), token, expiresAt };
  }

  /**
   * The user a session token belongs to, extending its expiry; null if unknown or expired.
   * `extendedTo` is set when the expiry slid, so the cookie can be sent again with it.
   */
  async authenticate(token: string): Promise<CurrentUser | null> {
    return (await this.authenticateSliding(token))?.user ?? null;
  }

  async authenticateSliding(token: string): Promise<{ user: CurrentUser; extendedTo: Date | null } | null> {
    const tokenHash = this.deps.tokens.hash(token);
    const session = await this.deps.store.findAuthSession(tokenHash);
    if (!session) return null;
    const now = this.deps.clock.now();
    const check = checkSession(this.deps.sessionPolicy, session, now);
    if (!check.valid) {
      await this.deps.store.deleteAuthSession(tokenHash);
      return null;
    }
    const user = await this.deps.store.findUserById(session.userId);
    if (!user || user.disabledAt) return null;
    if (check.extendTo) await this.deps.store.extendAuthSession(tokenHash, now, check.extendTo);
    return { user: toCurrentUser(user), extendedTo: check.extendTo };
  }

  async signOut(token: string): Promise<void> {
    await this.deps.store.deleteAuthSession(this.deps.tokens.hash(token));
  }

  sweepExpiredSessions(): Promise<number> {
    return this.deps.store.deleteExpiredAuthSessions(this.deps.clock.now());
  }

  async needsSetup(): Promise<boolean> {
    return (await this.deps.store.countUsers()) === 0;
  }

  /** First run: the first account is an L&D admin, and only while no account exists. */
  async createFirstAdmin(request: CreateFirstAdminRequest): Promise<SignedIn | null> {
    // Length is checked by the request schema; the common-password list is checked by the caller
    // through passwordProblem() so it can answer with the field.
    const user = await this.deps.store.createFirstUser({
      email: request.email,
      name: request.name,
      role: "ld_admin",
      passwordHash: await this.deps.passwords.hash(request.password),
    });
    return user ? this.#startSession(user) : null;
  }
}
