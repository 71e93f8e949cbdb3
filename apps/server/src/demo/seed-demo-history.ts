import { type Database, PrismaAssignmentStore, PrismaLibraryVersions, PrismaPracticeStore, PrismaScoringStore } from "@spar/db";
import {
  type Clock,
  demoAssignments,
  demoPeople,
  demoPracticePlan,
  type Library,
  offlineScorer,
  PracticeService,
  ScoringService,
  seededChooser,
} from "@spar/domain";
import { OfflinePersonaEngine } from "@spar/llm";

const day = 86_400_000;

/**
 * Practises the demo plan for real: each learner's words come from the scenario's strong and
 * weak example transcripts in proportion to their skill, the offline persona answers, and the
 * offline scorer scores every session, so every number in the manager views traces to sessions.
 */
export async function seedDemoHistory(database: Database, library: Library, now: Date): Promise<number> {
  // Sessions point at the scenario and rubric versions they ran on: make sure those are stored.
  await new PrismaLibraryVersions(database.prisma).record(library);
  let current = now;
  const clock: Clock = { now: () => new Date(current) };
  const practice = new PracticeService({
    store: new PrismaPracticeStore(database.prisma),
    library: () => library,
    persona: new OfflinePersonaEngine(),
    clock,
    limits: { maxActiveSessions: 1_000 },
  });
  const scoring = new ScoringService({
    store: new PrismaScoringStore(database.prisma),
    scorer: offlineScorer,
    library: () => library,
    clock,
    maxAttempts: 1,
    backoffBaseMs: 0,
    leaseMs: 60_000,
  });
  const learners = new Map(
    (await database.prisma.user.findMany({ where: { email: { in: demoPeople.map((person) => person.email) } } })).map((user) => [user.email, user.id]),
  );
  const plan = demoPracticePlan(demoPeople).sort((a, b) => b.daysAgo - a.daysAgo);
  let seeded = 0;
  for (const [index, planned] of plan.entries()) {
    const learnerId = learners.get(planned.learnerEmail);
    const examples = library.examples.filter((example) => example.value.scenario === planned.scenarioId);
    const lines = (label: string) =>
      examples.find((example) => example.value.label === label)?.value.turns.filter((turn) => turn.speaker === "learner").map((turn) => turn.text) ?? [];
    const strong = lines("strong");
    const weak = lines("weak");
    if (!learnerId || strong.length === 0 || weak.length === 0) continue;

    current = new Date(now.getTime() - planned.daysAgo * day + (index % 7) * 3_600_000);
    const started = await practice.start(learnerId, planned.scenarioId);
    if (!started.ok) continue;
    const sessionId = started.session.id;
    // Seeded by learner and skill: someone whose skill does not move says the same things again.
    const choose = seededChooser([...planned.learnerEmail].reduce((sum, char) => sum * 31 + char.charCodeAt(0), 7) + Math.round(planned.skill * 100));
    let ended = false;
    for (let turn = 0; turn < Math.max(strong.length, weak.length) && !ended; turn++) {
      const text = choose(planned.skill) ? (strong[turn] ?? weak[turn]) : (weak[turn] ?? strong[turn]);
      if (!text) break;
      current = new Date(current.getTime() + 45_000);
      const submitted = await practice.submitTurn(learnerId, sessionId, `demo-${turn}`, text);
      if (!submitted.ok || submitted.ended) break;
      current = new Date(current.getTime() + 5_000);
      const reply = await practice.reply(sessionId, { signal: new AbortController().signal, onStart: () => {}, onDelta: () => {} });
      ended = !reply.ok || reply.ended !== null;
    }
    if (!ended) await practice.end(learnerId, sessionId);
    current = new Date(current.getTime() + 10_000);
    await scoring.scoreNext("demo-seed");
    seeded += 1;
  }
  await seedDemoAssignments(database, now);
  return seeded;
}

/** The assignments managers set, dated as if set days ago, so one is overdue and one is still to come. */
async function seedDemoAssignments(database: Database, now: Date): Promise<void> {
  const store = new PrismaAssignmentStore(database.prisma);
  const ids = new Map((await database.prisma.user.findMany({ where: { isDemo: true }, select: { id: true, email: true } })).map((user) => [user.email, user.id]));
  for (const planned of demoAssignments(demoPeople)) {
    const createdById = ids.get(planned.managerEmail);
    const learnerIds = planned.learnerEmails.flatMap((email) => ids.get(email) ?? []);
    if (!createdById || learnerIds.length === 0) continue;
    const team = planned.team ? await database.prisma.team.findFirst({ where: { name: planned.team, isDemo: true }, select: { id: true } }) : null;
    const assignment = await store.create({
      scenarioId: planned.scenarioId,
      createdById,
      teamId: team?.id ?? null,
      dueAt: new Date(now.getTime() + planned.dueInDays * day),
      note: planned.note,
      learnerIds,
    });
    await database.prisma.assignment.update({ where: { id: assignment.id }, data: { createdAt: new Date(now.getTime() - planned.setDaysAgo * day) } });
  }
}
