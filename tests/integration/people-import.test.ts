// An L&D admin brings a whole organisation in from a CSV: people and teams with their managers,
// the same file again changes nothing, one bad row imports nothing, and two imports at once never
// half-write. Real HTTP on PGlite and PostgreSQL; the `spar people import` command as a process.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type DatabaseKind, openDatabase } from "@spar/db";
import { AuditPage, ErrorBody, ImportReport, PeoplePage, TeamDetail } from "@spar/protocol";
import { firstAdminSignIn, startTestApp } from "@spar/server/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { runCli } from "../fixtures/processes.ts";

const organisation = [
  "email,name,role,team,manager_email",
  "maya.chen@example.com,Maya Chen,manager,Field Sales,",
  'ana.lima@example.com,"Lima, Ana",learner,Field Sales,maya.chen@example.com',
  "ben.ode@example.com,Ben Ode,learner,,maya.chen@example.com",
  "raj.patel@example.com,Raj Patel,Manager,,",
  "cy.young@example.com,Cy Young,learner,,raj.patel@example.com",
  "dee.admin@example.com,Dee Admin,L&D admin,,",
].join("\r\n");

describe.each<DatabaseKind>(["pglite", "postgresql"])("importing people from CSV on %s", (kind) => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let admin: string;

  beforeAll(async () => {
    server = await startTestApp(kind);
    admin = await firstAdminSignIn(server.app);
  });
  afterAll(() => server?.close());

  const upload = (csv: string, query = "", cookie: string | null = admin) =>
    server.app.inject({ method: "POST", url: `/api/people/import${query}`, headers: { "content-type": "text/csv", ...(cookie ? { cookie } : {}) }, payload: csv });
  const get = (url: string) => server.app.inject({ method: "GET", url, headers: { cookie: admin } });
  const people = async () => PeoplePage.parse((await get("/api/people?limit=200")).json()).people;
  const teams = async () => z.object({ teams: z.array(TeamDetail) }).parse((await get("/api/admin/teams")).json()).teams;
  const countUsers = () => server.database.prisma.user.count();

  it("creates people and their teams with managers, as invited people without links", async () => {
    const response = await upload(organisation);
    expect(response.statusCode, response.body).toBe(200);
    expect(ImportReport.parse(response.json())).toEqual({
      imported: true,
      dryRun: false,
      problems: [],
      created: ["maya.chen@example.com", "ana.lima@example.com", "ben.ode@example.com", "raj.patel@example.com", "cy.young@example.com", "dee.admin@example.com"],
      changed: [],
      unchanged: 0,
      teamsCreated: ["Field Sales", "Raj Patel's team"],
    });

    const byEmail = new Map((await people()).map((person) => [person.email, person]));
    expect(byEmail.get("ana.lima@example.com")).toMatchObject({ name: "Lima, Ana", role: "learner", status: "invited", team: { name: "Field Sales" } });
    expect(byEmail.get("ben.ode@example.com")?.team?.name).toBe("Field Sales");
    expect(byEmail.get("cy.young@example.com")?.team?.name).toBe("Raj Patel's team");
    expect(byEmail.get("maya.chen@example.com")).toMatchObject({ role: "manager", manages: [{ name: "Field Sales" }] });
    expect(byEmail.get("dee.admin@example.com")?.role).toBe("ld_admin");
    expect((await teams()).map((team) => [team.name, team.managers.map((manager) => manager.name), team.memberCount])).toEqual([
      ["Field Sales", ["Maya Chen"], 2],
      ["Raj Patel's team", ["Raj Patel"], 1],
    ]);
    // No invitation links: the admin sends them from the People page when ready.
    expect(await server.database.prisma.accountToken.count()).toBe(0);

    const audit = AuditPage.parse((await get("/api/audit?action=people.imported")).json());
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ actor: { name: "Ines Admin" }, details: { created: 6, changed: 0, unchanged: 0, teamsCreated: 2, via: "csv" } });
    const created = AuditPage.parse((await get("/api/audit?action=person.created&limit=200")).json()).entries;
    expect(created.find((entry) => entry.subject?.name === "Lima, Ana")?.details).toEqual({ email: "ana.lima@example.com", role: "learner", team: "Field Sales", via: "csv" });
  });

  it("changes nothing when the same file is imported again", async () => {
    const before = { people: await people(), teams: await teams() };
    const response = await upload(organisation);
    expect(response.statusCode, response.body).toBe(200);
    expect(ImportReport.parse(response.json())).toMatchObject({ imported: true, created: [], changed: [], unchanged: 6, teamsCreated: [] });
    expect(await people()).toEqual(before.people);
    expect(await teams()).toEqual(before.teams);
    expect(AuditPage.parse((await get("/api/audit?action=person.&limit=200")).json()).entries.filter((entry) => entry.action === "person.updated")).toEqual([]);
  });

  it("updates the name, role and team of people already in Spar, and leaves people not in the file alone", async () => {
    const file = [
      "name,email,role,team",
      "Ana Lima,ana.lima@example.com,learner,Raj Patel's team",
      "Ben Ode,ben.ode@example.com,manager,Field Sales",
    ].join("\n");
    const report = ImportReport.parse((await upload(file)).json());
    expect(report).toMatchObject({ created: [], changed: ["ana.lima@example.com", "ben.ode@example.com"], unchanged: 0 });
    const byEmail = new Map((await people()).map((person) => [person.email, person]));
    expect(byEmail.get("ana.lima@example.com")).toMatchObject({ name: "Ana Lima", team: { name: "Raj Patel's team" } });
    expect(byEmail.get("ben.ode@example.com")).toMatchObject({ role: "manager", team: { name: "Field Sales" } });
    expect(byEmail.get("cy.young@example.com")).toMatchObject({ name: "Cy Young", team: { name: "Raj Patel's team" } });
    const updated = AuditPage.parse((await get("/api/audit?action=person.updated")).json()).entries;
    expect(updated.find((entry) => entry.subject?.name === "Ana Lima")?.details).toEqual({
      name: { from: "Lima, Ana", to: "Ana Lima" },
      team: { from: "Field Sales", to: "Raj Patel's team" },
      via: "csv",
    });
  });

  it("imports nothing from a file with a bad row, and names each bad line", async () => {
    const before = await countUsers();
    const file = [
      "email,name,role,team,manager_email",
      "new.one@example.com,New One,learner,Brand New Team,",
      "new.two@example.com,New Two,coach,,",
      "new.three@example.com,New Three,learner,,ana.lima@example.com",
    ].join("\n");
    const response = await upload(file);
    expect(response.statusCode).toBe(422);
    expect(ErrorBody.parse(response.json()).error).toMatchObject({
      code: "VALIDATION_FAILED",
      message: "2 rows have problems; nothing was imported.",
      issues: [
        { path: "line 3", message: 'unknown role "coach"; use learner, manager or ld_admin' },
        { path: "line 4", message: "manager ana.lima@example.com is not a manager (their role in Spar is learner); add a row for them with the role manager" },
      ],
    });
    expect(await countUsers()).toBe(before);
    expect((await teams()).map((team) => team.name)).not.toContain("Brand New Team");

    const unknownColumn = await upload("email,name,role,department\nx@example.com,X,learner,Ops\n");
    expect(ErrorBody.parse(unknownColumn.json()).error).toMatchObject({
      message: "1 row has a problem; nothing was imported.",
      issues: [{ path: "line 1", message: 'unknown column "department"; the columns are email, name, role, team, manager_email' }],
    });
  });

  it("reports what a dry run would do without writing anything", async () => {
    const before = await countUsers();
    const response = await upload("email,name,role,team\nfresh@example.com,Fresh Face,learner,Night Shift\n", "?dryRun=true");
    expect(response.statusCode, response.body).toBe(200);
    expect(ImportReport.parse(response.json())).toMatchObject({ imported: false, dryRun: true, created: ["fresh@example.com"], teamsCreated: ["Night Shift"] });
    expect(await countUsers()).toBe(before);
    expect((await teams()).map((team) => team.name)).not.toContain("Night Shift");
  });

  it("takes a file far larger than the usual body limit, and refuses one over 10 MB", async () => {
    const rows = Array.from({ length: 1_500 }, (_, index) => `bulk.${index}@example.com,Bulk Person ${index},learner,Bulk Team ${index % 15},`);
    const csv = ["email,name,role,team,manager_email", ...rows].join("\n");
    expect(csv.length).toBeGreaterThan(64 * 1024);
    const response = await upload(csv);
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    expect(ImportReport.parse(response.json())).toMatchObject({ created: expect.arrayContaining(["bulk.1499@example.com"]), teamsCreated: expect.arrayContaining(["Bulk Team 14"]) });
    expect(await server.database.prisma.user.count({ where: { email: { startsWith: "bulk." } } })).toBe(1_500);

    const tooBig = await upload(`email,name,role\n${"x".repeat(10 * 1024 * 1024)}`);
    expect(tooBig.statusCode).toBe(413);
    expect(ErrorBody.parse(tooBig.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("lets only L&D admins import", async () => {
    expect((await upload(organisation, "", null)).statusCode).toBe(401);
    const learnerFile = "email,name,role\nlena.learner@example.com,Lena Learner,learner\n";
    expect((await upload(learnerFile)).statusCode).toBe(200);
    // A learner with a password signs in and is refused.
    const lena = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "lena.learner@example.com" } });
    const link = await server.app.inject({ method: "POST", url: `/api/people/${lena.id}/invitation`, headers: { cookie: admin } });
    const token = String(link.json().url).split("/").at(-1);
    const joined = await server.app.inject({ method: "POST", url: `/api/account-links/${token}`, payload: { password: "correct horse battery staple" } });
    const learner = String(joined.headers["set-cookie"]).split(";")[0] as string;
    expect((await upload(learnerFile, "", learner)).statusCode).toBe(403);
  });

  it("runs two imports racing on the same new people one after the other: each person exists once, each import whole", async () => {
    const shared = Array.from({ length: 40 }, (_, index) => `race.shared.${index}@example.com,Shared ${index},learner,Race Team`);
    const fileA = ["email,name,role,team", ...shared, ...Array.from({ length: 40 }, (_, index) => `race.a.${index}@example.com,A ${index},learner,Race Team A`)].join("\n");
    const fileB = ["email,name,role,team", ...shared, ...Array.from({ length: 40 }, (_, index) => `race.b.${index}@example.com,B ${index},learner,Race Team`)].join("\n");
    const responses = await Promise.all([upload(fileA), upload(fileB)]);
    // Imports take turns (a lock in the database), so both apply: the second finds the shared people there.
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200]);
    const reports = responses.map((response) => ImportReport.parse(response.json()));
    expect(reports.map((report) => report.created.length).sort()).toEqual([40, 80]);
    expect(reports.map((report) => report.unchanged).sort()).toEqual([0, 40]);
    const rows = await server.database.prisma.$queryRaw<{ email: string; copies: number }[]>`
      SELECT email, count(*)::int AS copies FROM "User" WHERE email LIKE 'race.%' GROUP BY email`;
    expect(rows).toHaveLength(120);
    expect(rows.every((row) => row.copies === 1)).toBe(true);
    expect(new Set(rows.map((row) => row.email))).toEqual(new Set(reports.flatMap((report) => report.created)));
    expect(await server.database.prisma.teamMember.count({ where: { team: { name: "Race Team" } } })).toBe(80);
  });

  it.runIf(kind === "postgresql")("fails cleanly, writing nothing, when someone else adds the same address while the import writes", async () => {
    const file = ["email,name,role,team", "clash.one@example.com,Clash One,learner,Clash Team", "clash.two@example.com,Clash Two,learner,Clash Team"].join("\n");
    const other = new pg.Client({ connectionString: server.database.url ?? "" });
    await other.connect();
    try {
      // An uncommitted insert of the same address: the import's insert waits on its index entry.
      await other.query("BEGIN");
      await other.query(`INSERT INTO "User"(id, email, name, role) VALUES ('01900000-0000-7000-8000-00000000c1a5', 'clash.two@example.com', 'Elsewhere', 'learner')`);
      // inject() sends when awaited: start it now, then watch it wait.
      const importing = upload(file).then((response) => response);
      await waitUntil(async () => {
        const { rows } = await other.query(`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))`);
        return rows[0].waiting > 0;
      });
      await other.query("COMMIT");
      const response = await importing;
      expect(response.statusCode, response.body).toBe(409);
      expect(ErrorBody.parse(response.json()).error).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("nothing was imported") });
    } finally {
      await other.end();
    }
    expect(await server.database.prisma.user.count({ where: { email: "clash.one@example.com" } })).toBe(0);
    expect(await server.database.prisma.team.count({ where: { name: "Clash Team" } })).toBe(0);
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("the condition did not hold in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Each run of the command starts a TypeScript process and opens the database: several seconds of
// CPU apiece, two runs a test, on a machine whose two cores the other tests share.
describe("spar people import", { timeout: 90_000 }, () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "spar-people-import-"));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  const environment = () => ({ SPAR_DATA_DIR: path.join(scratch, "data"), INIT_CWD: scratch });

  it("checks a file with --dry-run, then imports it, printing what it created", async () => {
    await writeFile(path.join(scratch, "people.csv"), organisation);
    const dryRun = await runCli(["people", "import", "people.csv", "--dry-run"], environment());
    expect(dryRun.stderr).toBe("");
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain("would create  ana.lima@example.com");
    expect(dryRun.stdout).toContain("Checked people.csv (dry run, nothing was written): 6 created, 0 changed, 0 unchanged, 2 teams created.");

    const first = await runCli(["people", "import", "people.csv"], environment());
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("created  maya.chen@example.com");
    expect(first.stdout).toContain("created team  Raj Patel's team");
    expect(first.stdout).toContain("Imported people.csv: 6 created, 0 changed, 0 unchanged, 2 teams created.");
    expect(first.stdout).toContain("send invitations from the People page");
  });

  it("prints who changed, and nothing changes the second time", async () => {
    await writeFile(path.join(scratch, "renamed.csv"), organisation.replace("Cy Young,learner", "Cy Young-Smith,learner"));
    const changed = await runCli(["people", "import", path.join(scratch, "renamed.csv")], environment());
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain("changed  cy.young@example.com");
    expect(changed.stdout).toContain("Imported renamed.csv: 0 created, 1 changed, 5 unchanged, 0 teams created.");
    const again = await runCli(["people", "import", "renamed.csv"], environment());
    expect(again.stdout).toBe("Imported renamed.csv: 0 created, 0 changed, 6 unchanged, 0 teams created.\n");
  });

  it("prints every bad line of a bad file, imports nothing and exits 1", async () => {
    await writeFile(path.join(scratch, "bad.csv"), "email,name,role\nnew.person@example.com,New Person,learner\nnot-an-email,Bad,learner\nother@example.com,,boss\n");
    const bad = await runCli(["people", "import", "bad.csv"], environment());
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toBe(
      'line 3: "not-an-email" is not an e-mail address\n' +
        'line 4: the name is missing; unknown role "boss"; use learner, manager or ld_admin\n' +
        "2 rows have problems; nothing was imported.\n",
    );
    const database = await openDatabase({ kind: "pglite", dataDir: environment().SPAR_DATA_DIR });
    try {
      expect(await database.prisma.user.count({ where: { email: "new.person@example.com" } })).toBe(0);
    } finally {
      await database.close();
    }

    const missing = await runCli(["people", "import"], environment());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Name the CSV file");
  });
});
