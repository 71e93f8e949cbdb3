// `spar <command>`: operator and author tasks that run beside (or instead of) the server.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { demoPassword, loadLibrary, systemClock } from "@spar/domain";
import { loadDemo } from "../demo/load-demo.ts";
import { readLibraryFiles } from "../library/library-files.ts";
import { CreateFirstAdminRequest } from "@spar/protocol";
import { loadConfig } from "../env.ts";
import { argon2Passwords, randomTokens } from "../security.ts";
import { createServices } from "../services.ts";
import { describeDatabase, isExplainedError, openConfiguredDatabase } from "../start.ts";
import { calibrate, JudgeNotConfiguredError } from "./calibrate-command.ts";
import { runDataRightsCommand } from "./data-rights-commands.ts";
import { checkScenarios, invocationDir, listScenarioFiles, writeJsonSchemas } from "./scenario-commands.ts";
import { checkLlm } from "./llm-check-command.ts";
import { importPeopleFile, MissingFileError } from "./people-import-command.ts";
import { runScoringWorker } from "./worker-command.ts";
import { exportScenarios, publishScenarios } from "./publication-commands.ts";

const usage = `Usage: spar <command>

Library files (no database needed):
  scenarios check [paths...]          validate scenario, rubric and example files (default: the
                                      library folder, SPAR_LIBRARY_DIR); exit 1 if any has an error
  scenarios list                      the library's scenarios with their versions
  scenarios schema                    write the JSON Schemas editors use into <library>/schema/
  scenarios calibrate [paths...]      score every example transcript and compare with its expected
                                      bands, the tuning set and the held-out set (held-out/ folders)
                                      apart; exit 1 below a scenario's thresholds or a held-out target
                                      (docs/scoring-validity.md). With an LLM configured the judge is
                                      calibrated beside the offline scorer; --offline or --judge runs
                                      one of them only. --json prints one JSON document instead of the
                                      report. Stores the results (--no-store to skip)

Models (no database needed):
  llm check                           ask the configured persona and judge models one small thing
                                      each, and print what works, what the endpoint refused and
                                      Spar now does without, the first-token latency, and what to
                                      set when a call fails (docs/llm-providers.md); exit 1 when a
                                      role fails, 0 with the offline engine

Published library (the servers serve the latest publication, kept in the database):
  scenarios publish [dir]             check the folder (default: SPAR_LIBRARY_DIR) as \`scenarios check\`
                                      does and, with no errors, publish it as the new library; prints
                                      the files added, changed and removed. Servers switch to it at
                                      once with REDIS_URL, else within a minute
  scenarios export <dir>              write the latest publication (browser edits included) into
                                      <dir>, removing library files it no longer has, to commit to git

Database (DATABASE_URL, or the embedded one in SPAR_DATA_DIR):
  db migrate                          apply pending database migrations
  admin create --name N --email E     create the first L&D admin (asks for the password,
                                      or reads it from standard input when piped)
  seed demo                           load the demo organisation (1 admin, 2 managers, 8 learners)
  people import <file.csv>            add and update people and teams from a CSV (docs/people-import.md);
                                      every bad row is printed and nothing is imported (exit 1);
                                      --dry-run reports what would change without writing
  people export <email> [--out FILE]  everything Spar holds about the person as one JSON document
  people erase <email> [--yes]        erase the person's personal data and transcripts for good
                                      (asks to type the address again; --yes for scripts)
  retention sweep                     erase transcripts older than SPAR_RETENTION_DAYS now
  worker                              score ended sessions and nothing else (SPAR_SCORING_CONCURRENCY
                                      of them together; pg-boss on PostgreSQL); stops on SIGTERM or
                                      SIGINT once the sessions in hand are done`;

class UsageError extends Error {}

async function readPassword(): Promise<string> {
  const lines = createInterface({ input: process.stdin, output: process.stdin.isTTY ? process.stdout : undefined });
  try {
    return (await lines.question(process.stdin.isTTY ? "Password (10+ characters): " : "")).trim();
  } finally {
    lines.close();
  }
}

