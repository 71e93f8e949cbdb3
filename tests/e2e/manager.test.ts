// A manager's five minutes before the one-to-ones, in a real browser: the team's gap map with
// its stuck flag, and one click to a report's history.
import { demoSignIn, startTestApp } from "@spar/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser } from "../fixtures/browser.ts";
import { PracticeClient } from "../fixtures/practice-client.ts";

describe("the manager's team overview in the browser", () => {
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
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows the gap map with who is stuck, and passes an accessibility check", async () => {
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByRole("button", { name: /Priya Natarajan/ }).click();
    await page.getByRole("heading", { name: "Mid-Market Sales" }).waitFor();
    const table = page.locator("table.heatmap");
    await table.waitFor();
    const tomas = table.locator("tr", { hasText: "Tomás Ortega" });
    expect(await tomas.textContent()).toContain("Stuck: Objection handling");
    expect(await table.locator("tbody tr").count()).toBe(6);
    expect(await table.locator("svg.sparkline").count()).toBeGreaterThan(0);
    await table.getByRole("button", { name: "Sessions" }).click();
    expect(await table.locator("tbody tr").first().textContent()).toContain("Sam Whitaker"); // 8 sessions, the most
    expect(await table.locator("th", { hasText: "Sessions" }).getAttribute("aria-sort")).toBe("descending");
    expect(await page.getByText("Customer Success").count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  /** Tomás practises the price objection once, ended at once, as he might on the day of the one-to-one. */
  async function tomasPractises() {
    const client = await PracticeClient.connect(baseUrl, await demoSignIn(server.app, "tomas.ortega@demo.example"));
    client.send({ type: "session-start", scenarioId: "price-objection" });
    const { session } = await client.next("session-ready");
    await client.say(session.id, "Before we talk numbers, help me understand how you are comparing the two offers.");
    client.send({ type: "session-end", sessionId: session.id });
    await client.next("session-ended");
    client.close();
  }

  it("opens a report's one-to-one brief in one click, with the evidence and the transcript behind it", async () => {
    // Practice from earlier today came before the one-to-one: it does not count as "since then".
    await tomasPractises();
    await page.getByRole("link", { name: "Tomás Ortega" }).click();
    await page.getByRole("heading", { name: "One-to-one brief: Tomás Ortega" }).waitFor();
    expect(await page.locator(".lead").textContent()).toContain("Stuck: Objection handling");
    await page.getByRole("heading", { name: "Questions to ask" }).waitFor();
    const quote = await page.locator("blockquote").first().textContent();
    expect(quote?.length).toBeGreaterThan(10);
    await page.locator("figure.trend canvas").first().waitFor();
    const sessions = page.locator("section", { has: page.getByRole("heading", { name: "Sessions" }) });
    expect(await sessions.locator(".history-table tbody tr").count()).toBe(8);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByLabel("Key points (one per line, up to five)").fill("Repeats the discount reflex\nListens better than last month");
    await page.getByLabel("Agreed actions (one per line)").fill("Practise the price objection once more, exploring before answering");
    await page.getByRole("button", { name: "Save the one-to-one" }).click();
    await page.getByText("Repeats the discount reflex").waitFor();
    await page.getByText("Since then: 0 practice sessions.").waitFor();
    await page.getByLabel("What you saw").fill("Offered 10% off within two minutes of the Bellway call.");
    await page.getByRole("button", { name: "Add observation" }).click();
    await page.getByText(/observed level 2/).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole("link", { name: "Read the transcript" }).first().click();
    await page.getByRole("heading", { name: /Tomás Ortega: / }).waitFor();
    await page.getByRole("heading", { name: "Tomás Ortega's scorecard" }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    // Written about Tomás for his manager, not to him, and in words rather than the scorer's sums.
    const speakers = await page.locator(".turn-speaker").allTextContents();
    expect(new Set(speakers)).toEqual(new Set(["Tomás Ortega", "Ingrid Larsen"]));
    const metrics = (await page.locator(".metrics").textContent()) ?? "";
    expect(metrics).toMatch(/Tomás spoke \d+% of the words/);
    expect(metrics).not.toMatch(/You |your |\d+\.\d+ words/);
    for (const rationale of await page.locator(".criterion-rationale").allTextContents()) {
      expect(rationale).not.toMatch(/point\(s\)|×|\d+\.\d/);
    }
    const reads = await server.database.prisma.auditEntry.findMany({ where: { actor: { email: "priya.natarajan@demo.example" } } });
    expect(reads.map((entry) => entry.action).sort()).toEqual(["brief.read", "scorecard.read", "transcript.read"]);
  });

  it("assigns a scenario to a report, who then sees it on their start page", async () => {
    await page.goto(baseUrl);
    await page.getByRole("heading", { name: "Assign practice" }).waitFor();
    await page.getByLabel("Scenario", { exact: true }).selectOption("renewal-at-risk");
    await page.getByLabel("To", { exact: true }).selectOption({ label: "Sam Whitaker" });
    // A day that has passed is out of the picker's range, and the form will not send it.
    await page.getByLabel("Due").fill("2020-01-31");
    expect(await page.getByLabel("Due").evaluate((input: HTMLInputElement) => input.validity.rangeUnderflow)).toBe(true);
    await page.getByLabel("Due").fill("2030-01-31");
    await page.getByRole("button", { name: "Assign" }).click();
    await page.locator(".assignment-status").getByText("Sam Whitaker to do").waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: /Sam Whitaker/ }).click();
    const assigned = page.locator(".assignment", { hasText: "The renewal that's quietly slipping away" });
    await assigned.waitFor();
    expect(await assigned.textContent()).toContain("from Priya Natarajan");
    expect(await assigned.textContent()).toContain("Due");
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("shows L&D the programme in aggregates, with small groups suppressed and no person named", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: /Alex Morgan/ }).click();
    await page.getByRole("link", { name: "Programme" }).click();
    await page.getByRole("heading", { name: "Most common weak criteria" }).waitFor();
    expect(await page.getByText(/Fewer than 5 people/).count()).toBeGreaterThan(0);
    const text = (await page.locator("main").textContent()) ?? "";
    for (const name of ["Tomás Ortega", "Sam Whitaker", "Kenji Watanabe"]) expect(text).not.toContain(name);
    expect(await page.getByRole("link", { name: "Download CSV" }).count()).toBe(6);
    expect(await accessibilityViolations(page)).toEqual([]);

    // After a rubric changes, L&D rescores its sessions as a whole (never one person's).
    const rescore = page.locator("section", { has: page.getByRole("heading", { name: "Rescore a rubric" }) });
    await rescore.getByLabel("Rubric", { exact: true }).selectOption({ index: 0 });
    await rescore.getByRole("button", { name: "Rescore…" }).click();
    await page.getByRole("dialog", { name: "Rescore every session on this rubric?" }).getByRole("button", { name: "Rescore" }).click();
    await rescore.getByRole("status").getByText(/queued for scoring again/).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
