// Moving between pages as a keyboard or screen-reader user would notice: each page names the
// browser tab after itself, and focus lands on the new page's heading, not on the body.
import { startTestApp } from "@spar/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../fixtures/browser.ts";

describe("navigating between pages", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestApp("pglite");
    await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The tab's title, and what has focus, once the heading the page shows has taken it. */
  async function arrivedAt(heading: RegExp): Promise<{ title: string; focused: string }> {
    await page.getByRole("heading", { level: 1, name: heading }).waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === "H1");
    return page.evaluate(() => ({ title: document.title, focused: document.activeElement?.textContent ?? "" }));
  }

  it("titles every page after its heading and moves focus to it", async () => {
    await page.goto(`${baseUrl}/sign-in`);
    await page.waitForFunction(() => document.title !== "Spar");
    expect(await page.title()).toMatch(/ · Spar$/);
    await page.getByRole("button", { name: /Alex Morgan/ }).click();

    const visits: [string, RegExp][] = [
      ["History", /history/i],
      ["Programme", /programme/i],
      ["People", /people/i],
      ["Teams", /teams/i],
      ["Audit log", /audit/i],
      ["Practise", /^Hello/],
    ];
    const titles = new Set<string>();
    for (const [link, heading] of visits) {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link, exact: true }).click();
      const { title, focused } = await arrivedAt(heading);
      expect(title).toBe(`${focused.trim()} · Spar`);
      titles.add(title);
    }
    expect(titles.size).toBe(visits.length);
  });
});

describe("errors and loading, said the same way everywhere", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestApp("pglite");
    await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("loads the sign-in page signed out without an error in the console", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(`${baseUrl}/history`);
    await page.waitForURL(/\/sign-in/);
    await page.getByRole("button", { name: /Tomás Ortega/ }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it("keeps the top bar while the sign-in is checked, then shows the page", async () => {
    const page = await browser.newPage();
    await signIn(page);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/api/auth/session", async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${baseUrl}/history`);
    await page.locator(".top-bar .brand").waitFor();
    await page.locator("main .skeleton").first().waitFor();
    release();
    await page.getByRole("heading", { name: "Your practice history" }).waitFor();
    await page.close();
  });

  it("says a failure in words, asks once, and tries again when asked", async () => {
    const page = await browser.newPage();
    await signIn(page);
    let asked = 0;
    await page.route("**/api/learners/*/history", async (route) => {
      asked += 1;
      if (asked === 1) await route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "INTERNAL", message: "boom" } }) });
      else await route.continue();
    });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "History" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Practice history could not be loaded: something went wrong on our side" });
    await alert.waitFor();
    expect(await alert.textContent()).not.toContain("boom");
    expect(asked).toBe(1);
    await alert.getByRole("button", { name: "Try again" }).click();
    await page.getByRole("heading", { name: "Your practice history" }).waitFor();
    expect(asked).toBe(2);
    await page.close();
  });

  it("says in words that an address points at nothing, with no raw validation message", async () => {
    const page = await browser.newPage();
    await signIn(page, /Alex Morgan/);
    await page.goto(`${baseUrl}/review/sessions/not-a-session`);
    const alert = page.getByRole("alert");
    await alert.getByText("There is no practice session at this address. Check the link you followed.").waitFor();
    expect(await alert.textContent()).not.toMatch(/uuid|sessionId/i);
    expect(await alert.getByRole("button", { name: "Try again" }).count()).toBe(0);
    await page.close();
  });

  async function signIn(page: Page, who: RegExp = /Tomás Ortega/) {
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByRole("button", { name: who }).click();
    await page.getByRole("heading", { name: /^Hello/ }).waitFor();
  }
});
