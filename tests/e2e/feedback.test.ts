// Feedback in the practice room, in real Chromium against the built app: a conversation ended
// after one message says "Not scored: too short" (and history says so too); a scored one names
// what to try next and the learner's own turn where it would have fitted.
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { offlineScorer, type TranscriptScorer } from "@spar/domain";
import { startTestApp } from "@spar/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser } from "../fixtures/browser.ts";

const screenshots = path.join(os.tmpdir(), "spar-feedback-screenshots");

/**
 * The offline scorer with "Stays curious" held at level 1 by the learner's first turn, so the
 * next step is known: whatever the offline indicators make of the lines, this criterion is the
 * weakest and its counter-evidence is turn 2.
 */
const scorer: TranscriptScorer = {
  kind: "offline",
  model: null,
  async score(rubric, transcript, metrics, context) {
    const result = await offlineScorer.score(rubric, transcript, metrics, context);
    if (!result.ok) return result;
    const [first, second] = transcript.filter((turn) => turn.speaker === "learner");
    // Scripted levels still keep the evidence rules: a level above 1 quotes learner words that support it.
    const supporting = second ? [{ turn: second.seq, quote: second.text, stance: "supports" as const }] : [];
    return {
      ...result,
      criteria: result.criteria.map((criterion) =>
        criterion.criterionId === "stays-curious"
          ? { ...criterion, level: 1, evidence: first ? [{ turn: first.seq, quote: first.text, stance: "counts-against" }] : [] }
          : { ...criterion, level: 3, evidence: supporting },
      ),
    };
  },
};

describe("feedback in the practice room", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;

  beforeAll(async () => {
    await mkdir(screenshots, { recursive: true });
    server = await startTestApp("pglite", { scorer, socket: { messagesPerSecond: 200, messageBurst: 200 } });
    await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByRole("button", { name: /Tomás Ortega/ }).click();
    await page.getByRole("heading", { name: /^Hello/ }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function startMissedDeadline() {
    await page.goto(`${baseUrl}/`);
    await page.getByRole("link", { name: "The missed launch deadline" }).click();
    await page.getByRole("button", { name: "Start the conversation" }).click();
    await page.locator(".transcript").getByText("Hey. I assume this is about Thursday.").waitFor();
  }

  async function say(text: string, personaTurns: number) {
    const box = page.getByLabel("Your message");
    await box.fill(text);
    await box.press("Enter");
    await page.waitForFunction((count) => document.querySelectorAll(".turn-persona:not(.turn-streaming)").length >= count, personaTurns);
  }

  it("says a conversation of one message is not scored, instead of waiting for a score", async () => {
    await startMissedDeadline();
    await say("Why didn't you tell me the launch was slipping?", 2);
    await page.getByRole("button", { name: "End conversation" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "End conversation" }).click();

    const ended = page.locator(".ended");
    await ended.getByText("Not scored: too short").waitFor({ timeout: 15_000 });
    expect(await ended.textContent()).toContain("does not count as an attempt");
    expect(await ended.getByText("Scoring your conversation").count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Your scorecard" }).count()).toBe(0);
    await page.screenshot({ path: path.join(screenshots, "too-short.png") });
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.goto(`${baseUrl}/history`);
    await page.locator(".history-table").getByText("Not scored: too short").waitFor();
  });

  it("names what to try next, with a line that shows it and the turn where it would have fitted", async () => {
    await startMissedDeadline();
    await say("Why didn't you just tell me the deadline was going to slip?", 2);
    await say("Okay. What do you need from me to get it back on track?", 3);
    await page.getByRole("button", { name: "End conversation" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "End conversation" }).click();
    await page.getByRole("heading", { name: "Your scorecard" }).waitFor({ timeout: 15_000 });

    const nextStep = page.locator(".next-step");
    const rubric = server.library.library.rubrics.get("difficult-conversations")?.value;
    const curious = rubric?.criteria.find((criterion) => criterion.id === "stays-curious");
    const text = await nextStep.textContent();
    expect(text).toContain(`Stays curious: ${curious?.levels["2"].try}`);
    expect(text).toContain(curious?.levels["3"].sounds_like);
    expect(text).not.toContain(curious?.levels["2"].description.trim());
    const moment = nextStep.locator(".next-step-moment");
    expect(await moment.textContent()).toBe("You could have done this at turn 2: “Why didn't you just tell me the deadline was going to slip?”");
    await moment.getByRole("link", { name: "turn 2" }).click();
    expect(new URL(page.url()).hash).toBe("#turn-2");
    await page.screenshot({ path: path.join(screenshots, "next-step.png") });
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
