// `spar people export|erase <email>` and `spar retention sweep`: each person's data rights, and
// the retention period, from the command line.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { type Actor, systemClock } from "@spar/domain";
import { Email } from "@spar/protocol";
import { busRevocationChannel, SignInRevocations } from "../accounts/sign-in-revocations.ts";
import { connectRedis, redisEventBus } from "../events/redis-event-bus.ts";
import { argon2Passwords, randomTokens } from "../security.ts";
import { createServices } from "../services.ts";
import { openConfiguredDatabase } from "../start.ts";
import { invocationDir } from "./scenario-commands.ts";

const cliActor: Actor = { id: null, via: "cli" };

export interface DataRightsOptions {
  out?: string | undefined;
  yes?: boolean | undefined;
}

/** Output for people, errors for people: every refusal says what to do instead. */
class Refusal extends Error {}

async function withServices<T>(run: (services: ReturnType<typeof createServices>) => Promise<T>): Promise<T> {
  const { config, database } = await openConfiguredDatabase();
  // With Redis, an erasure from here closes the person's open sockets on every server process.
  const bus = config.redisUrl ? redisEventBus(await connectRedis(config.redisUrl)) : null;
  const revocations = bus ? new SignInRevocations(busRevocationChannel(bus)) : undefined;
  try {
    return await run(createServices({ config, database, clock: systemClock, passwords: argon2Passwords, tokens: randomTokens, revocations }));
  } finally {
    await revocations?.close();
    await bus?.close();
    await database.close();
  }
}

function parseEmail(given: string | undefined): string {
  if (!given) throw new Refusal("Give the person's e-mail address, e.g. `spar people export name@example.com`.");
  const parsed = Email.safeParse(given);
  if (!parsed.success) throw new Refusal(`"${given}" is not an e-mail address.`);
  return parsed.data;
}

async function ask(question: string): Promise<string> {
  const lines = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await lines.question(question)).trim();
  } finally {
    lines.close();
  }
}

async function exportPerson(email: string, options: DataRightsOptions): Promise<number> {
  return withServices(async (services) => {
    const person = await services.people.store.findByEmail(email);
    if (!person) throw new Refusal(`No person has the e-mail address ${email}.`);
    const document = await services.dataRights.exportPerson(person.id, cliActor);
    if (!document) throw new Refusal(`No person has the e-mail address ${email}.`);
    const json = `${JSON.stringify(document, null, 2)}\n`;
    if (!options.out) {
      process.stdout.write(json);
      return 0;
    }
    const file = path.resolve(invocationDir, options.out);
    await writeFile(file, json, { mode: 0o600 });
    console.log(`Wrote everything Spar holds about ${person.name} (${document.sessions.length} practice sessions) to ${file}.`);
    return 0;
  });
}

async function erasePerson(email: string, options: DataRightsOptions): Promise<number> {
  if (!options.yes && !process.stdin.isTTY) {
    throw new Refusal("Erasure cannot be undone: run this on a terminal to confirm it by typing the address, or pass --yes.");
  }
  return withServices(async (services) => {
    const person = await services.people.store.findByEmail(email);
    if (!person) throw new Refusal(`No person has the e-mail address ${email}.`);
    if (!options.yes) {
      console.log(`This erases ${person.name}'s personal data and practice transcripts for good; their scores stay only as anonymous counts.`);
      const typed = await ask("Type their e-mail address to confirm: ");
      if (typed.toLowerCase() !== person.email) throw new Refusal("The address did not match: nothing was erased.");
    }
    const result = await services.dataRights.erasePerson(person.id, person.email, cliActor);
    if (!result.ok) {
      if (result.reason === "last-admin") throw new Refusal(`${email} is the last active L&D admin: make someone else an L&D admin first.`);
      throw new Refusal(`No person has the e-mail address ${email}.`);
    }
    const { counts } = result;
    console.log(
      `Erased ${email}: ${counts.sessions} practice sessions (${counts.turns} turns, ${counts.scorecards} scorecards), ` +
        `${counts.oneToOnes} one-to-ones, ${counts.observations} observations; ${counts.auditEntriesScrubbed} audit entries scrubbed.`,
    );
    return 0;
  });
}

async function sweepRetention(): Promise<number> {
  return withServices(async (services) => {
    if (!services.retention) {
      console.log("SPAR_RETENTION_DAYS is not set: transcripts are kept, so there is nothing to sweep.");
      return 0;
    }
    const result = await services.retention.sweep();
    console.log(
      `Erased the transcripts of ${result.sessions} sessions that ended before ${result.cutoff.toISOString()} ` +
        `(${result.turns} turns; ${result.scorecards} scorecards kept their scores).`,
    );
    return 0;
  });
}

/** Runs one data-rights command; a refusal is printed on standard error with exit code 1. */
export async function runDataRightsCommand(command: string, args: string[], options: DataRightsOptions): Promise<number> {
  try {
    if (command === "people export") return await exportPerson(parseEmail(args[0]), options);
    if (command === "people erase") return await erasePerson(parseEmail(args[0]), options);
    return await sweepRetention();
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    console.error(error.message);
    return 1;
  }
}
