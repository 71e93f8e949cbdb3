// A real organisation moves in, in a real browser against the built app and a real server: the
// fresh install's first admin creates a team and adds a person, who joins through the copied
// invitation link in a browser of their own; the admin deactivates them and their next page asks
// them to sign in; the audit log shows it all and filters by person. Every new page passes axe and
// fits a phone without sideways scrolling.
import { PersonCreated } from "@spar/protocol";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser } from "../fixtures/browser.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const phone = { width: 390, height: 844 };
const fitsWidth = (page: Page) =>
  page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));

// CSV import, erasure and removing the demo are built apart from these pages; their browser tests
// run once the server has the routes (an unknown route answers 404, a known one refuses a stranger).
const probe = await startTestApp("pglite");
const routeExists = async (method: "POST" | "DELETE", url: string) =>
  (await probe.app.inject({ method, url, headers: { "content-type": "text/csv" }, payload: "email\n" })).statusCode !==
  404;
const importAvailable = await routeExists("POST", "/api/people/import?dryRun=true");
const eraseAvailable = await routeExists("POST", "/api/people/00000000-0000-4000-8000-000000000000/erase");
const demoRemovalAvailable = await routeExists("DELETE", "/api/demo");
await probe.close();

describe("people admin in the browser", () => {
  let server: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let adminContext: BrowserContext;
  let admin: Page;
  let personContext: BrowserContext;
  let person: Page;
  let invitationUrl: string;

  beforeAll(async () => {
    server = await startTestApp("pglite");
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser();
    adminContext = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      permissions: ["clipboard-read", "clipboard-write"],
    });
    admin = await adminContext.newPage();
    personContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    person = await personContext.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("points a fresh install's first admin at People, Teams and Import instead of an empty page", async () => {
    await admin.goto(baseUrl);
    await admin.getByLabel("Your name").fill("Ines Admin");
    await admin.getByLabel("Work email").fill("ines.admin@example.com");
    await admin.getByLabel("Password").fill("a long admin passphrase");
    await admin.getByRole("button", { name: "Create admin account" }).click();
    await admin.getByRole("heading", { name: "Hello, Ines" }).waitFor();
    await admin.getByRole("link", { name: "Import a CSV file" }).waitFor();
    expect(await admin.getByRole("link", { name: "Add people" }).getAttribute("href")).toBe("/admin/people");
    expect(await admin.getByRole("link", { name: "Create teams" }).getAttribute("href")).toBe("/admin/teams");
    const nav = admin.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link").allTextContents()).toEqual([
      "Practise",
      "History",
      "Programme",
      "Library",
      "People",
      "Teams",
      "Audit log",
    ]);
  });

  it("creates a team", async () => {
    await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Teams" }).click();
    await admin.getByRole("heading", { name: "Create a team" }).waitFor();
    await admin.getByText("No teams yet.").waitFor();
    expect(await accessibilityViolations(admin)).toEqual([]);
    await admin.getByRole("button", { name: "Create team" }).click();
    await admin.getByText("Enter a team name.").waitFor();
    expect(await admin.getByLabel("Team name").getAttribute("aria-invalid")).toBe("true");
    await admin.getByLabel("Team name").fill("Field Sales");
    await admin.getByRole("button", { name: "Create team" }).click();
    await admin.getByRole("heading", { name: "Field Sales" }).waitFor();
    expect(await admin.locator(".team-card").first().textContent()).toContain("0 members · No manager yet");
  });

  it("adds a person to the team and copies their invitation link", async () => {
    await admin.getByRole("link", { name: "People" }).first().click();
    await admin.getByRole("heading", { name: "Add a person" }).waitFor();
    await admin.getByText("Showing 1 of 1.").waitFor();
    expect(await accessibilityViolations(admin)).toEqual([]);

    const form = admin.getByRole("region", { name: "Add a person" });
    await form.getByLabel("Name").fill("Omar Haddad");
    await form.getByLabel("E-mail").fill("omar-at-example");
    await admin.getByRole("button", { name: "Add and invite" }).click();
    await admin.getByText("Enter an email address like name@example.com.").waitFor();

    await form.getByLabel("E-mail").fill("Omar.Haddad@Example.com");
    await form.getByLabel("Team").selectOption({ label: "Field Sales" });
    await admin.getByRole("button", { name: "Add and invite" }).click();
    const link = admin.getByLabel(/Invitation for Omar Haddad/);
    await link.waitFor();
    const copied = await link.inputValue();
    // The link is built on PUBLIC_URL, which the test server leaves at its default.
    expect(copied).toMatch(new RegExp(`^${server.config.publicUrl.origin}/welcome/[\\w-]{43}$`));
    await admin.getByRole("button", { name: "Copy" }).click();
    await admin.getByRole("button", { name: "Copied" }).waitFor();
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(copied);
    invitationUrl = `${baseUrl}${new URL(copied).pathname}`;

    const row = admin.getByRole("row", { name: /Omar Haddad/ });
    await row.waitFor();
    expect(await row.textContent()).toBe("Omar Haddadomar.haddad@example.comLearnerField SalesInvited");
    expect(await accessibilityViolations(admin)).toEqual([]);
  });

  it("lets the person choose a password on the link and lands them signed in", async () => {
    await person.goto(invitationUrl);
    await person.getByRole("heading", { name: "Welcome, Omar Haddad" }).waitFor();
    await person.getByText("Choose a password for omar.haddad@example.com to join Spar.").waitFor();
    expect(await accessibilityViolations(person)).toEqual([]);

    await person.getByLabel("Password").fill("too short");
    await person.getByRole("button", { name: "Join Spar" }).click();
    await person.getByText("Use at least 10 characters.").waitFor();
    expect(await person.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");

    await person.getByLabel("Password").fill("correct horse battery staple");
    await person.getByRole("button", { name: "Join Spar" }).click();
    await person.getByRole("heading", { name: "Hello, Omar" }).waitFor();
    expect(person.url()).toBe(`${baseUrl}/`);
    // Learners get none of the admin pages.
    expect(await person.getByRole("link", { name: "People" }).count()).toBe(0);
  });

  it("refuses the invitation link a second time, saying what to do", async () => {
    const again = await personContext.newPage();
    await again.goto(invitationUrl);
    await again.getByRole("heading", { name: "This link no longer works" }).waitFor();
    await again.getByText(/Ask your Spar administrator for a new link/).waitFor();
    expect(await accessibilityViolations(again)).toEqual([]);
    await again.close();
  });

  it("deactivates the person after a confirmation, and their next page asks them to sign in", async () => {
    await admin.reload();
    await admin.getByRole("row", { name: /Omar Haddad.*Active/ }).waitFor();
    await admin.getByRole("link", { name: "Omar Haddad" }).click();
    await admin.getByRole("heading", { name: "Omar Haddad", level: 1 }).waitFor();
    await admin.getByRole("button", { name: "Password reset link" }).waitFor();
    expect(await accessibilityViolations(admin)).toEqual([]);

    await admin.getByRole("button", { name: "Deactivate" }).click();
    const dialog = admin.getByRole("dialog", { name: "Deactivate Omar Haddad?" });
    await dialog.waitFor();
    expect(await accessibilityViolations(admin)).toEqual([]);
    await dialog.getByRole("button", { name: "Deactivate" }).click();
    await dialog.waitFor({ state: "hidden" });
    await admin.getByText("Omar Haddad is deactivated: they cannot sign in.").waitFor();
    await admin.getByRole("button", { name: "Reactivate" }).waitFor();

    await person.getByRole("link", { name: "History" }).click();
    await person.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(person.url()).toBe(`${baseUrl}/sign-in?next=%2Fhistory`);
  });

  it("shows these actions in the audit log, and filters by person and by action", async () => {
    await admin.getByRole("link", { name: "Audit log" }).first().click();
    await admin.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
    const rows = admin.locator(".audit-table tbody tr");
    await rows.first().waitFor();
    const all = await rows.allTextContents();
    expect(all[0]).toContain("Ines Admindeactivated");
    expect(all.some((row) => row.includes("Omar Haddadaccepted their invitation"))).toBe(true);
    expect(all.some((row) => row.includes("Ines Adminadded a personOmar Haddad"))).toBe(true);
    expect(all.some((row) => row.includes("Ines Admincreated a team") && row.includes("name: Field Sales"))).toBe(true);
    expect(await accessibilityViolations(admin)).toEqual([]);

    await admin.getByLabel("Person").fill("omar");
    await admin.getByRole("button", { name: /Omar Haddad/ }).click();
    await admin.getByText("Show everyone").waitFor();
    // The filtered page has arrived when rows are back and none is about the team.
    await admin.waitForFunction(() => {
      const shown = [...document.querySelectorAll(".audit-table tbody tr")];
      return shown.length > 0 && shown.every((row) => !row.textContent?.includes("created a team"));
    });
    const aboutOmar = await rows.allTextContents();
    expect(aboutOmar.length).toBeGreaterThanOrEqual(4);
    expect(aboutOmar.every((row) => row.includes("Omar Haddad"))).toBe(true);
    expect(admin.url()).toMatch(/\/admin\/audit\?personId=[\w-]{36}$/);

    await admin.getByLabel("Action").selectOption({ label: "deactivated" });
    await admin.waitForFunction(() => document.querySelectorAll(".audit-table tbody tr").length === 1);
    expect(await rows.first().textContent()).toContain("Ines AdmindeactivatedOmar Haddad");
  });

  it("pages through everyone with Load more, and filters by search and status", async () => {
    const cookie = (await adminContext.cookies()).map(({ name, value }) => `${name}=${value}`).join("; ");
    for (let index = 1; index <= 55; index++) {
      const number = String(index).padStart(2, "0");
      const response = await server.app.inject({
        method: "POST",
        url: "/api/people",
        headers: { cookie },
        payload: { name: `Learner ${number}`, email: `learner.${number}@example.com`, role: "learner" },
      });
      expect(response.statusCode, response.body).toBe(201);
    }
    await admin.goto(`${baseUrl}/admin/people`);
    await admin.getByText("Showing 50 of 57.").waitFor();
    await admin.getByRole("button", { name: "Load more" }).click();
    await admin.getByText("Showing 57 of 57.").waitFor();
    expect(await admin.getByRole("button", { name: "Load more" }).count()).toBe(0);

    await admin.getByLabel("Search").fill("learner.07@");
    await admin.getByText("Showing 1 of 1.").waitFor();
    expect(await admin.locator("tbody th").allTextContents()).toEqual(["Learner 07"]);
    await admin.getByLabel("Search").fill("");
    await admin.getByLabel("Status").selectOption({ label: "Deactivated" });
    await admin.getByText("Showing 1 of 1.").waitFor();
    expect(await admin.locator("tbody th").allTextContents()).toEqual(["Omar Haddad"]);
  });

  it("changes the signed-in person's own password, with errors beside the fields", async () => {
    await admin.getByRole("banner").getByRole("link", { name: "Ines Admin" }).click();
    await admin.getByRole("heading", { name: "Your account" }).waitFor();
    expect(await accessibilityViolations(admin)).toEqual([]);
    await admin.getByLabel("Current password").fill("not my password");
    await admin.getByLabel("New password").fill("an even longer admin passphrase");
    await admin.getByRole("button", { name: "Change password" }).click();
    await admin.getByText("Your current password is not right.").waitFor();
    expect(await admin.getByLabel("Current password").getAttribute("aria-invalid")).toBe("true");
    await admin.getByLabel("Current password").fill("a long admin passphrase");
    await admin.getByRole("button", { name: "Change password" }).click();
    await admin.getByText("Your password was changed.").waitFor();
  });

  describe("on a phone", () => {
    let small: Page;
    beforeAll(async () => {
      small = await adminContext.newPage();
      await small.setViewportSize(phone);
    });
    afterAll(() => small?.close());

    it.each([
      ["/admin/people", "Add a person"],
      ["/admin/people/import", "Check and import"],
      ["/admin/teams", "Create a team"],
      ["/admin/audit", "Audit log"],
      ["/account", "Change your password"],
    ])("fits %s without sideways scrolling, and passes axe", async (path, heading) => {
      await small.goto(`${baseUrl}${path}`);
      await small.getByRole("heading", { name: heading }).first().waitFor();
      if (path === "/admin/people") await small.getByRole("link", { name: "Omar Haddad" }).waitFor();
      if (path === "/admin/audit") await small.locator(".audit-table tbody tr").first().waitFor();
      const { scrollWidth, innerWidth } = await fitsWidth(small);
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
      expect(await accessibilityViolations(small)).toEqual([]);
    });

    it("fits a person's page and the invitation page", async () => {
      await small.getByRole("link", { name: "People" }).click();
      await small.getByRole("link", { name: "Omar Haddad" }).click();
      await small.getByRole("heading", { name: "Their data" }).waitFor();
      expect((await fitsWidth(small)).scrollWidth).toBeLessThanOrEqual(phone.width);

      const welcome = await browser.newPage({ viewport: phone });
      await welcome.goto(invitationUrl);
      await welcome.getByRole("heading", { name: "This link no longer works" }).waitFor();
      expect((await fitsWidth(welcome)).scrollWidth).toBeLessThanOrEqual(phone.width);
      await welcome.close();
    });
  });

  it("reactivates the person and gives them a password reset link they sign in with", async () => {
    await admin.goto(`${baseUrl}/admin/people`);
    await admin.getByRole("link", { name: "Omar Haddad" }).click();
    await admin.getByRole("button", { name: "Reactivate" }).click();
    await admin
      .getByRole("dialog", { name: "Reactivate Omar Haddad?" })
      .getByRole("button", { name: "Reactivate" })
      .click();
    await admin.getByText("Omar Haddad can sign in.").waitFor();
    await admin.getByRole("button", { name: "Password reset link" }).click();
    const link = admin.getByLabel(/Password reset link for Omar Haddad/);
    await link.waitFor();
    const resetPath = new URL(await link.inputValue()).pathname;
    expect(resetPath).toMatch(/^\/reset-password\/[\w-]{43}$/);

    await person.goto(`${baseUrl}${resetPath}`);
    await person.getByRole("heading", { name: "Choose a new password" }).waitFor();
    expect(await accessibilityViolations(person)).toEqual([]);
    await person.getByLabel("New password", { exact: true }).fill("another horse battery staple");
    await person.getByRole("button", { name: "Save and sign in" }).click();
    await person.getByRole("heading", { name: "Hello, Omar" }).waitFor();
  });

  it.skipIf(!eraseAvailable)(
    "erases a person only once their e-mail is typed exactly, and says what went",
    async () => {
      await admin.goto(`${baseUrl}/admin/people`);
      await admin.getByRole("link", { name: "Omar Haddad" }).click();
      await admin.getByRole("button", { name: "Erase…" }).click();
      const dialog = admin.getByRole("dialog", { name: "Erase Omar Haddad for good?" });
      await dialog.waitFor();
      expect(await accessibilityViolations(admin)).toEqual([]);
      const confirm = dialog.getByRole("button", { name: "Erase for good" });
      await dialog.getByLabel(/Type omar.haddad@example.com to confirm/).fill("omar.haddad@example.co");
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByLabel(/Type omar.haddad@example.com to confirm/).fill("omar.haddad@example.com");
      await confirm.click();
      await admin.getByRole("heading", { name: "Omar Haddad was erased" }).waitFor();
      expect(await admin.getByRole("status").textContent()).toMatch(/^Removed for good: 0 practice sessions/);
      await admin.getByRole("link", { name: "← People" }).click();
      await admin.getByRole("heading", { name: "Everyone" }).waitFor();
      await admin.waitForFunction(
        () => !document.querySelector(".stack-on-phone")?.textContent?.includes("Omar Haddad"),
      );
    },
  );

  it.skipIf(!importAvailable)("imports a CSV file: a bad row shows its line and imports nothing", async () => {
    await admin.goto(`${baseUrl}/admin/people/import`);
    await admin.getByRole("heading", { name: "Import people from a CSV file" }).waitFor();
    expect(await accessibilityViolations(admin)).toEqual([]);
    const header = "email,name,role,team,manager_email\n";
    const good = "ana.lima@example.com,Ana Lima,learner,Customer Success,\n";
    await admin.getByLabel("CSV file").setInputFiles({
      name: "people.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`${header}${good}carl.berg@example.com,Carl Berg,wizard,,\n`),
    });
    await admin.getByRole("button", { name: "Check" }).click();
    await admin.getByText("people.csv: nothing was imported.").waitFor();
    const problems = await admin.locator(".problems li").allTextContents();
    expect(problems.length).toBe(1);
    expect(problems[0]).toMatch(/^line 3: .+/);

    await admin.getByLabel("CSV file").setInputFiles({
      name: "people.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`${header}${good}`),
    });
    await admin.getByRole("button", { name: "Check" }).click();
    await admin.getByRole("heading", { name: "The file is good: nothing imported yet" }).waitFor();
    await admin.getByRole("button", { name: "Import" }).click();
    await admin.getByRole("heading", { name: "Imported", exact: true }).waitFor();
    expect(await admin.getByRole("status").textContent()).toContain("1 person was added: ana.lima@example.com");
    await admin.goto(`${baseUrl}/admin/people`);
    await admin.getByLabel("Search").fill("ana.lima");
    await admin.getByRole("row", { name: /Ana Lima.*Customer Success.*Invited/ }).waitFor();
  });
});

