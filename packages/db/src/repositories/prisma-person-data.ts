import { type Actor, type ErasureResult, identifiersIn, type PersonDataStore, scrubIdentifiers } from "@spar/domain";
import { PersonExport, type TurnInterruption } from "@spar/protocol";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";
import { eraseTranscripts, sessionsOfLearner } from "./transcript-erasure.ts";
import { signInCounterAccountKey } from "../security/sign-in-counter-keys.ts";
import { storedEvidence } from "./stored-evidence.ts";

type Transaction = Prisma.TransactionClient;

// The same lock PrismaPeople.update takes: every change that could remove the last active L&D
// admin is serialised on it.
const adminsLockKey = 7_317_712_003;

/** What an erased person's row is left as: an anonymous placeholder that keeps counts whole. */
export const erasedName = "Erased person";
export const erasedEmail = (userId: string) => `erased-${userId}@erased.invalid`;

// A whole export or erasure can touch thousands of rows; Prisma's 5 s default is for requests.
const longTransaction = { timeout: 120_000, maxWait: 10_000 };

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => date?.toISOString() ?? null;
const day = (date: Date) => date.toISOString().slice(0, 10);
const asRecord = (value: Prisma.JsonValue): Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

async function audit(
  transaction: Transaction,
  actor: Actor,
  action: string,
  subjectUserId: string,
  details: Record<string, unknown>,
) {
  await transaction.auditEntry.create({
    data: {
      actorId: actor.id,
      action,
      subjectUserId,
      resourceType: "person",
      resourceId: subjectUserId,
      details: (actor.via ? { ...details, via: actor.via } : details) as Prisma.InputJsonObject,
    },
  });
}

/** Everything Spar holds about one person: gathered for an export, removed by an erasure. */
export class PrismaPersonData implements PersonDataStore {
  constructor(private readonly prisma: PrismaClient) {}

