import {
  type Database,
  listDemoAccounts,
  PrismaAccountLinks,
  PrismaAccountStore,
  PrismaAdjudications,
  PrismaAssignmentStore,
  PrismaAuditLog,
  PrismaHistory,
  PrismaOneToOnes,
  PrismaPeople,
  PrismaPersonData,
  PrismaScoringStore,
  PrismaPracticeSessionViews,
  PrismaTurnAudio,
  PrismaTeamDirectory,
  removeDemoOrganisation,
  PrismaTranscriptRetention,
  seedDemoOrganisation,
} from "@spar/db";
import { PrismaOidcLoginStates, PrismaSsoAccounts } from "@spar/db";
import { AccountLinks, AccountService, type Clock, demoPassword, type PasswordHasher, PeopleService, type TokenSource } from "@spar/domain";
import { PersonDataRights, TranscriptRetention } from "@spar/domain";
import { localRevocationChannel, SignInRevocations } from "./accounts/sign-in-revocations.ts";
import { SignInThrottle, type ThrottleLimits } from "./accounts/sign-in-throttle.ts";
import type { AppConfig } from "./env.ts";
import { type Mailer, noMailer, smtpMailer } from "./mail/mailer.ts";
import { commonPasswords } from "./security.ts";
import { PrismaPeopleImport } from "@spar/db";
import { PeopleImport } from "@spar/domain";

export interface ServiceDeps {
  config: AppConfig;
  database: Database;
  clock: Clock;
  passwords: PasswordHasher;
  tokens: TokenSource;
  /** Carries "sign-ins ended" to every process; one process by default. */
  revocations?: SignInRevocations;
  mailer?: Mailer;
  throttleLimits?: ThrottleLimits;
}

/** Wires the domain to its storage: the only place that knows both. */
export function createServices({ config, database, clock, passwords, tokens, ...deps }: ServiceDeps) {
  const prisma = database.prisma;
  const revocations = deps.revocations ?? new SignInRevocations(localRevocationChannel());
  return {
    accounts: new AccountService({
      store: new PrismaAccountStore(prisma),
      passwords,
      tokens,
      clock,
      sessionPolicy: config.sessionPolicy,
      commonPasswords,
    }),
    people: new PeopleService({ store: new PrismaPeople(prisma), revocation: revocations }),
    peopleImport: new PeopleImport({ store: new PrismaPeopleImport(prisma) }),
    links: new AccountLinks({ store: new PrismaAccountLinks(prisma), tokens, clock }),
    dataRights: new PersonDataRights({ store: new PrismaPersonData(prisma), revocation: revocations, clock }),
    /** Null when SPAR_RETENTION_DAYS is unset: transcripts are kept. */
    retention: config.retentionDays
      ? new TranscriptRetention({ store: new PrismaTranscriptRetention(prisma), clock, retentionDays: config.retentionDays })
      : null,
    revocations,
    signInThrottle: new SignInThrottle(prisma, deps.throttleLimits),
    ssoAccounts: new PrismaSsoAccounts(prisma),
    oidcLoginStates: new PrismaOidcLoginStates(prisma),
    mailer: deps.mailer ?? (config.mail ? smtpMailer(config.mail.smtpUrl, config.mail.from) : noMailer),
    teams: new PrismaTeamDirectory(prisma),
    audit: new PrismaAuditLog(prisma),
    sessionViews: new PrismaPracticeSessionViews(prisma),
    turnAudio: new PrismaTurnAudio(prisma),
    scoringStore: new PrismaScoringStore(prisma),
    history: new PrismaHistory(prisma),
    assignments: new PrismaAssignmentStore(prisma),
    oneToOnes: new PrismaOneToOnes(prisma),
    adjudications: new PrismaAdjudications(prisma),
    demo: {
      load: async () => seedDemoOrganisation(prisma, await passwords.hash(demoPassword)),
      accounts: () => listDemoAccounts(prisma),
      remove: (actorId: string) => removeDemoOrganisation(prisma, actorId),
    },
  };
}

export type Services = ReturnType<typeof createServices>;
