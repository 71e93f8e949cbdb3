// A manager adjudicates a report's scorecard in a real browser: adjusts a criterion's level with a
// reason and comments on a turn, by mouse and by keyboard; the scorecard then shows the scorer's
// level beside the manager's, to the manager and to the learner, at desktop and at phone width.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startTestApp } from "@spar/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser } from "../fixtures/browser.ts";

describe("manager adjudication in the browser", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  let sessionId: string;
  let screenshots: string;

  beforeAll(async () => {
    server = await startTestApp("pglite", { environment: { SPAR_DEMO_HISTORY: "on" } });
    await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    const tomas = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "tomas.ortega@demo.example" } });
    sessionId = (await server.database.prisma.practiceSession.findFirstOrThrow({ where: { learnerId: tomas.id, scorecards: { some: {} } }, orderBy: { startedAt: "desc" } })).id;
    screenshots = await mkdtemp(path.join(tmpdir(), "spar-adjudication-"));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signInAs = async (target: Page, name: RegExp) => {
    await target.goto(`${baseUrl}/sign-in`);
    await target.getByRole("button", { name }).click();
    await target.getByRole("heading", { name: /^Hello/ }).waitFor();
  };

  it("adjusts a level with a reason, and the scorecard shows the scorer's level beside the manager's", async () => {
    await signInAs(page, /Priya Natarajan/);
    await page.goto(`${baseUrl}/review/sessions/${sessionId}`);
    await page.getByRole("heading", { name: "Tomás Ortega's scorecard" }).waitFor();
    const first = page.locator(".criteria > li").first();
    const title = (await first.locator(".criterion-title").textContent()) ?? "";
    const scorerLevel = Number((await first.locator(".level").textContent())?.match(/Level (\d)/)?.[1]);
    const wanted = scorerLevel <= 2 ? scorerLevel + 1 : scorerLevel - 1;
    expect(await first.locator(".level-override").count()).toBe(0);

    await page.getByRole("button", { name: `Adjust level of ${title}` }).click();
    await page.getByLabel("New level").selectOption(String(wanted));
    // An empty reason is refused in the browser before it is sent.
    await page.getByRole("button", { name: "Save level" }).click();
    expect(await page.getByLabel("Reason").evaluate((field: HTMLTextAreaElement) => field.validity.valueMissing)).toBe(true);
    await page.getByLabel("Reason").fill("On the Bellway call he asked about their audit before pitching.");
    await page.getByRole("button", { name: "Save level" }).click();

    const note = first.locator(".level-override");
    await note.waitFor();
    expect(await note.textContent()).toContain(`Scorer: Level ${scorerLevel}`);
    expect(await note.textContent()).toContain(`Priya Natarajan: Level ${wanted}`);
    expect(await note.textContent()).toContain("asked about their audit before pitching");
    expect(await first.locator(".level").textContent()).toContain(`Level ${wanted}`);
    await page.getByText(/With a reviewer's adjusted levels; the scorer gave/).waitFor();
    // The opener has the focus back, so a keyboard user carries on where they were.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("Adjust level");
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("comments on a turn from the keyboard, shown under the turn", async () => {
    const learnerTurn = page.locator(".turn-learner").first();
    const turnId = (await learnerTurn.getAttribute("id")) ?? "";
    const seq = turnId.replace("turn-", "");
    const opener = page.getByRole("button", { name: `Comment on turn ${seq}` });
    await opener.focus();
    await page.keyboard.press("Enter");
    // The comment field takes the focus as the form opens.
    await page.keyboard.type("Good: you let the silence do the work here.");
    expect(await page.getByLabel(`Your comment on turn ${seq}`).inputValue()).toBe("Good: you let the silence do the work here.");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await learnerTurn.locator(".turn-comment").getByText("Good: you let the silence do the work here.").waitFor();
    expect(await learnerTurn.locator(".turn-comment-author").textContent()).toBe("Priya Natarajan");
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(screenshots, "review-desktop.png"), fullPage: true });
  });

  it("fits a phone's width", async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.reload();
    await page.locator(".level-override").first().waitFor();
    await page.locator(".turn-comment").first().waitFor();
    const title = (await page.locator(".criteria > li").nth(1).locator(".criterion-title").textContent()) ?? "";
    await page.getByRole("button", { name: `Adjust level of ${title}` }).click();
    await page.getByLabel("Reason").waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    // Viewport shots where the controls are: a full page at this width is too tall to read.
    await page.locator(".level-override").first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, "review-phone-scorecard.png") });
    await page.locator(".turn-comment").first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, "review-phone-comment.png") });
    console.log(`screenshots in ${screenshots}`);
  });

  it("shows the learner both levels and the reason on their own scorecard, with no controls to change them", async () => {
    const learner = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signInAs(learner, /Tomás Ortega/);
      await learner.goto(`${baseUrl}/sessions/${sessionId}`);
      const note = learner.locator(".level-override").first();
      await note.waitFor();
      expect(await note.textContent()).toContain("Priya Natarajan: Level");
      expect(await note.textContent()).toContain("asked about their audit before pitching");
      expect(await learner.getByRole("button", { name: /Adjust level/ }).count()).toBe(0);
      expect(await accessibilityViolations(learner)).toEqual([]);
    } finally {
      await learner.close();
    }
  });

  it("gives L&D the managers' adjustments per criterion on the programme page, small groups hidden", async () => {
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signInAs(admin, /Alex Morgan/);
      await admin.getByRole("link", { name: "Programme" }).click();
      const section = admin.locator("section", { has: admin.getByRole("heading", { name: "Managers' adjustments to the scorer" }) });
      await section.waitFor();
      // Tomás's rubric (objection handling) is practised by fewer than five people: the override
      // above hides among them. Rubrics five or more people practise are shown.
      const rows = section.locator("tbody tr");
      expect(await rows.count()).toBeGreaterThan(0);
      const objectionRows = rows.filter({ hasText: "Objection handling" });
      expect(await objectionRows.count()).toBeGreaterThan(0);
      expect(await objectionRows.filter({ hasText: "hidden to protect individuals" }).count()).toBe(await objectionRows.count());
      expect(await rows.filter({ hasText: "Sales discovery" }).filter({ hasNotText: "hidden to protect individuals" }).count()).toBeGreaterThan(0);
      expect(await section.getByRole("link", { name: "Download CSV" }).getAttribute("href")).toBe("/api/programme/overrides.csv");
      expect(await accessibilityViolations(admin)).toEqual([]);
      await section.screenshot({ path: path.join(screenshots, "programme-overrides.png") });
    } finally {
      await admin.close();
    }
  });
});
