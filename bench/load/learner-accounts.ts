// Learner accounts for a load run, written straight into the database with SQL: signing in ten
// thousand people through argon2 would measure password hashing, not practice.
import { randomBytes } from "node:crypto";
import type { Database } from "@spar/db";

export interface LearnerAccount {
  email: string;
  /** The Cookie header of a signed-in browser. */
  cookie: string;
}

export async function createLearnerAccounts(database: Database, count: number): Promise<LearnerAccount[]> {
  const run = randomBytes(4).toString("hex");
  await database.prisma.$executeRawUnsafe(`
    WITH learners AS (
      INSERT INTO "User"(id, email, name, "passwordHash", role)
      SELECT gen_random_uuid(), 'load-${run}-' || i || '@bench.example', 'Load learner ' || i, 'no-password', 'learner'
      FROM generate_series(1, ${count}) i
      RETURNING id, email
    )
    INSERT INTO "AuthSession"("tokenHash", "userId", "expiresAt")
    SELECT encode(sha256(convert_to('token-' || email, 'UTF8')), 'hex'), id, now() + interval '2 days' FROM learners`);
  return Array.from({ length: count }, (_, index) => {
    const email = `load-${run}-${index + 1}@bench.example`;
    return { email, cookie: `spar_session=token-${email}` };
  });
}