async function runDatabaseCommand(command: string, values: { name?: string | undefined; email?: string | undefined }): Promise<number> {
  const { config, database, migration } = await openConfiguredDatabase();
  try {
    const services = createServices({ config, database, clock: systemClock, passwords: argon2Passwords, tokens: randomTokens });
    if (command === "db migrate") {
      console.log(`Database: ${describeDatabase(config)}`);
      console.log(migration.applied.length === 0 ? "Already up to date." : `Applied: ${migration.applied.join(", ")}`);
      console.log(`Migration level: ${migration.level ?? "(none)"}`);
      for (const name of migration.modifiedAfterApply) console.warn(`Warning: ${name} was edited after it was applied.`);
      return 0;
    }
    if (command === "admin create") {
      const parsed = CreateFirstAdminRequest.safeParse({ name: values.name, email: values.email, password: await readPassword() });
      if (!parsed.success) {
        throw new UsageError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n"));
      }
      const weak = services.accounts.passwordProblem(parsed.data.password);
      if (weak) throw new UsageError(`password: ${weak}`);
      const signedIn = await services.accounts.createFirstAdmin(parsed.data);
      if (!signedIn) {
        console.error("An account already exists: the first admin can only be created on an empty database.");
        return 1;
      }
      await services.accounts.signOut(signedIn.token);
      console.log(`Created L&D admin ${signedIn.user.email}. Sign in at ${config.publicUrl.origin}.`);
      return 0;
    }
    const { library } = await loadLibrary(await readLibraryFiles([config.library.dir], invocationDir));
    const result = await loadDemo(services, database, library, { history: config.demoHistory });
    if (!result.created) {
      const messages = {
        "email-taken": "A demo email address is taken by a real account; nothing was loaded.",
        "real-accounts": "This database has real accounts: the demo organisation is only loaded on a fresh install, so demo and real data never mix.",
        "already-loaded": "The demo organisation is already loaded.",
      } as const;
      console.log(messages[result.reason]);
      return result.reason === "already-loaded" ? 0 : 1;
    }
    console.log(
      `Loaded the demo organisation: ${result.people} people and ${result.sessions ?? 0} scored practice sessions. ` +
        `Every account's password is "${demoPassword}".`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      email: { type: "string" },
      help: { type: "boolean", short: "h" },
      offline: { type: "boolean" },
      judge: { type: "boolean" },
      json: { type: "boolean" },
      "no-store": { type: "boolean" },
      out: { type: "string" },
      yes: { type: "boolean" },
      "dry-run": { type: "boolean" },
    },
  });
  const [group, action, ...rest] = positionals;
  const command = [group, action].filter(Boolean).join(" ");
  if (values.help || command === "") {
    console.log(usage);
    return 0;
  }
  switch (command) {
    case "scenarios check":
      return checkScenarios(rest, loadConfig().library.dir);
    case "scenarios list":
      return listScenarioFiles(loadConfig().library.dir);
    case "scenarios schema":
      return writeJsonSchemas(loadConfig().library.dir);
    case "scenarios publish":
      return publishScenarios(rest[0], loadConfig().library.dir);
    case "scenarios export":
      if (!rest[0]) throw new UsageError("Give the folder to write the library into, e.g. `spar scenarios export scenarios`.");
      return exportScenarios(rest[0]);
    case "scenarios calibrate": {
      if (values.offline && values.judge) throw new UsageError("Choose --offline or --judge, not both (neither runs both when an LLM is configured).");
      const scorers = values.offline ? "offline" : values.judge ? "judge" : "both";
      return calibrate(rest, loadConfig(), { scorers, store: !values["no-store"], json: values.json === true }).catch((error: unknown) => {
        throw error instanceof JudgeNotConfiguredError ? new UsageError(error.message) : error;
      });
    }
    case "db migrate":
    case "admin create":
    case "seed demo":
      return runDatabaseCommand(command, values);
    case "people export":
    case "people erase":
    case "retention sweep":
      return runDataRightsCommand(command, rest, values);
    case "worker":
      return runScoringWorker();
    case "llm check":
      return checkLlm(loadConfig());
    case "people import":
      return importPeopleFile(rest[0], { dryRun: values["dry-run"] === true }).catch((error: unknown) => {
        throw error instanceof MissingFileError ? new UsageError(error.message) : error;
      });
    default:
      throw new UsageError(`Unknown command "${positionals.join(" ")}".`);
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${usage}`);
    else if (isExplainedError(error) || (error instanceof Error && error.message.includes("no such file"))) console.error(error.message);
    else console.error(error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
