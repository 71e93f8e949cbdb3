import { createHash } from "node:crypto";

/**
 * How failed sign-in counters name an account: a hash of its lower-cased e-mail address, so the
 * counters hold no address to leak. Erasure deletes the counters under the same name.
 */
export function signInCounterAccountKey(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("base64url");
}
