import { describe, expect, it } from "vitest";
import { checkSession, extendAfterMs, initialExpiry } from "../src/accounts/session-policy.ts";

const policy = { idleTimeoutMs: 30 * 60_000, absoluteTimeoutMs: 8 * 3_600_000 };
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1) + minutes * 60_000);

describe("session policy", () => {
  it("expires an unused session after the idle timeout", () => {
    const session = { createdAt: at(0), lastSeenAt: at(0), expiresAt: initialExpiry(policy, at(0)) };
    expect(session.expiresAt).toEqual(at(30));
    expect(checkSession(policy, session, at(29))).toEqual({ valid: true, extendTo: at(59) });
    expect(checkSession(policy, session, at(30))).toEqual({ valid: false });
  });

  it("does not write an extension for every request", () => {
    const session = { createdAt: at(0), lastSeenAt: at(10), expiresAt: at(40) };
    const soon = new Date(at(10).getTime() + extendAfterMs - 1);
    expect(checkSession(policy, session, soon)).toEqual({ valid: true, extendTo: null });
  });

  it("never extends past the absolute timeout", () => {
    const session = { createdAt: at(0), lastSeenAt: at(460), expiresAt: at(478) };
    expect(checkSession(policy, session, at(470))).toEqual({ valid: true, extendTo: at(480) });
    expect(checkSession(policy, { ...session, expiresAt: at(480) }, at(480))).toEqual({ valid: false });
  });
});