  // Not one transaction: Prisma runs the queries of nested includes side by side, which one
  // transaction's connection cannot do. Rows written while the export runs may or may not be in it.
  async exportPerson(personId: string, actor: Actor, exportedAt: Date): Promise<PersonExport | null> {
    const prisma = this.prisma;
    const user = await prisma.user.findFirst({
      where: { id: personId, erasedAt: null },
      include: {
        teams: { include: { team: { select: { id: true, name: true } } }, orderBy: { team: { name: "asc" } } },
      },
    });
    if (!user) return null;
    // Written first, so the export holds the record of itself.
    await audit(prisma, actor, "person.exported", personId, {});
    const sessions = await prisma.practiceSession.findMany({
      where: { learnerId: personId },
      orderBy: { startedAt: "asc" },
      include: {
        scenarioVersion: { select: { scenarioId: true, version: true, title: true } },
        rubricVersion: { select: { rubricId: true, version: true, title: true } },
        turns: { orderBy: { seq: "asc" } },
        scorecards: { orderBy: { createdAt: "asc" }, include: { criteria: { orderBy: { criterionId: "asc" } } } },
      },
    });
    const targets = await prisma.assignmentTarget.findMany({
      where: { learnerId: personId },
      include: {
        assignment: {
          include: { createdBy: { select: { id: true, name: true } }, team: { select: { name: true } } },
        },
      },
      orderBy: { assignment: { createdAt: "asc" } },
    });
    const oneToOnes = await prisma.oneToOne.findMany({
      where: { learnerId: personId },
      orderBy: [{ heldOn: "asc" }, { createdAt: "asc" }],
      include: { manager: { select: { id: true, name: true } }, actions: { orderBy: { id: "asc" } } },
    });
    const observations = await prisma.observation.findMany({
      where: { learnerId: personId },
      orderBy: [{ observedOn: "asc" }, { createdAt: "asc" }],
      include: { observer: { select: { id: true, name: true } } },
    });
    const entries = await prisma.auditEntry.findMany({
      where: { OR: [{ subjectUserId: personId }, { actorId: personId }] },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      include: { actor: { select: { id: true, name: true } } },
    });
    const subjectIds = [
      ...new Set(entries.map((entry) => entry.subjectUserId).filter((id): id is string => id !== null)),
    ];
    const subjects = new Map(
      (await prisma.user.findMany({ where: { id: { in: subjectIds } }, select: { id: true, name: true } })).map(
        (each) => [each.id, each],
      ),
    );
    const document: PersonExport = {
      format: "spar-person-export",
      version: 1,
      exportedAt: iso(exportedAt),
      person: {
        id: user.id,
        name: user.name,
        email: user.email,
        role: user.role,
        status: user.disabledAt ? "deactivated" : user.passwordHash || user.oidcSubject ? "active" : "invited",
        isDemo: user.isDemo,
        createdAt: iso(user.createdAt),
        deactivatedAt: isoOrNull(user.disabledAt),
        externalId: user.externalId,
        singleSignOnLinked: user.oidcSubject !== null,
        memberOf: user.teams.filter((each) => each.role === "member").map((each) => each.team),
        manages: user.teams.filter((each) => each.role === "manager").map((each) => each.team),
      },
      sessions: sessions.map((session) => ({
        id: session.id,
        scenario: {
          id: session.scenarioVersion.scenarioId,
          version: session.scenarioVersion.version,
          title: session.scenarioVersion.title,
        },
        rubric: {
          id: session.rubricVersion.rubricId,
          version: session.rubricVersion.version,
          title: session.rubricVersion.title,
        },
        engine: session.engine,
        model: session.model,
        status: session.status,
        startedAt: iso(session.startedAt),
        endedAt: isoOrNull(session.endedAt),
        endReason: session.endReason,
        transcriptErasedAt: isoOrNull(session.transcriptErasedAt),
        turns: session.turns.map((turn) => ({
          seq: turn.seq,
          speaker: turn.speaker,
          text: turn.text,
          status: turn.status,
          interruption: turn.interruption as TurnInterruption | null,
          at: iso(turn.createdAt),
        })),
        scorecards: session.scorecards.map((scorecard) => ({
          id: scorecard.id,
          createdAt: iso(scorecard.createdAt),
          scorer: scorecard.scorer,
          model: scorecard.model,
          overall: scorecard.overall,
          passed: scorecard.passed,
          nextStep: {
            criterionId: scorecard.nextStepCriterionId,
            text: scorecard.nextStep,
            moment: scorecard.nextStepTurn !== null && scorecard.nextStepQuote !== null ? { turn: scorecard.nextStepTurn, quote: scorecard.nextStepQuote } : null,
          },
          metrics: asRecord(scorecard.metrics),
          criteria: scorecard.criteria.map((criterion) => ({
            criterionId: criterion.criterionId,
            competency: criterion.competency,
            level: criterion.level,
            rationale: criterion.rationale,
            evidence: storedEvidence(criterion.evidence),
          })),
        })),
      })),
      assignments: targets.map((target) => ({
        id: target.assignment.id,
        scenarioId: target.assignment.scenarioId,
        assignedBy: target.assignment.createdBy,
        team: target.assignment.team?.name ?? null,
        note: target.assignment.note,
        dueAt: isoOrNull(target.assignment.dueAt),
        createdAt: iso(target.assignment.createdAt),
        status: target.status,
        completedAt: isoOrNull(target.completedAt),
        completedSessionId: target.completedSessionId,
      })),
      oneToOnes: oneToOnes.map((oneToOne) => ({
        id: oneToOne.id,
        heldOn: day(oneToOne.heldOn),
        durationMinutes: oneToOne.durationMinutes,
        focusCompetency: oneToOne.focusCompetency,
        keyPoints: oneToOne.keyPoints,
        manager: oneToOne.manager,
        agreedActions: oneToOne.actions.map((action) => ({
          text: action.text,
          assignmentId: action.assignmentId,
          doneAt: isoOrNull(action.doneAt),
        })),
        createdAt: iso(oneToOne.createdAt),
      })),
      observations: observations.map((observation) => ({
        id: observation.id,
        observedOn: day(observation.observedOn),
        competency: observation.competency,
        level: observation.level,
        note: observation.note,
        observer: observation.observer,
        createdAt: iso(observation.createdAt),
      })),
      audit: entries.map((entry) => ({
        id: entry.id,
        at: iso(entry.at),
        action: entry.action,
        actor: entry.actor,
        subject: entry.subjectUserId
          ? (subjects.get(entry.subjectUserId) ?? { id: entry.subjectUserId, name: erasedName })
          : null,
        resourceType: entry.resourceType,
        resourceId: entry.resourceId,
        details: asRecord(entry.details),
      })),
    };
    // Checked on the way out: the document's shape is a promise to whoever reads it later.
    return PersonExport.parse(document);
  }

