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
