import { describe, expect, it } from "vitest";
import type { AuditRecord } from "../src/audit/audit-log.ts";
import type { SignedIn } from "../src/accounts/account-service.ts";
import type { SsoAccount, SsoAccountStore, SubjectLink } from "../src/accounts/sso-account-store.ts";
import { nameFor, SsoSignIn, type SsoSignInDeps } from "../src/accounts/sso-sign-in.ts";
import type { PersonWriteResult } from "../src/people/people-store.ts";

/** Accounts by e-mail, kept in memory with the same rules as the database's statements. */
class MemoryAccounts implements SsoAccountStore {
  readonly byEmail = new Map<string, SsoAccount>();

  add(email: string, account: Partial<SsoAccount> = {}): SsoAccount {
    const full = { id: `id-${this.byEmail.size + 1}`, oidcSubject: null, disabledAt: null, erasedAt: null, ...account };
    this.byEmail.set(email, full);
    return full;
  }

  async findBySubject(subject: string) {
    return [...this.byEmail.values()].find((account) => account.oidcSubject === subject) ?? null;
  }

  async findByEmail(email: string) {
    return this.byEmail.get(email) ?? null;
  }

  async linkSubject(userId: string, subject: string): Promise<SubjectLink> {
    const account = [...this.byEmail.values()].find((each) => each.id === userId);
    if (!account || account.disabledAt || account.erasedAt) return { ok: false, reason: "deactivated" };
    if (account.oidcSubject && account.oidcSubject !== subject) return { ok: false, reason: "linked-elsewhere" };
    account.oidcSubject = subject;
    return { ok: true };
  }
}

function setUp(
  options: { create?: (email: string) => PersonWriteResult; sessionFor?: (userId: string) => SignedIn | null } = {},
) {
  const store = new MemoryAccounts();
  const audit: AuditRecord[] = [];
  const created: string[] = [];
  const deps: SsoSignInDeps = {
    store,
    people: {
      async create(request) {
        created.push(request.email);
        if (options.create) return options.create(request.email);
        const account = store.add(request.email);
        return {
          ok: true,
          person: {
            id: account.id,
            name: request.name,
            email: request.email,
            role: request.role,
            status: "invited",
            team: null,
            manages: [],
            isDemo: false,
            createdAt: new Date(),
          },
          changed: ["created"],
        };
      },
    },
    accounts: {
      async startSessionFor(userId) {
        if (options.sessionFor) return options.sessionFor(userId);
        return { user: { id: userId, email: "", name: "", role: "learner" }, token: "token", expiresAt: new Date() };
      },
    },
    audit: { record: async (entry) => void audit.push(entry) },
    allowedDomains: ["partners.example"],
  };
  return { store, audit, created, sso: new SsoSignIn(deps) };
}

const identity = (email: string | null, subject = "https://idp.example lena") => ({
  subject,
  email,
  emailVerified: true,
  name: "Lena Vogel",
});

describe("single sign-on: who a provider's person is in Spar", () => {
  it("lets in newcomers whose verified address is at an allowed domain, matched exactly and without regard to case", async () => {
    const { sso, created } = setUp();
    expect(await sso.signIn(identity("Lena.Vogel@Partners.EXAMPLE"))).toMatchObject({ ok: true, created: true });
    expect(created).toEqual(["lena.vogel@partners.example"]);
    expect(await sso.signIn(identity("kim@eu.partners.example", "https://idp.example kim"))).toEqual({
      ok: false,
      reason: "unknown_person",
    });
  });

  it("uses the account a racing first sign-in created a moment before, instead of refusing", async () => {
    const { sso, store, audit } = setUp({
      create: (email) => {
        store.add(email);
        return { ok: false, reason: "email-taken" };
      },
    });
    const result = await sso.signIn(identity("lena@partners.example"));
    expect(result).toMatchObject({ ok: true, created: false });
    expect(store.byEmail.get("lena@partners.example")?.oidcSubject).toBe("https://idp.example lena");
    expect(audit.map((entry) => [entry.action, entry.details])).toEqual([
      ["sign_in.oidc", { linked: true, created: false }],
    ]);
  });

  it("refuses, and records no sign-in, when the person is deactivated between the lookup and the session", async () => {
    const { sso, store, audit } = setUp({ sessionFor: () => null });
    store.add("maya@example.com");
    expect(await sso.signIn(identity("maya@example.com"))).toEqual({ ok: false, reason: "account_deactivated" });
    expect(audit).toEqual([]);
  });

  it("refuses an erased account found by its link", async () => {
    const { sso, store } = setUp();
    store.add("erased-1@invalid", { oidcSubject: "https://idp.example lena", erasedAt: new Date() });
    expect(await sso.signIn(identity("lena@partners.example"))).toEqual({ ok: false, reason: "account_deactivated" });
  });

  it("names a newcomer after the provider's name, else the address before the @", () => {
    expect(nameFor({ name: "  Lena Vogel ", email: "lena@partners.example" })).toBe("Lena Vogel");
    expect(nameFor({ name: "   ", email: "lena.vogel@partners.example" })).toBe("lena.vogel");
    expect(nameFor({ name: null, email: "lena@partners.example" })).toBe("lena");
    expect(nameFor({ name: "x".repeat(300), email: "lena@partners.example" })).toHaveLength(120);
  });
});
