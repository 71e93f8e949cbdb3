// Charts read at a glance, and read without sight: dated axes, values on hover and under the
// keyboard's cursor (announced), a table behind every chart, and no page wider than a phone.
// SPAR_SCREENSHOTS_DIR=/some/dir saves what the pages look like at desktop and phone sizes.
import path from "node:path";
import { mkdir } from "node:fs/promises";
import { ProgrammeView } from "@spar/protocol";
import { startTestApp } from "@spar/server/testing";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser } from "../fixtures/browser.ts";

const screenshotsDir = process.env.SPAR_SCREENSHOTS_DIR;
const phone = { width: 390, height: 844 };
/** A short date as the axis shows it in any English locale: "12 Mar" or "Mar 12". */
const shortDate = /^(\d{1,2} [A-Z][a-z]{2}|[A-Z][a-z]{2} \d{1,2})$/;

/**
 * The demo organisation is too small for any criterion or movement group to reach the minimum
 * group size, so the programme's bars are drawn from this view of a larger organisation, served
 * in place of /api/programme (the aggregation itself is tested in tests/integration).
 */
const largerProgramme = ProgrammeView.parse({
  minimumGroupSize: 5,
  teams: [{ suppressed: false, team: "Mid-Market Sales", people: 12, sessions: 64, activeLearners: 11, assignmentCompletion: 0.75 }],
  weakCriteria: {
    suppressed: false,
    people: 12,
    criteria: [
      { suppressed: false, criterionId: "explores-before-answering", competency: "objection-handling", people: 9, weakShare: 0.62, scored: 40 },
      { suppressed: false, criterionId: "confirms-next-step", competency: "objection-handling", people: 9, weakShare: 0.41, scored: 40 },
      { suppressed: false, criterionId: "uncovers-needs", competency: "sales-discovery", people: 7, weakShare: 0.18, scored: 22 },
      { suppressed: true, people: null, criterionId: "gives-space", competency: "active-listening" },
    ],
  },
  movement: [
    { suppressed: false, group: "practise-more", people: 6, firstOverall: 2.1, lastOverall: 2.9, change: 0.8 },
    { suppressed: false, group: "practise-less", people: 6, firstOverall: 2.2, lastOverall: 2.4, change: 0.2 },
  ],
  assessments: [],
  overrides: [],
  calibration: [],
});

