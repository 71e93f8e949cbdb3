// The mood meter in a real browser against the built app: on a scenario that shows the persona's
// mood, the practice room shows trust and resistance and moves them as each reply completes; the
// scorecard then draws them over the conversation, with the same numbers as a table. A scenario
// without show_mood shows no meter. An axe check on each page, and screenshots at two widths.
import { tmpdir } from "node:os";
import path from "node:path";
import { startTestApp } from "@spar/server/testing";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser } from "../fixtures/browser.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

async function send(page: Page, text: string) {
  const box = page.getByLabel("Your message");
  await box.fill(text);
  await box.press("Enter");
}

/** Waits for the persona's committed reply number `count` (the opening line is the first). */
async function personaTurns(page: Page, count: number) {
  await page.waitForFunction((wanted) => document.querySelectorAll(".turn-persona:not(.turn-streaming)").length >= wanted, count);
}

/** Screenshots of the page as it is now, at desktop width and on a 390 px phone, and of `part` alone on the phone. */
async function screenshots(page: Page, name: string, part: Locator) {
  await page.screenshot({ path: path.join(tmpdir(), `spar-${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(tmpdir(), `spar-${name}-phone.png`), fullPage: true });
  await part.screenshot({ path: path.join(tmpdir(), `spar-${name}-phone-part.png`) });
  // Nothing in the room is wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe("the mood meter in the browser (offline engine)", () => {
  let server: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestApp("pglite", { socket: { messagesPerSecond: 200, messageBurst: 200 }, environment: { SPAR_DEMO: "load" } });
    await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByRole("button", { name: /Tomás Ortega/ }).click();
    await page.getByRole("heading", { name: /^Hello/ }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows no meter on a scenario that does not show the mood", async () => {
    expect(server.library.library.scenarios.get("missed-deadline")?.value.show_mood).toBe(false);
    await page.goto(`${baseUrl}/practice/missed-deadline`);
    await page.getByRole("button", { name: "Start the conversation" }).click();
    await page.getByLabel("Your message").waitFor();
    await personaTurns(page, 1);
    expect(await page.getByRole("meter").count()).toBe(0);
    expect(await page.getByText(/How Sam .* feels/).count()).toBe(0);
  });

  // Two exchanges and a scorecard, each waited for: a busy machine needs more than the default 30 s.
  it("moves trust and resistance as each reply completes, and says so politely", { timeout: 90_000 }, async () => {
    const scenario = server.library.library.scenarios.get("frustrated-customer")?.value;
    expect(scenario?.show_mood).toBe(true);
    await page.goto(`${baseUrl}/practice/frustrated-customer`);
    await page.getByRole("button", { name: "Start the conversation" }).click();
    await page.getByLabel("Your message").waitFor();
    const meter = page.getByRole("region", { name: "How Carmen Ortiz feels" });
    const trust = meter.getByRole("meter", { name: "Trust" });
    const resistance = meter.getByRole("meter", { name: "Resistance" });
    await trust.waitFor();
    // Her opening mood, in numbers and in words.
    expect(await trust.evaluate((element: HTMLMeterElement) => [element.min, element.value, element.max])).toEqual([0, 2, 10]);
    expect(await resistance.evaluate((element: HTMLMeterElement) => element.value)).toBe(6);
    expect(await meter.textContent()).toMatch(/Trust\s*2 of 10\s*Resistance\s*6 of 10/);
    expect(await accessibilityViolations(page)).toEqual([]);

    await send(page, "I hear you. That sounds really frustrating, and I'm sorry you've had to explain it three times.");
    await personaTurns(page, 2);
    await meter.locator(".mood-trust .mood-value").getByText("3 of 10").waitFor();
    expect(await trust.getAttribute("aria-valuetext")).toBe("3 of 10");
    expect(await resistance.getAttribute("aria-valuetext")).toBe("5 of 10");
    // Announced once the reply is complete, not word by word.
    expect(await meter.locator("[aria-live=polite]").textContent()).toBe("Carmen Ortiz's mood: Trust rose to 3 of 10. Resistance fell to 5 of 10.");
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshots(page, "mood-meter", meter);

    await send(page, "What happened when you saw the error come back this month?");
    await personaTurns(page, 3);
    await page.waitForFunction(() => document.querySelector(".mood-trust meter")?.getAttribute("aria-valuetext") === "4 of 10");
  });

  it("draws the mood over the conversation on the scorecard, with a table of the same numbers", { timeout: 60_000 }, async () => {
    await page.getByRole("button", { name: "End conversation" }).click();
    await page.getByRole("dialog", { name: "End the conversation?" }).getByRole("button", { name: "End conversation" }).click();
    await page.getByRole("heading", { name: "Your scorecard" }).waitFor({ timeout: 30_000 });
    const curve = page.getByRole("region", { name: "Mood over the conversation" });
    await curve.waitFor();
    // The chart is named by the sentence that sums it up, which is also shown above it.
    const summary = "Trust went from 2 to 4 and resistance went from 6 to 5 (out of 10), over 3 turns of the other person.";
    const chart = curve.getByRole("img", { name: summary });
    expect(await chart.getAttribute("class")).toBe("mood-chart");
    expect(await curve.locator("p", { hasText: summary }).isVisible()).toBe(true);
    // Two lines, a point per persona turn on each.
    expect(await chart.locator("polyline").count()).toBe(2);
    expect(await chart.locator(".mood-point").count()).toBe(6);

    const toggle = curve.getByRole("button", { name: "Show as table" });
    const table = curve.getByRole("table");
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    expect(await table.isVisible()).toBe(false);
    await toggle.click();
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    await table.waitFor();
    const rows = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    expect(rows).toEqual([
      ["Turn 1", "2", "6"],
      ["Turn 3", "3", "5"],
      ["Turn 5", "4", "5"],
    ]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshots(page, "mood-curve", curve);

    // After a reload the curve is drawn again from the stored turns.
    await page.reload();
    const drawnAgain = page.getByRole("region", { name: "Mood over the conversation" }).getByRole("img", { name: summary });
    await drawnAgain.waitFor({ timeout: 15_000 });
    expect(await drawnAgain.locator(".mood-point").count()).toBe(6);
  });
});
