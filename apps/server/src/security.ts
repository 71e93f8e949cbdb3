import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
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
