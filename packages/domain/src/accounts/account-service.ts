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
}

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
    if (!user || user.disabledAt) {
      this.#decoyHash ??= this.deps.passwords.hash("decoy password that matches nothing");
      await this.deps.passwords.verify(await this.#decoyHash, password);
      return null;
    }
    if (!(await this.deps.passwords.verify(user.passwordHash, password))) return null;
    return this.#startSession(user);
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

  /** The user a session token belongs to, extending its expiry; null if unknown or expired. */
  async authenticate(token: string): Promise<CurrentUser | null> {
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
    return toCurrentUser(user);
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
    const user = await this.deps.store.createFirstUser({
      email: request.email,
      name: request.name,
      role: "ld_admin",
      passwordHash: await this.deps.passwords.hash(request.password),
    });
    return user ? this.#startSession(user) : null;
  }
}
