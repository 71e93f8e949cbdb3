import type { Role } from "@spar/protocol";

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string | null;
  isDemo: boolean;
  disabledAt: Date | null;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  isDemo?: boolean;
}

export interface AuthSessionRecord {
  tokenHash: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** What account logic needs from storage; the db package implements it with Prisma. */
export interface AccountStore {
  countUsers(): Promise<number>;
  findUserByEmail(email: string): Promise<UserRecord | null>;
  findUserById(id: string): Promise<UserRecord | null>;
  createUser(user: NewUser): Promise<UserRecord>;
  /** Creates the user only if no user exists yet, atomically; null when someone got there first. */
  createFirstUser(user: NewUser): Promise<UserRecord | null>;
  createAuthSession(session: AuthSessionRecord): Promise<void>;
  findAuthSession(tokenHash: string): Promise<AuthSessionRecord | null>;
  extendAuthSession(tokenHash: string, lastSeenAt: Date, expiresAt: Date): Promise<void>;
  deleteAuthSession(tokenHash: string): Promise<void>;
  deleteExpiredAuthSessions(now: Date): Promise<number>;
  /** Sets a new password hash and ends every sign-in of the person except the one given. */
  setPassword(userId: string, passwordHash: string, keepTokenHash: string | null): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** Session tokens: random, and stored only as a one-way hash. */
export interface TokenSource {
  generate(): string;
  hash(token: string): string;
}
