/**
 * A fresh id for a learner's message (the server stores a resent message once per id).
 * `crypto.randomUUID` exists only in secure contexts (https, or localhost), and Spar is often
 * opened over plain http on an intranet name or an address; `crypto.getRandomValues` exists
 * everywhere, so the same kind of id (a random UUID, version 4) is made from it there.
 */
export function newMessageId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
