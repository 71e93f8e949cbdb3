// The only file that listens: reads the configuration, migrates the database and serves.
import { holdSingleServingProcess } from "@spar/db";
import closeWithGrace from "close-with-grace";
import { buildApp, loggerOptions } from "./app.ts";
import { describeDatabase, isExplainedError, openConfiguredDatabase } from "./start.ts";

async function main() {
  const { config, database, migration } = await openConfiguredDatabase(process.env, { serving: true });
  // Without Redis, one serving process per PostgreSQL (PGlite's data directory has its own lock).
  const servingLock =
    config.database.kind === "postgresql" && !config.redisUrl
      ? await holdSingleServingProcess(config.database.url, (error) => console.error(`Lost the single-process lock on PostgreSQL: ${error.message}`)).catch(async (error: unknown) => {
          await database.close();
          throw error;
        })
      : null;
  const { app, services, loadDemo } = await buildApp({ config, database, logger: loggerOptions(config) });

  for (const name of migration.modifiedAfterApply) {
    app.log.warn({ migration: name }, "migration file changed after it was applied");
  }
  app.log.info(
    { database: describeDatabase(config), migration: migration.level, applied: migration.applied, llm: config.llm.engine },
    "database ready",
  );
  if (config.demo === "load" && (await services.accounts.needsSetup())) {
    const demo = await loadDemo();
    app.log.info({ sessions: demo.created ? demo.sessions : 0 }, "loaded the demo organisation and its practice history");
  }

  const sweep = setInterval(() => {
    services.accounts.sweepExpiredSessions().catch((error: unknown) => app.log.warn({ err: error }, "session sweep failed"));
  }, 3_600_000);
  sweep.unref();

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, "shutting down after an error");
    else app.log.info({ signal }, "shutting down");
    clearInterval(sweep);
    await app.close();
    await servingLock?.release();
    await database.close();
  });

  await app.listen({ port: config.port, host: config.host });
  app.log.info(`Spar is ready on ${config.publicUrl.origin} (offline persona: ${config.llm.engine === "offline"})`);
}

main().catch((error: unknown) => {
  if (isExplainedError(error)) {
    console.error(`Spar could not start.\n${error.message}`);
  } else {
    console.error("Spar could not start:", error);
  }
  process.exit(1);
});
