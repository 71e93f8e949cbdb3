import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";
import type { PasswordHasher, TokenSource } from "@spar/domain";

/** argon2id with the library's defaults (19 MiB, 2 passes: OWASP's minimum recommendation). */
export const argon2Passwords: PasswordHasher = {
  hash: (password) => hash(password),
  verify: (passwordHash, password) => verify(passwordHash, password).catch(() => false),
};

export const randomTokens: TokenSource = {
  generate: () => randomBytes(32).toString("base64url"),
  hash: (token) => createHash("sha256").update(token).digest("hex"),
};

/**
 * The 49,000 passwords most often found in breaches (the list zxcvbn-ts ships), lower-cased: a
 * new password on it is refused whatever its length.
 */
export const commonPasswords: ReadonlySet<string> = new Set(dictionary["passwords-common"].map((password) => password.toLowerCase()));