  erasePerson(personId: string, confirmEmail: string | null, actor: Actor, now: Date): Promise<ErasureResult> {
    return this.prisma.$transaction(async (transaction): Promise<ErasureResult> => {
      await transaction.$executeRaw`SELECT pg_advisory_xact_lock(${adminsLockKey}::bigint)`;
      // The row lock orders this erasure after any change to the person that is under way.
      const [user] = await transaction.$queryRaw<
        { id: string; name: string; email: string; role: string; disabledAt: Date | null }[]
      >`
        SELECT id::text AS id, name, email, role::text AS role, "disabledAt" FROM "User"
        WHERE id = ${personId}::uuid AND "erasedAt" IS NULL FOR UPDATE`;
      if (!user) return { ok: false, reason: "not-found" };
      if (confirmEmail !== null && confirmEmail.trim().toLowerCase() !== user.email.toLowerCase()) {
        return { ok: false, reason: "confirmation-mismatch" };
      }
      if (user.role === "ld_admin" && user.disabledAt === null) {
        const otherAdmins = await transaction.user.count({
          where: { role: "ld_admin", disabledAt: null, erasedAt: null, id: { not: personId } },
        });
        if (otherAdmins === 0) return { ok: false, reason: "last-admin" };
      }

      // An unfinished practice has no score to keep: it goes whole (its turns with it).
      const unfinished = await transaction.practiceSession.findMany({
        where: { learnerId: personId, status: "active" },
        select: { id: true },
      });
      const unfinishedTurns = await transaction.turn.count({
        where: { sessionId: { in: unfinished.map((each) => each.id) } },
      });
      await transaction.practiceSession.deleteMany({ where: { id: { in: unfinished.map((each) => each.id) } } });
      const transcripts = await eraseTranscripts(transaction, sessionsOfLearner(personId), now);

      const oneToOnes = await transaction.oneToOne.updateMany({
        where: { learnerId: personId },
        data: { keyPoints: [] },
      });
      await transaction.agreedAction.updateMany({ where: { oneToOne: { learnerId: personId } }, data: { text: "" } });
      const observations = await transaction.observation.updateMany({
        where: { learnerId: personId },
        data: { note: "" },
      });

      await transaction.authSession.deleteMany({ where: { userId: personId } });
      await transaction.accountToken.deleteMany({ where: { userId: personId } });
      await transaction.teamMember.deleteMany({ where: { userId: personId } });
      // Failed sign-in counters name the account by a hash of its address.
      await transaction.$executeRaw`DELETE FROM "RateLimiterFlexible" WHERE strpos(key, ${signInCounterAccountKey(user.email)}) > 0`;

      // Every name and address the person has had, as the audit log recorded them.
      const pastDetails = await transaction.auditEntry.findMany({
        where: { subjectUserId: personId },
        select: { details: true },
      });
      const identifiers = [user.name, user.email, ...pastDetails.flatMap((entry) => identifiersIn(entry.details))];
      const auditEntriesScrubbed = await scrubAuditDetails(transaction, identifiers);

      await transaction.user.update({
        where: { id: personId },
        data: {
          name: erasedName,
          email: erasedEmail(personId),
          passwordHash: null,
          externalId: null,
          oidcSubject: null,
          erasedAt: now,
          disabledAt: user.disabledAt ?? now,
        },
      });
      const counts = {
        sessions: transcripts.sessions + unfinished.length,
        turns: transcripts.turns + unfinishedTurns,
        scorecards: transcripts.scorecards,
        oneToOnes: oneToOnes.count,
        observations: observations.count,
        auditEntriesScrubbed,
      };
      // Counts only: this entry is the lasting record that the erasure happened.
      await audit(transaction, actor, "person.erased", personId, { ...counts });
      return { ok: true, counts };
    }, longTransaction);
  }
}

/** Replaces the identifiers wherever audit details wrote them down; returns how many entries changed. */
async function scrubAuditDetails(transaction: Transaction, identifiers: string[]): Promise<number> {
  const wanted = [...new Set(identifiers.map((each) => each.trim()).filter((each) => each.length > 0))];
  if (wanted.length === 0) return 0;
  // jsonb's text form escapes quotes and backslashes as JSON does; match what it prints.
  const matches = wanted.map(
    (each) => Prisma.sql`strpos(lower(details::text), ${JSON.stringify(each.toLowerCase()).slice(1, -1)}) > 0`,
  );
  const candidates = await transaction.$queryRaw<{ id: string; details: Prisma.JsonValue }[]>`
    SELECT id::text AS id, details FROM "AuditEntry" WHERE ${Prisma.join(matches, " OR ")}`;
  let scrubbed = 0;
  for (const candidate of candidates) {
    const result = scrubIdentifiers(candidate.details, wanted);
    if (!result.changed) continue;
    await transaction.auditEntry.update({
      where: { id: candidate.id },
      data: { details: result.value as Prisma.InputJsonValue },
    });
    scrubbed += 1;
  }
  return scrubbed;
}
