export interface SessionPolicy {
  /** A session unused for this long expires. */
  idleTimeoutMs: number;
  /** A session expires this long after sign-in, however busy. */
  absoluteTimeoutMs: number;
}

const minute = 60_000;

/** Sliding expiry is written back at most this often, so each request is not a database write. */
export const extendAfterMs = minute;

export function initialExpiry(policy: SessionPolicy, signedInAt: Date): Date {
  return new Date(Math.min(signedInAt.getTime() + policy.idleTimeoutMs, signedInAt.getTime() + policy.absoluteTimeoutMs));
}

export type SessionCheck =
  | { valid: false }
  | { valid: true; extendTo: Date | null };

export function checkSession(
  policy: SessionPolicy,
  session: { createdAt: Date; lastSeenAt: Date; expiresAt: Date },
  now: Date,
): SessionCheck {
  if (now.getTime() >= session.expiresAt.getTime()) return { valid: false };
  if (now.getTime() - session.lastSeenAt.getTime() < extendAfterMs) return { valid: true, extendTo: null };
  const extendTo = new Date(
    Math.min(now.getTime() + policy.idleTimeoutMs, session.createdAt.getTime() + policy.absoluteTimeoutMs),
  );
  return { valid: true, extendTo };
}
