import {
  type Database,
  listDemoAccounts,
  PrismaAccountStore,
  PrismaAssignmentStore,
  PrismaAuditLog,
  PrismaHistory,
  PrismaOneToOnes,
  PrismaScoringStore,
  PrismaPracticeSessionViews,
  PrismaTeamDirectory,
  seedDemoOrganisation,
} from "@spar/db";
import { AccountService, type Clock, demoPassword, type PasswordHasher, type TokenSource } from "@spar/domain";
import type { AppConfig } from "./env.ts";

export interface ServiceDeps {
  config: AppConfig;
  database: Database;
  clock: Clock;
  passwords: PasswordHasher;
  tokens: TokenSource;
}

/** Wires the domain to its storage: the only place that knows both. */
export function createServices({ config, database, clock, passwords, tokens }: ServiceDeps) {
  const prisma = database.prisma;
  return {
    accounts: new AccountService({
      store: new PrismaAccountStore(prisma),
      passwords,
      tokens,
      clock,
      sessionPolicy: config.sessionPolicy,
    }),
    teams: new PrismaTeamDirectory(prisma),
    audit: new PrismaAuditLog(prisma),
    sessionViews: new PrismaPracticeSessionViews(prisma),
    scoringStore: new PrismaScoringStore(prisma),
    history: new PrismaHistory(prisma),
    assignments: new PrismaAssignmentStore(prisma),
    oneToOnes: new PrismaOneToOnes(prisma),
    demo: {
      load: async () => seedDemoOrganisation(prisma, await passwords.hash(demoPassword)),
      accounts: () => listDemoAccounts(prisma),
    },
  };
}

export type Services = ReturnType<typeof createServices>;
