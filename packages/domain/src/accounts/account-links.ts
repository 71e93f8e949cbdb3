import type { Clock } from "../ports/clock.ts";
import type { Actor } from "../people/people-store.ts";
import type { TokenSource } from "./account-store.ts";

export type AccountLinkPurpose = "invitation" | "password_reset";

/** An invitation is a welcome that may sit in an inbox over a week; a reset is urgent and short. */
export const linkLifetimeMs: Record<AccountLinkPurpose, number> = {
  invitation: 7 * 24 * 3_600_000,
  password_reset: 24 * 3_600_000,
};

export interface AccountLinkRecord {
  tokenHash: string;
  userId: string;
  purpose: AccountLinkPurpose;
  createdAt: Date;
  expiresAt: Date;
  issuedById: string | null;
}

export interface LinkHolder {
  userId: string;
  name: string;
  email: string;
  purpose: AccountLinkPurpose;
  expiresAt: Date;
}

export type RedeemResult =
  | { ok: true; userId: string; purpose: AccountLinkPurpose }
  | { ok: false; reason: "invalid" };

export interface AccountLinkStore {
  /** Stores the link and voids the person's earlier unused links of the same purpose, with its audit entry. */
  issue(link: AccountLinkRecord, actor: Actor): Promise<void>;
  /** The unused, unexpired link with this hash, for an active person; null otherwise. */
  find(tokenHash: string, now: Date): Promise<LinkHolder | null>;
  /**
   * Spends the link and sets the password in one transaction: the statement that marks the link
   * used matches only an unused, unexpired link of an active person, so a link works once however
   * many requests race on it. A reset also ends the person's other sign-ins.
   */
  redeem(tokenHash: string, passwordHash: string, now: Date): Promise<RedeemResult>;
}

export interface IssuedLink {
  purpose: AccountLinkPurpose;
  token: string;
  expiresAt: Date;
}

/** One-time links on which a person chooses a password: invitations and resets. */
export class AccountLinks {
  constructor(private readonly deps: { store: AccountLinkStore; tokens: TokenSource; clock: Clock }) {}

  async issue(userId: string, purpose: AccountLinkPurpose, actor: Actor): Promise<IssuedLink> {
    const token = this.deps.tokens.generate();
    const createdAt = this.deps.clock.now();
    const expiresAt = new Date(createdAt.getTime() + linkLifetimeMs[purpose]);
    await this.deps.store.issue(
      { tokenHash: this.deps.tokens.hash(token), userId, purpose, createdAt, expiresAt, issuedById: actor.id },
      actor,
    );
    return { purpose, token, expiresAt };
  }

  find(token: string): Promise<LinkHolder | null> {
    return this.deps.store.find(this.deps.tokens.hash(token), this.deps.clock.now());
  }

  redeem(token: string, passwordHash: string): Promise<RedeemResult> {
    return this.deps.store.redeem(this.deps.tokens.hash(token), passwordHash, this.deps.clock.now());
  }
}
