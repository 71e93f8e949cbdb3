import type { SsoErrorReason } from "@spar/protocol";
import type { AuditLog } from "../audit/audit-log.ts";
import type { PeopleService } from "../people/people-service.ts";
import type { SignedIn } from "./account-service.ts";
import type { SsoAccount, SsoAccountStore } from "./sso-account-store.ts";

/** Who the provider says signed in, from the verified ID token (and UserInfo). */
export interface SsoIdentity {
  /** `<issuer> <sub>`: unique across providers, stable when the person's e-mail changes. */
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

export type SsoSignInResult =
  | { ok: true; signedIn: SignedIn; created: boolean }
  | { ok: false; reason: SsoErrorReason };

export interface SsoSignInDeps {
  store: SsoAccountStore;
  people: Pick<PeopleService, "create">;
  accounts: { startSessionFor(userId: string): Promise<SignedIn | null> };
  audit: AuditLog;
  /** E-mail domains (lower case) whose unknown people are created as learners on first sign-in. */
  allowedDomains: readonly string[];
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}

/** A name for a new account: the provider's, or the part of the e-mail before the @. */
export function nameFor(identity: { name: string | null; email: string }): string {
  const given = identity.name?.trim() ?? "";
  const name = given || identity.email.slice(0, identity.email.lastIndexOf("@"));
  return name.slice(0, 120);
}

/**
 * Decides who a person proven by the organisation's OpenID provider is in Spar: the account
 * already linked to their provider account, else the account with their verified e-mail (linked
 * now), else a new learner when their e-mail's domain is allowed. Everyone else is refused with a
 * reason the sign-in page can explain.
 */
export class SsoSignIn {
  constructor(private readonly deps: SsoSignInDeps) {}

  async signIn(identity: SsoIdentity): Promise<SsoSignInResult> {
    const found = await this.#account(identity);
    if (!found.ok) return found;
    const { account, created } = found;
    if (account.disabledAt || account.erasedAt) return { ok: false, reason: "account_deactivated" };
    // Whether this sign-in links the provider account for the first time (for the audit log).
    const linking = account.oidcSubject !== identity.subject;
    if (linking) {
      const link = await this.deps.store.linkSubject(account.id, identity.subject);
      if (!link.ok)
        return {
          ok: false,
          reason: link.reason === "deactivated" ? "account_deactivated" : "account_linked_elsewhere",
        };
    }
    // Refuses, too, a person deactivated since the lookup.
    const signedIn = await this.deps.accounts.startSessionFor(account.id);
    if (!signedIn) return { ok: false, reason: "account_deactivated" };
    await this.deps.audit.record({
      actorId: account.id,
      action: "sign_in.oidc",
      subjectUserId: account.id,
      resourceType: "person",
      resourceId: account.id,
      details: { linked: linking, created },
    });
    return { ok: true, signedIn, created };
  }

  async #account(
    identity: SsoIdentity,
  ): Promise<{ ok: true; account: SsoAccount; created: boolean } | { ok: false; reason: SsoErrorReason }> {
    const linked = await this.deps.store.findBySubject(identity.subject);
    if (linked) return { ok: true, account: linked, created: false };
    // Only an address the provider vouches for may open an existing account or create one.
    if (!identity.email || !identity.emailVerified) return { ok: false, reason: "email_unverified" };
    const email = identity.email.trim().toLowerCase();
    const known = await this.deps.store.findByEmail(email);
    if (known) {
      // Someone else at the provider holds this account's link: an e-mail handed on to a new
      // person must not open the previous holder's practice history.
      if (known.oidcSubject && known.oidcSubject !== identity.subject)
        return { ok: false, reason: "account_linked_elsewhere" };
      return { ok: true, account: known, created: false };
    }
    if (!this.deps.allowedDomains.includes(emailDomain(email))) return { ok: false, reason: "unknown_person" };
    const created = await this.deps.people.create(
      { name: nameFor({ name: identity.name, email }), email, role: "learner", teamId: null },
      { id: null, via: "oidc" },
    );
    if (created.ok)
      return {
        ok: true,
        account: { id: created.person.id, oidcSubject: null, disabledAt: null, erasedAt: null },
        created: true,
      };
    // A first sign-in racing this one created the account a moment ago: use it.
    const raced = created.reason === "email-taken" ? await this.deps.store.findByEmail(email) : null;
    return raced ? { ok: true, account: raced, created: false } : { ok: false, reason: "unknown_person" };
  }
}