describe.skipIf(!demoRemovalAvailable)("removing the demo organisation in the browser", () => {
  let server: TestApp;
  let baseUrl: string;
  let browser: Browser;

  const signedInPage = async (cookie: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const [name = "", value = ""] = cookie.split("=");
    await context.addCookies([{ name, value, url: baseUrl }]);
    return context.newPage();
  };

  beforeAll(async () => {
    server = await startTestApp("pglite");
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("lets a real admin remove the demo organisation after a confirmation, keeping the people they added", async () => {
    const demoAdmin = await demoSignIn(server.app, "alex.morgan@demo.example");
    const added = await server.app.inject({
      method: "POST",
      url: "/api/people",
      headers: { cookie: demoAdmin },
      payload: { name: "Ines Real", email: "ines.real@example.com", role: "ld_admin" },
    });
    const token = new URL(PersonCreated.parse(added.json()).link.url ?? "").pathname.split("/").at(-1);
    const joined = await server.app.inject({
      method: "POST",
      url: `/api/account-links/${token}`,
      payload: { password: "a real admin passphrase" },
    });
    expect(joined.statusCode, joined.body).toBe(200);

    const real = await signedInPage(String(joined.headers["set-cookie"]).split(";")[0] ?? "");
    await real.goto(`${baseUrl}/admin/people`);
    await real.getByRole("heading", { name: "The demo organisation is still here" }).waitFor();
    expect(await accessibilityViolations(real)).toEqual([]);
    await real.getByRole("button", { name: "Remove the demo organisation" }).click();
    const dialog = real.getByRole("dialog", { name: "Remove the demo organisation?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await server.app.inject({ method: "GET", url: "/api/setup" })).json()).toMatchObject({ demoLoaded: true });

    await real.getByRole("button", { name: "Remove the demo organisation" }).click();
    await dialog.getByRole("button", { name: "Remove it for good" }).click();
    await real.getByText("The demo organisation was removed.").waitFor();
    await real.waitForFunction(() => document.querySelectorAll("tbody tr").length === 1);
    expect(await real.locator("tbody th").allTextContents()).toEqual(["Ines Real"]);
    expect((await server.app.inject({ method: "GET", url: "/api/setup" })).json()).toMatchObject({ demoLoaded: false });
  });
});
