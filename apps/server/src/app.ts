import { readFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifyUnderPressure from "@fastify/under-pressure";
import { AppError } from "./app-error.ts";
import fastifyWebsocket from "@fastify/websocket";
import { type Database, PrismaCalibrationRuns, PrismaLibraryPublications, PrismaLibraryVersions, PrismaPracticeStore, PrismaProgramme, PrismaScimDirectory } from "@spar/db";
import {
  type Clock,
  type PasswordHasher,
  type PersonaEngine,
  PracticeService,
  systemClock,
  type TokenSource,
  type TranscriptScorer,
} from "@spar/domain";
import Fastify, { type FastifyServerOptions } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { type AppConfig, repositoryRoot } from "./env.ts";
import { accessControl, originCheck, type RouteAccess } from "./plugins/access-control.ts";
import { loadDemo } from "./demo/load-demo.ts";
import { followPublications } from "./library/library-announcements.ts";
import { LibraryHolder } from "./library/library-holder.ts";
import { LibraryPublisher } from "./library/library-publisher.ts";
import { ThreadedLibraryLoader } from "./library/threaded-library-loader.ts";
import { watchLibraryFolder } from "./library/library-watcher.ts";
import { createMetrics } from "./metrics/metrics.ts";
import { createPersonaEngine } from "./persona-engine.ts";
import { assignmentRoutes } from "./routes/http/assignment-routes.ts";
import { libraryFileRoutes } from "./routes/http/library-file-routes.ts";
import { oneToOneRoutes } from "./routes/http/one-to-one-routes.ts";
import { programmeRoutes } from "./routes/http/programme-routes.ts";
import { scorecardRoutes } from "./routes/http/scorecard-routes.ts";
import { adjudicationRoutes } from "./routes/http/adjudication-routes.ts";
import { createScorer, scorerDeadlineMs } from "./scorer.ts";
import { createScoringQueue } from "./scoring/create-scoring-queue.ts";
import { scorecardViews } from "./scoring/scorecard-reader.ts";
import { type ScoringQueueSettings, scoringQueueSettings } from "./scoring/scoring-queue-settings.ts";
import { scoringFailureRoutes } from "./routes/http/scoring-failure-routes.ts";
import { messageRateLimiter } from "./practice/message-rate-limiter.ts";
import { localSocketAdmission, redisSocketAdmission } from "./practice/socket-admission.ts";
import { ReplyStreams } from "./practice/reply-streams.ts";
import { socketErrorHandler } from "./practice/socket-error-handler.ts";
import { type PracticeSocketOptions, type PracticeVoiceOptions, practiceSocketRoutes } from "./routes/ws/practice-socket.ts";
import { speechServices } from "./speech-services.ts";
import { errorHandler } from "./plugins/error-handler.ts";
import { securityHeaders } from "./plugins/security-headers.ts";
import { hostCheck } from "./plugins/host-check.ts";
import { publicAddress } from "./public-address.ts";
import { webApp } from "./plugins/web-app.ts";
import { authRoutes } from "./routes/http/auth-routes.ts";
import { healthRoutes } from "./routes/http/health-routes.ts";
import { metricsRoute } from "./routes/http/metrics-route.ts";
import { scenarioRoutes } from "./routes/http/scenario-routes.ts";
import { practiceSessionRoutes } from "./routes/http/practice-session-routes.ts";
import { setupRoutes } from "./routes/http/setup-routes.ts";
import { teamRoutes } from "./routes/http/team-routes.ts";
import { accountLinkRoutes } from "./routes/http/account-link-routes.ts";
import { auditRoutes } from "./routes/http/audit-routes.ts";
import { peopleRoutes } from "./routes/http/people-routes.ts";
import { peopleImportRoutes } from "./routes/http/people-import-routes.ts";
import { teamAdminRoutes } from "./routes/http/team-admin-routes.ts";
import { scimRoutes } from "./routes/http/scim-routes.ts";
import { ssoRoutes } from "./routes/http/sso-routes.ts";
import { passwordSignInSwitch } from "./plugins/password-sign-in.ts";
import { argon2Passwords, randomTokens } from "./security.ts";
import { createServices } from "./services.ts";
import { probeLlm } from "./llm-probe.ts";
import { processCapabilities } from "@spar/llm";
import { busRevocationChannel, SignInRevocations } from "./accounts/sign-in-revocations.ts";
import { localEventBus, newNodeName, newProcessId } from "./events/event-bus.ts";
import { connectRedis, redisEventBus } from "./events/redis-event-bus.ts";
import { loggingLlmFailures } from "./llm-failure-log.ts";
import { LlmCallStatus } from "./llm-status.ts";
import { localReplyState, type ReplyState, redisReplyState } from "./practice/reply-state.ts";
import type { Mailer } from "./mail/mailer.ts";
import type { ThrottleLimits } from "./accounts/sign-in-throttle.ts";
import { dataRightsRoutes } from "./routes/http/data-rights-routes.ts";
import { startRetentionSchedule } from "./retention/retention-schedule.ts";
import { runEvery } from "./schedule.ts";

export interface AppDeps {
  config: AppConfig;
  database: Database;
  clock?: Clock;
  passwords?: PasswordHasher;
  tokens?: TokenSource;
  /** Pino options or `false`; tests pass `false` to keep output quiet. */
  logger?: FastifyServerOptions["logger"];
  webDistDir?: string;
  /** Plays the persona; by default the offline engine or the configured OpenAI-compatible model. */
  persona?: PersonaEngine;
  /** Told each stage of a spoken reply's way out (the latency benchmark). */
  speechStage?: PracticeVoiceOptions["onStage"];
  /** Scores transcripts; by default the offline scorer or the configured judge model. */
  scorer?: TranscriptScorer;
  /** The scoring queue's waits (backoff, lease, polling); tests make them small. */
  scoringQueue?: Partial<ScoringQueueSettings>;
  /** Sends invitation and reset e-mail; by default SMTP_URL's server, or none. */
  mailer?: Mailer;
  /** Failed sign-in limits; tests make them small. */
  throttleLimits?: ThrottleLimits;
  /** Where replies in progress are recorded; by default Redis when configured, else this process. */
  replyState?: ReplyState;
  /** Tests make load shedding act on a small, short-lived lag. */
  underPressure?: { maxEventLoopDelayMs?: number; sampleIntervalMs?: number };
  /** Tests shorten these to see heartbeats and limits act quickly. */
  socket?: Partial<Pick<PracticeSocketOptions, "heartbeatMs" | "maxBufferedBytes" | "maxMessageBytes" | "maxQueuedMessages">> & {
    messagesPerSecond?: number;
    messageBurst?: number;
  };
}

const version: string = JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")).version ?? "0.0.0";

export function loggerOptions(config: AppConfig): FastifyServerOptions["logger"] {
  return {
    level: config.logLevel,
    // Secrets never reach the log: cookies, authorization headers and any password field.
    redact: ["req.headers.cookie", "req.headers.authorization", "*.password", "*.passwordHash", "*.apiKey"],
  };
}

// What an overloaded process tells clients to wait before trying again (Retry-After).
const overloadRetryAfterSeconds = 5;

/** Trust the nearest `hops` proxies: X-Forwarded-For names the client as the last of them saw it. */
function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

/** Builds the HTTP application without listening, so tests can `inject()` requests. */
export async function buildApp(deps: AppDeps) {
  const { config, database } = deps;
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(config),
    genReqId: (request) => {
      const given = request.headers["x-request-id"];
      return typeof given === "string" && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 64 * 1024,
    // Which proxies' X-Forwarded-For names the client (SPAR_TRUST_PROXY): sign-in throttling
    // counts per client address, so behind a proxy this must be set or everyone shares one.
    trustProxy: typeof config.trustProxy === "number" ? trustHops(config.trustProxy) : config.trustProxy,
  }).withTypeProvider<ZodTypeProvider>();
  // Every route with who may call it and what it parses: the role matrix and hostile-input tests
  // walk this table, so a new route is checked the moment it exists.
  const routes: RouteSummary[] = [];
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      if (method === "HEAD") continue;
      const { body, querystring, params } = route.schema ?? {};
      routes.push({ method, url: route.url, access: route.config?.access ?? null, websocket: Boolean((route as { websocket?: boolean }).websocket), inputs: { body, querystring, params } });
    }
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Which process answered (a random name per process): behind a load balancer, operators and
  // tests can tell the processes apart without learning host names.
  const node = newNodeName();
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
    reply.header("x-spar-node", node);
  });

  // What the processes share beyond the database: with REDIS_URL, Redis; else this process alone.
  const redis = config.redisUrl ? await connectRedis(config.redisUrl) : null;
  const bus = redis ? redisEventBus(redis, newProcessId(node)) : localEventBus(newProcessId(node));
  const revocations = new SignInRevocations(busRevocationChannel(bus));
  app.addHook("onClose", async () => {
    await revocations.close();
    await bus.close();
  });
  const services = createServices({
    config,
    database,
    clock: deps.clock ?? systemClock,
    passwords: deps.passwords ?? argon2Passwords,
    tokens: deps.tokens ?? randomTokens,
    revocations,
    mailer: deps.mailer,
    throttleLimits: deps.throttleLimits,
  });
  const servedOverHttps = config.publicUrl.protocol === "https:";
  const secureCookies = servedOverHttps;
  const { origins: publicOrigins, hostNames } = publicAddress(config);

  // Counted whether or not /metrics is served: the instruments cost next to nothing.
  const metrics = createMetrics({
    scoringQueue: () => services.scoringStore.queue(),
    clock: deps.clock ?? systemClock,
    processMetrics: config.metrics.enabled,
    log: app.log.child({ component: "metrics" }),
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.httpRequestDuration.observe({ method: request.method, route, status_code: reply.statusCode }, reply.elapsedTime / 1000);
  });

  // First of the request hooks: every answer carries the security headers, refusals included.
  await app.register(securityHeaders, { https: servedOverHttps });
  await app.register(errorHandler, { metrics });
  // Before any hook that can refuse a request: its hooks mark an upgrade request as one, so that
  // the socket of an upgrade refused early (another host, overload) is closed after the answer.
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 }, errorHandler: socketErrorHandler });
  app.websocketServer.on("headers", (headers: string[]) => headers.push(`x-spar-node: ${node}`));
  // Before anything reads a cookie or a body: a request for another host goes no further.
  await app.register(hostCheck, { hostNames });
  await app.register(fastifyCookie);
  // With Redis the per-route limits count across every process, else in this one.
  await app.register(fastifyRateLimit, { global: false, ...(redis ? { redis: redis.commands, nameSpace: "spar:http-rate:", skipOnError: true } : {}) });
  // Load shedding: when this process's event loop lags, new requests and websocket upgrades get
  // 503 with Retry-After, so a node near its limit turns new arrivals away (the load balancer
  // tries another) instead of slowing every conversation it already holds. /health and
  // /metrics still answer, so the node stays observable.
  const maxEventLoopDelay = deps.underPressure?.maxEventLoopDelayMs ?? config.maxEventLoopDelayMs;
  if (maxEventLoopDelay > 0) {
    await app.register(fastifyUnderPressure, {
      maxEventLoopDelay,
      sampleInterval: deps.underPressure?.sampleIntervalMs ?? 1_000,
      pressureHandler: async (request, reply, type, value) => {
        if (request.url === "/health" || request.url.startsWith("/metrics")) return;
        request.log.warn({ type, value }, "refusing a request: this process is overloaded");
        reply.header("retry-after", String(overloadRetryAfterSeconds));
        throw new AppError(503, "OVERLOADED", `Spar is busy right now. Try again in ${overloadRetryAfterSeconds} seconds.`);
      },
    });
  }
  await app.register(originCheck, { publicOrigins });
  await app.register(accessControl, { accounts: services.accounts, secureCookies });
  await app.register(passwordSignInSwitch, { enabled: config.passwordSignIn, providerName: config.oidc?.providerName ?? null });

  // The library is the latest publication in the database; a publish on any process (or by the
  // CLI) is announced on the bus, and every process moves to it.
  const publications = new PrismaLibraryPublications(database.prisma);
  const libraryLog = app.log.child({ component: "library" });
  // Parsing and validating library files runs on a worker thread: a publish checks the whole
  // library again, and an upload may be built to be slow; neither may hold up other requests.
  const libraryLoader = new ThreadedLibraryLoader();
  app.addHook("onClose", async () => libraryLoader.close());
  const library = new LibraryHolder({
    load: libraryLoader.load,
    dir: config.library.dir,
    baseDir: repositoryRoot,
    publications,
    versions: new PrismaLibraryVersions(database.prisma),
    clock: deps.clock ?? systemClock,
    log: libraryLog,
  });
  const publisher = new LibraryPublisher({ publications, clock: deps.clock ?? systemClock, bus, log: libraryLog });
  await library.start();
  // Its first check runs once subscribed, so a publication made since the load is not missed.
  const following = await followPublications(bus, library, libraryLog);
  app.addHook("onClose", async () => following.stop());
  const watcher = config.library.watch ? watchLibraryFolder({ dir: config.library.dir, library, publisher, log: libraryLog, check: libraryLoader.check }) : null;
  app.addHook("onClose", async () => watcher?.close());

  // What this process's own calls learn of the endpoints, for /health.
  const llmCalls = new LlmCallStatus();
  const llmObserver = loggingLlmFailures(app.log.child({ component: "llm" }), llmCalls.observing(metrics.llm));
  const practice = new PracticeService({
    store: new PrismaPracticeStore(database.prisma),
    library: () => library.library,
    persona: deps.persona ?? createPersonaEngine(config, llmObserver),
    clock: deps.clock ?? systemClock,
    limits: { maxActiveSessions: config.practice.maxActiveSessions },
    onEnded: async (session, at) => {
      await services.assignments.completeFor(session.learnerId, session.scenarioId, session.id, at);
    },
    onTurn: (turn) => metrics.practiceTurns.inc({ speaker: turn.speaker, engine: turn.engine }),
    onGuardCut: (cut) => metrics.personaGuardCuts.inc({ reason: cut.reason }),
  });
  const scorer = deps.scorer ?? createScorer(config, llmObserver, () => library.library);
  const { queue: scoringQueue, service: scoring } = createScoringQueue({
    config,
    store: services.scoringStore,
    scorer,
    library: () => library.library,
    clock: deps.clock ?? systemClock,
    log: app.log,
    settings: scoringQueueSettings(config.scoring, scorerDeadlineMs(config), deps.scoringQueue),
    work: config.scoring.worker,
  });
  const streams = new ReplyStreams(bus, deps.replyState ?? (redis ? redisReplyState(redis.commands) : localReplyState()), {
    coalesceMs: config.practice.coalesceMs,
    leaseMs: 15_000,
    onError: (error) => app.log.warn({ err: error }, "a practice event did not reach the other processes"),
  });
  scoringQueue.onOutcome((outcome) => {
    metrics.scorecards.inc({ scorer: scorer.kind, outcome: outcome.kind });
    // Pushed to the learner's sockets on whichever process holds them; an attempt that lost its
    // lease has nothing to say (the worker that took the session over will).
    if (outcome.kind !== "retrying" || outcome.nextAttemptAt) streams.announce(outcome.sessionId, "scoring");
  });
  await scoringQueue.start();
  app.addHook("onClose", async () => scoringQueue.stop());
  // Sessions nobody will end (past their time limit, or silent past the idle limit) are ended
  // here, then scored; the learner's sockets, on any process, hear of it.
  // The demo history is practised with past dates while it loads: its sessions would look
  // abandoned, so this process does not sweep while it loads the demo.
  let loadingDemo = 0;
  const loadDemoHere = async () => {
    loadingDemo++;
    try {
      return await loadDemo(services, database, library.library, { history: config.demoHistory });
    } finally {
      loadingDemo--;
    }
  };
  const sweepSessions = async () => {
    if (loadingDemo > 0) return;
    const swept = await practice.sweep(config.practice.idleMs);
    for (const each of swept) {
      app.log.info({ sessionId: each.sessionId, reason: each.reason }, "ended a practice session nobody ended");
      streams.announce(each.sessionId, "ended");
    }
    if (swept.length > 0) scoringQueue.sessionEnded();
  };
  const sessionSweep = runEvery(60_000, () => sweepSessions().catch((error: unknown) => app.log.error({ err: error }, "session sweep failed; it runs again within a minute")));
  app.addHook("onClose", async () => sessionSweep.stop());
  const retentionSchedule = services.retention ? startRetentionSchedule(services.retention, app.log.child({ component: "retention" })) : null;
  app.addHook("onClose", async () => retentionSchedule?.stop());

  // Deployed, a process asks each model one small question as it starts, in the background: the
  // operator sees in /health whether the models answer before anyone practises, and what the
  // endpoints refused is learned before a learner's first turn.
  const llm = config.llm;
  if (config.llmProbeAtStart && llm.engine === "openai-compatible" && !deps.persona) {
    const probeLog = app.log.child({ component: "llm" });
    app.addHook("onReady", async () => {
      void probeLlm(llm, library.library, processCapabilities, llmObserver)
        .then((probe) => {
          llmCalls.recordProbe(probe);
          probeLog.info({ persona: probe.persona.ok, judge: probe.judge.ok }, "asked the persona and the judge one small question at start-up (llm.calls.lastProbe in /health)");
        })
        .catch((error: unknown) => probeLog.warn({ err: error }, "the start-up probe of the models could not run"));
    });
  }

  await app.register(healthRoutes, { database, config, version, llmCalls });
  if (config.metrics.enabled) await app.register(metricsRoute, { registry: metrics.registry, token: config.metrics.token });
  await app.register(scenarioRoutes, { library, calibration: new PrismaCalibrationRuns(database.prisma) });
  await app.register(practiceSocketRoutes, {
    practice,
    streams,
    rateLimiter: messageRateLimiter({
      perSecond: deps.socket?.messagesPerSecond ?? config.practice.messagesPerSecond,
      burst: deps.socket?.messageBurst ?? config.practice.messageBurst,
      redis: redis?.commands,
      onStoreError: (error) => app.log.warn({ err: error }, "the shared message rate limit is unavailable; counting per process"),
    }),
    publicOrigins,
    admission: redis
      ? redisSocketAdmission(redis.commands, config.practice.maxSocketsPerLearner, 3 * (deps.socket?.heartbeatMs ?? 30_000))
      : localSocketAdmission(config.practice.maxSocketsPerLearner),
    maxSocketsPerLearner: config.practice.maxSocketsPerLearner,
    heartbeatMs: deps.socket?.heartbeatMs ?? 30_000,
    maxBufferedBytes: deps.socket?.maxBufferedBytes ?? 1024 * 1024,
    maxMessageBytes: deps.socket?.maxMessageBytes ?? 16 * 1024,
    maxQueuedMessages: deps.socket?.maxQueuedMessages ?? 256,
    scorecards: (sessionId) => scorecardViews(services.scoringStore, library.library, sessionId, services.adjudications),
    scoringState: (sessionId) => services.scoringStore.scoringState(sessionId),
    sessionEnded: () => scoringQueue.sessionEnded(),
    metrics,
    onSignInRevoked: (listener) => revocations.onRevoked(listener),
    voice: speechServices(config.speech, services.turnAudio, deps.speechStage),
  });
  await app.register(scorecardRoutes, { services, library, scoringQueue });
  await app.register(scoringFailureRoutes, { scoringQueue, audit: services.audit });
  await app.register(adjudicationRoutes, { services, library });
  await app.register(assignmentRoutes, { services, library, clock: deps.clock ?? systemClock });
  await app.register(oneToOneRoutes, { services });
  await app.register(programmeRoutes, { programme: new PrismaProgramme(database.prisma), library });
  await app.register(libraryFileRoutes, { library, publisher, dir: config.library.dir, audit: services.audit, check: libraryLoader.check });
  await app.register(authRoutes, { services, secureCookies });
  await app.register(setupRoutes, {
    services,
    secureCookies,
    demoAllowed: config.demo !== "off",
    loadDemo: loadDemoHere,
  });
  await app.register(teamRoutes, { services });
  await app.register(teamAdminRoutes, { services });
  await app.register(peopleRoutes, { services, publicUrl: config.publicUrl });
  await app.register(peopleImportRoutes, { services });
  await app.register(auditRoutes, { services });
  await app.register(accountLinkRoutes, { services, secureCookies });
  await app.register(scimRoutes, { people: services.people, directory: new PrismaScimDirectory(database.prisma), token: config.scimToken, publicUrl: config.publicUrl });
  await app.register(ssoRoutes, { services, config, clock: deps.clock ?? systemClock, secureCookies });
  await app.register(dataRightsRoutes, { services });
  await app.register(practiceSessionRoutes, {
    services,
    practice,
    library,
    announceEnded: (sessionId) => streams.announce(sessionId, "ended"),
  });
  await app.register(webApp, { distDir: deps.webDistDir ?? path.join(repositoryRoot, "apps", "web", "dist") });

  return { app, services, library, publisher, practice, scoring, scoringQueue, metrics, routes, sweepSessions, loadDemo: loadDemoHere };
}

export interface RouteSummary {
  method: string;
  url: string;
  access: RouteAccess | null;
  websocket: boolean;
  /** The schemas a request is parsed with: the hostile-input tests send every one hostile text. */
  inputs: { body?: unknown; querystring?: unknown; params?: unknown };
}

export type SparApp = Awaited<ReturnType<typeof buildApp>>["app"];