describe("charts in the browser", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestApp("pglite", { environment: { SPAR_DEMO_HISTORY: "on" } });
    await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    if (screenshotsDir) await mkdir(screenshotsDir, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signInAs(target: Page, name: RegExp) {
    await target.goto(`${baseUrl}/sign-in`);
    await target.getByRole("button", { name }).click();
    await target.getByRole("heading", { level: 1, name: /^Hello/ }).waitFor();
  }

  async function shoot(target: Page, name: string) {
    if (screenshotsDir) await target.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });
  }

  /** Only what a reader would be stopped by: the critical and serious findings. */
  async function seriousViolations(target: Page) {
    return (await accessibilityViolations(target)).filter((violation) => violation.impact === "critical" || violation.impact === "serious");
  }

  /** Tabs forward, as a keyboard user does, until `target` has focus. */
  async function tabTo(target: Locator) {
    for (let presses = 0; presses < 60; presses++) {
      await page.keyboard.press("Tab");
      if (await target.evaluate((element) => element === document.activeElement)) return;
    }
    throw new Error("the chart never took focus from the keyboard");
  }

  it("draws each competency's trend with dated axes, and tells its values on hover, by keyboard and as a table", async () => {
    await signInAs(page, /Tomás Ortega/);
    await page.goto(`${baseUrl}/history`);
    await page.getByRole("heading", { name: "Your practice history" }).waitFor();
    const figure = page.locator("figure.trend", { hasText: "Objection handling" });
    await figure.locator("canvas").first().waitFor();

    const dates = await figure.locator(".chart-axis-labels li").allTextContents();
    expect(dates.length).toBeGreaterThan(1);
    for (const date of dates) expect(date).toMatch(shortDate);

    // The table behind the chart: its rows are the figures the hover and the keyboard must tell.
    const toggle = figure.getByRole("button", { name: "Show as table" });
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    await toggle.click();
    expect(await figure.getByRole("button", { name: "Hide the table" }).getAttribute("aria-expanded")).toBe("true");
    const rows = figure.locator("table tbody tr");
    await rows.first().waitFor();
    const table = await rows.evaluateAll((each) => each.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent ?? "")));
    expect(table.length).toBeGreaterThan(1);
    const [firstDate = "", firstLevel = ""] = table[0] ?? [];
    expect(firstLevel).toMatch(/^\d\.\d of 4$/);
    const [secondDate = "", secondLevel = ""] = table[1] ?? [];

    // Hovering near the first point shows its date and level.
    const plot = figure.locator(".u-over");
    const box = await plot.boundingBox();
    if (!box) throw new Error("the chart has no plot area");
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    const tooltip = figure.locator(".chart-tooltip");
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toBe(`${firstDate}: level ${firstLevel}`);
    await page.mouse.move(0, 0);
    await tooltip.waitFor({ state: "detached" });

    // From the keyboard: Tab reaches the chart, whose name says what it shows and how to read it.
    const chart = figure.getByRole("group", { name: /Objection handling: level by session date/ });
    expect(await chart.getAttribute("aria-label")).toContain("arrow keys");
    await tabTo(chart);
    const announcement = figure.locator("[aria-live=polite]");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => announcement.textContent()).toBe(`${firstDate}: level ${firstLevel}`);
    expect(await tooltip.textContent()).toBe(`${firstDate}: level ${firstLevel}`);
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => announcement.textContent()).toBe(`${secondDate}: level ${secondLevel}`);
    await page.keyboard.press("End");
    const [lastDate = "", lastLevel = ""] = table.at(-1) ?? [];
    await expect.poll(() => announcement.textContent()).toBe(`${lastDate}: level ${lastLevel}`);

    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, "history-desktop");
  });

  it("shows a report's trends on the manager's one-to-one brief", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: /Priya Natarajan/ }).click();
    await page.getByRole("link", { name: "Tomás Ortega" }).click();
    await page.getByRole("heading", { name: "One-to-one brief: Tomás Ortega" }).waitFor();
    await page.locator("figure.trend canvas").first().waitFor();
    expect(await page.locator("figure.trend").first().locator(".chart-axis-labels li").first().textContent()).toMatch(shortDate);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, "brief-desktop");
  });

  it("shows L&D the demo's programme: bars for the groups large enough, the small ones only in the table", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: /Alex Morgan/ }).click();
    await page.getByRole("link", { name: "Programme" }).click();
    const weak = page.locator("section", { has: page.getByRole("heading", { name: "Most common weak criteria" }) });
    await weak.locator("canvas").first().waitFor();
    const barred = await weak.locator(".chart-axis-labels li").allTextContents();
    expect(barred.length).toBeGreaterThan(2);
    await weak.getByRole("button", { name: "Show as table" }).click();
    await weak.locator("table tbody tr").first().waitFor();
    expect(await weak.getByText(/Fewer than 5 people/).count()).toBeGreaterThan(0);
    const movement = page.locator("section", { has: page.getByRole("heading", { name: /Score movement/ }) });
    await movement.locator("canvas").first().waitFor();
  });

  it("shows L&D the weak criteria and the score movement as bars, with the tables behind them", async () => {
    await page.route("**/api/programme", (route) => route.fulfill({ json: largerProgramme }));
    await page.reload();
    const weak = page.locator("section", { has: page.getByRole("heading", { name: "Most common weak criteria" }) });
    await weak.locator("canvas").first().waitFor();
    const criteria = await weak.locator(".chart-axis-labels li").allTextContents();
    expect(criteria).toEqual(["Explores before answering", "Confirms next step", "Uncovers needs"]);

    // Hovering a bar tells its value.
    const plot = weak.locator(".u-over");
    const box = await plot.boundingBox();
    if (!box) throw new Error("the chart has no plot area");
    await page.mouse.move(box.x + 10, box.y + box.height / 6);
    await expect.poll(() => weak.locator(".chart-tooltip").textContent()).toBe("Explores before answering: 62%");
    await page.mouse.move(0, 0);

    const chart = weak.getByRole("group", { name: /Share of scores at level 1 or 2/ });
    await tabTo(chart);
    const announcement = weak.locator("[aria-live=polite]");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => announcement.textContent()).toBe("Explores before answering: 62%");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => announcement.textContent()).toBe("Confirms next step: 41%");

    // The table behind the bars is the full one, with the criterion too small to show.
    await weak.getByRole("button", { name: "Show as table" }).click();
    const rows = weak.locator("table tbody tr");
    await rows.first().waitFor();
    expect(await rows.locator("th").allTextContents()).toEqual([...criteria, "Gives space"]);
    expect(await rows.last().textContent()).toContain("Fewer than 5 people");

    const movement = page.locator("section", { has: page.getByRole("heading", { name: /Score movement/ }) });
    await movement.locator("canvas").first().waitFor();
    expect(await movement.locator(".chart-key li").allTextContents()).toEqual(["First", "Latest"]);
    expect(await movement.locator(".chart-axis-labels li").allTextContents()).toEqual(["Practise more (+0.8)", "Practise less (+0.2)"]);
    await movement.getByRole("group", { name: /Overall level at first and latest/ }).focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => movement.locator("[aria-live=polite]").textContent()).toBe("Practise more (+0.8): first 2.1, latest 2.9");

    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, "programme-desktop");
  });

  it("keeps every page with charts or wide tables within a phone's width", async () => {
    const context = await browser.newContext({ viewport: phone, deviceScaleFactor: 1 });
    const small = await context.newPage();
    const widest = () => small.evaluate(() => document.documentElement.scrollWidth);
    try {
      await signInAs(small, /Priya Natarajan/);
      await small.locator("table.heatmap").waitFor();
      expect(await widest()).toBeLessThanOrEqual(phone.width);
      // The gap map scrolls inside its own region, which says so and takes keyboard focus.
      const gapMap = small.getByRole("region", { name: /Gap map for .* \(scrolls sideways/ });
      expect(await gapMap.getAttribute("tabindex")).toBe("0");
      await shoot(small, "home-manager-phone");

      await small.getByRole("link", { name: "Tomás Ortega" }).click();
      await small.locator("figure.trend canvas").first().waitFor();
      expect(await widest()).toBeLessThanOrEqual(phone.width);
      const canvasWidth = await small.locator("figure.trend canvas").first().evaluate((canvas) => canvas.getBoundingClientRect().width);
      expect(canvasWidth).toBeLessThanOrEqual(phone.width);
      await shoot(small, "brief-phone");

      await small.getByRole("button", { name: "Sign out" }).click();
      await signInAs(small, /Alex Morgan/);
      await small.route("**/api/programme", (route) => route.fulfill({ json: largerProgramme }));
      await small.goto(`${baseUrl}/programme`);
      await small.locator("section", { hasText: "Most common weak criteria" }).locator("canvas").first().waitFor();
      await small.locator("section", { hasText: "Score movement" }).locator("canvas").first().waitFor();
      expect(await widest()).toBeLessThanOrEqual(phone.width);
      expect(await seriousViolations(small)).toEqual([]);
      await shoot(small, "programme-phone");
    } finally {
      await context.close();
    }
  });
});
