// Every page of every role fits a phone: nothing makes the page wider than a 390 px viewport, so
// nobody has to scroll sideways to read it (a wide table scrolls inside its own region), and axe
// finds nothing serious on any of them. At a desktop width the team gap map shows every column
// or says plainly that it scrolls.
import { startTestApp } from "@spar/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser } from "../fixtures/browser.ts";

const phone = { width: 390, height: 844 };

describe("pages at phone and desktop widths", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestApp("pglite", { environment: { SPAR_DEMO_HISTORY: "on" } });
    await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(who: RegExp, viewport: { width: number; height: number }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByRole("button", { name: who }).click();
    await page.getByRole("heading", { level: 1, name: /^Hello/ }).waitFor();
    return page;
  }

  interface Measured {
    excess: number;
    culprits: string[];
    /** axe's critical and serious findings, by rule. */
    serious: string[];
  }

  /** How far the page reaches past the viewport, the elements that reach furthest, and what axe finds. */
  async function measure(page: Page): Promise<Measured> {
    const serious = (await accessibilityViolations(page)).filter((violation) => violation.impact === "critical" || violation.impact === "serious").map((violation) => violation.id);
    return { ...(await overflow(page)), serious };
  }

  async function overflow(page: Page): Promise<{ excess: number; culprits: string[] }> {
    return page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const culprits: string[] = [];
      for (const element of document.querySelectorAll("body *")) {
        const box = element.getBoundingClientRect();
        if (box.right > width + 1 && box.width > 0 && !element.closest(".table-scroll, .cm-editor")) {
          culprits.push(`${element.tagName.toLowerCase()}.${element.className}: right ${Math.round(box.right)}`);
        }
      }
      return { excess: document.documentElement.scrollWidth - width, culprits: culprits.slice(0, 5) };
    });
  }

  /** Opens every page a role reaches from its menu and the links on those pages, one of each kind. */
  async function everyPage(page: Page): Promise<Map<string, Measured>> {
    const seen = new Map<string, Measured>();
    // One page per kind of address: /people/<id> stands for every person's brief.
    const kind = (path: string) => path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ":id").replace(/\/practice\/[^/]+$/, "/practice/:scenario");
    const queue = ["/"];
    while (queue.length > 0 && seen.size < 25) {
      const path = queue.shift() as string;
      if (seen.has(kind(path))) continue;
      await page.goto(`${baseUrl}${path}`);
      await page.locator("main h1").first().waitFor();
      await page.waitForFunction(() => !document.querySelector("main .skeleton, main .loading"));
      seen.set(kind(path), await measure(page));
      const links = await page.locator("a[href^='/']").evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute("href") ?? ""));
      for (const link of links) {
        const target = link.split("#")[0] as string;
        if (!seen.has(kind(target)) && !target.startsWith("/api/") && !queue.some((queued) => kind(queued) === kind(target))) queue.push(target);
      }
    }
    return seen;
  }

  it.each([
    ["a learner", /Sam Whitaker/],
    ["a manager", /Priya Natarajan/],
    ["the L&D admin", /Alex Morgan/],
  ])("shows %s every page within a 390 px phone screen, with nothing serious for axe", async (_role, who) => {
    const page = await signedIn(who, phone);
    const pages = await everyPage(page);
    expect(pages.size).toBeGreaterThan(3);
    const tooWide = [...pages].filter(([, measured]) => measured.excess > 0);
    expect(tooWide).toEqual([]);
    expect([...pages].filter(([, measured]) => measured.serious.length > 0)).toEqual([]);
    await page.close();
  }, 240_000);

  it.each([
    ["Mid-Market Sales", /Priya Natarajan/],
    ["Customer Success", /Jordan Reyes/],
  ])("shows every column of the %s gap map at 1280 px, or says that it scrolls", async (_team, who) => {
    const page = await signedIn(who, { width: 1280, height: 800 });
    const map = page.locator(".team-overview .table-scroll").first();
    await map.locator("tbody tr").first().waitFor();
    const columns = await map.evaluate((region) => {
      const frame = region.getBoundingClientRect();
      const headings = [...region.querySelectorAll("thead th")];
      return {
        count: headings.length,
        // A heading hidden past the frame's right edge, or squeezed so its words overflow it.
        cut: headings.filter((heading) => {
          const box = heading.getBoundingClientRect();
          return box.right > frame.right + 1 || heading.scrollWidth > heading.clientWidth + 1;
        }).length,
      };
    });
    expect(columns.count).toBeGreaterThan(5);
    if (columns.cut > 0) {
      // A map that does not fit says so in words, and keyboard users can focus it and scroll.
      expect(await map.getAttribute("tabindex")).toBe("0");
      expect(await map.getAttribute("aria-label")).toMatch(/scrolls sideways/);
      expect(await page.locator(".team-overview").getByText("Scroll sideways to see every column").isVisible()).toBe(true);
    }
    await page.close();
  });
});
