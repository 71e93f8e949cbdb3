// When scoring fails for good, the practice room says so in words and offers to score again;
// once the judge answers, the scorecard appears in place. L&D sees such sessions on the programme
// page, without the conversation, and retries them. Real Chromium, built app.
import { offlineScorer, type TranscriptScorer } from "@spar/domain";
import { startTestApp } from "@spar/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser } from "../fixtures/browser.ts";

describe("a scoring failure in the practice room", () => {
  const judge = { down: true };
  const scorer: TranscriptScorer = {
    kind: "offline",
    model: null,
    score: async (...args) =>
      judge.down ? { ok: false, code: "unavailable", message: "HTTP 503 from the judge model", retryable: true } : offlineScorer.score(...args),
  };
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startTestApp("pglite", { scorer, socket: { messagesPerSecond: 200, messageBurst: 200 }, environment: { SPAR_SCORING_RETRY_MINUTES: "0" } });
    await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("tells the learner, offers to score again, and shows the scorecard when the judge is back", async () => {
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByRole("button", { name: /Tomás Ortega/ }).click();
    await page.getByRole("heading", { name: /^Hello/ }).waitFor();
    await page.getByRole("link", { name: "The missed launch deadline" }).click();
    await page.getByRole("button", { name: "Start the conversation" }).click();
    await page.locator(".transcript").getByText("Hey. I assume this is about Thursday.").waitFor();
    const box = page.getByLabel("Your message");
    await box.fill("Thanks for making time. How are things going on the launch from where you sit?");
    await box.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll(".turn-persona:not(.turn-streaming)").length >= 2);
    // A second turn: a conversation of one is too short to score.
    await box.fill("That sounds like a lot. What got in the way?");
    await box.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll(".turn-persona:not(.turn-streaming)").length >= 3);
    await page.getByRole("button", { name: "End conversation" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "End conversation" }).click();

    const alert = page.locator(".score-failure");
    await alert.getByText("Your conversation could not be scored yet").waitFor({ timeout: 20_000 });
    expect(await alert.textContent()).not.toContain("503");
    expect(await accessibilityViolations(page)).toEqual([]);

    judge.down = false;
    await page.getByRole("button", { name: "Score it again" }).click();
    await page.getByRole("heading", { name: "Your scorecard" }).waitFor({ timeout: 20_000 });
    expect(await alert.count()).toBe(0);
  });

  it("lists a session whose scoring failed for good on L&D's programme page, and retries it from there", async () => {
    judge.down = true;
    await page.goto(`${baseUrl}/`);
    await page.getByRole("link", { name: "The missed launch deadline" }).click();
    await page.getByRole("button", { name: "Start the conversation" }).click();
    await page.locator(".transcript").getByText("Hey. I assume this is about Thursday.").waitFor();
    const box = page.getByLabel("Your message");
    await box.fill("I wanted to hear how the launch went for you. What happened on Thursday?");
    await box.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll(".turn-persona:not(.turn-streaming)").length >= 2);
    await box.fill("That sounds hard. What would help most this week?");
    await box.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll(".turn-persona:not(.turn-streaming)").length >= 3);
    await page.getByRole("button", { name: "End conversation" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "End conversation" }).click();
    await page.locator(".score-failure").getByText("Your conversation could not be scored yet").waitFor({ timeout: 20_000 });

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: /Alex Morgan/ }).click();
    await page.getByRole("link", { name: "Programme" }).click();
    const section = page.getByRole("region", { name: "Scoring that failed" });
    const row = section.getByRole("row", { name: /The missed launch deadline/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("HTTP 503 from the judge model");
    // Which scenario and what went wrong, never what was said nor by whom.
    const text = (await section.textContent()) ?? "";
    for (const said of ["What happened on Thursday", "Tomás Ortega"]) expect(text).not.toContain(said);
    expect(await accessibilityViolations(page)).toEqual([]);

    judge.down = false;
    await row.getByRole("button", { name: "Retry" }).click();
    await section.getByText("Queued for scoring again.").waitFor();
    await section.getByText("Every ended session has been scored or is being scored.").waitFor();
    // Both conversations of this file end up scored.
    const deadline = Date.now() + 20_000;
    const scored = () => server.database.prisma.practiceSession.count({ where: { scoringStatus: "done" } });
    while ((await scored()) < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await scored()).toBe(2);
  });
});
