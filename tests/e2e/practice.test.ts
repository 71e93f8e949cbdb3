// A learner's whole loop in a real browser against the built app and a real server: find a
// scenario, read the brief, practise, read the scorecard with its evidence highlighted, survive
// a dropped connection mid-reply, and find the session in history. An axe check on each page.
import { tmpdir } from "node:os";
import path from "node:path";
import { FakeOpenAiServer } from "@spar/llm/testing";
import { startTestApp } from "@spar/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser } from "../fixtures/browser.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

async function signInAs(page: Page, baseUrl: string, name: RegExp) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByRole("button", { name }).click();
  await page.getByRole("heading", { name: /^Hello/ }).waitFor();
}

async function send(page: Page, text: string) {
  const box = page.getByLabel("Your message");
  await box.fill(text);
  await box.press("Enter");
}

describe("practising in the browser (offline engine)", () => {
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
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("lists the library with filters and search", async () => {
    await signInAs(page, baseUrl, /Tomás Ortega/);
    const cards = page.locator(".scenario-card");
    await cards.first().waitFor();
    expect(await cards.count()).toBe(10);
    await page.getByLabel("Family").selectOption("coaching");
    expect(await cards.count()).toBe(2);
    await page.getByLabel("Family").selectOption("");
    await page.getByLabel("Search by title").fill("deadline");
    expect(await cards.count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("shows the brief before the conversation, and nothing the persona hides", async () => {
    await page.getByRole("link", { name: "The missed launch deadline" }).click();
    await page.getByRole("heading", { name: "Your brief" }).waitFor();
    expect(await page.content()).not.toContain("Marlowe");
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  // Six or more exchanges, each waited for: a busy machine needs more than the default 30 s.
  it("practises to the end, with Enter to send and Shift+Enter for a new line", { timeout: 90_000 }, async () => {
    await page.getByRole("button", { name: "Start the conversation" }).click();
    await page.locator(".transcript").getByText("Hey. I assume this is about Thursday.").waitFor();
    await page.getByText("Offline engine").waitFor();
    expect(page.url()).toMatch(/\/sessions\/[0-9a-f-]{36}$/);
    const box = page.getByLabel("Your message");
    await box.fill("First line");
    await box.press("Shift+Enter");
    expect(await box.inputValue()).toBe("First line\n");
    await box.fill("");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Ending asks first, and says an empty conversation will not be scored; Cancel keeps it going.
    await page.getByRole("button", { name: "End conversation" }).click();
    const confirm = page.getByRole("dialog", { name: "End the conversation?" });
    await confirm.getByText("You have sent no messages so far").waitFor();
    expect(await confirm.textContent()).toContain("ending now leaves it unscored");
    expect(await accessibilityViolations(page)).toEqual([]);
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "hidden" });
    expect(await box.isEditable()).toBe(true);

    const example = server.library.library.examples.find((each) => each.value.scenario === "missed-deadline" && each.value.label === "strong");
    let sent = 0;
    for (const turn of example?.value.turns ?? []) {
      if (turn.speaker !== "learner") continue;
      await send(page, turn.text);
      sent += 1;
      await page.locator(".turn-learner").nth(sent - 1).waitFor();
      await page.waitForFunction((count) => document.querySelectorAll(".turn-persona:not(.turn-streaming)").length >= count + 1, sent);
      if (await page.getByText("The other person ended the conversation.").isVisible()) break;
      // The room follows the conversation: the newest reply and the composer stay in view.
      await page.waitForFunction(() => {
        const inView = (element: Element | null | undefined) => {
          const box = element?.getBoundingClientRect();
          return box !== undefined && box.bottom > 0 && box.top < window.innerHeight;
        };
        return inView([...document.querySelectorAll(".turn-persona")].at(-1)) && inView(document.querySelector("#composer-input"));
      });
    }
    expect(sent).toBeGreaterThanOrEqual(4);
    await page.getByText("The other person ended the conversation.").waitFor();
  });

  it("shows the scorecard by itself, and highlights a criterion's evidence in the transcript", async () => {
    await page.getByRole("heading", { name: "Your scorecard" }).waitFor({ timeout: 15_000 });
    // The scorecard takes focus and the view when it arrives.
    await page.waitForFunction(() => {
      const heading = document.getElementById("scorecard-heading");
      const box = heading?.getBoundingClientRect();
      return document.activeElement === heading && box !== undefined && box.top >= -1 && box.bottom <= window.innerHeight;
    });
    await page.getByText("One thing to try next time").waitFor();
    await page.getByText("offline scorer").waitFor();
    const criterion = page.getByRole("button", { name: /Stays curious/ });
    await criterion.click();
    expect(await criterion.getAttribute("aria-pressed")).toBe("true");
    const marks = page.locator(".transcript mark");
    await marks.first().waitFor();
    const quote = await marks.first().textContent();
    expect(quote?.length).toBeGreaterThan(5);
    const evidence = page.locator(".criteria > li", { has: criterion }).locator(".evidence");
    expect(await evidence.textContent()).toContain(quote ?? "");
    expect(await accessibilityViolations(page)).toEqual([]);

    // On a phone the scorecard comes before the transcript it quotes.
    await page.setViewportSize({ width: 390, height: 844 });
    const top = (selector: string) => page.locator(selector).first().evaluate((element) => element.getBoundingClientRect().top);
    expect(await top(".practice-body .scorecard")).toBeLessThan(await top(".practice-body .transcript"));
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("at the open-session limit, lists the open conversations and lets the learner end one and go on", async () => {
    const learner = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "tomas.ortega@demo.example" } });
    for (let open = 0; open < server.config.practice.maxActiveSessions; open++) await server.practice.start(learner.id, "price-objection");
    await page.goto(`${baseUrl}/practice/frustrated-customer`);
    await page.getByRole("button", { name: "Start the conversation" }).click();
    const list = page.getByRole("region", { name: "Your open conversations" });
    await list.waitFor();
    expect(await list.getByRole("listitem").count()).toBe(server.config.practice.maxActiveSessions);
    expect(await list.getByRole("link", { name: "Resume" }).first().getAttribute("href")).toMatch(/^\/sessions\/[0-9a-f-]{36}$/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await list.getByRole("button", { name: "End it" }).first().click();
    // One fewer open: the conversation the learner asked for starts.
    await page.getByLabel("Your message").waitFor();
    expect(page.url()).toMatch(/\/sessions\/[0-9a-f-]{36}$/);
    const open = await server.database.prisma.practiceSession.count({ where: { learnerId: learner.id, status: "active" } });
    expect(open).toBe(server.config.practice.maxActiveSessions);
  });

  it("finds the session in history with a trend per competency", async () => {
    await page.getByRole("link", { name: "History" }).click();
    await page.getByRole("heading", { name: "Your practice history" }).waitFor();
    await page.getByRole("link", { name: "The missed launch deadline" }).waitFor();
    await page.locator("figure.trend canvas").first().waitFor();
    expect(await page.locator("figure.trend").first().textContent()).toContain("Difficult conversations");
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("lists the conversations in progress on the home page, to resume or discard", async () => {
    const learner = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "tomas.ortega@demo.example" } });
    const openNow = () => server.database.prisma.practiceSession.count({ where: { learnerId: learner.id, status: "active" } });
    const before = await openNow();
    expect(before).toBeGreaterThan(0);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Practise" }).click();
    const section = page.getByRole("region", { name: "Conversations in progress" });
    await section.waitFor();
    const items = section.getByRole("listitem");
    expect(await items.count()).toBe(before);
    expect(await section.getByRole("link", { name: /^Resume/ }).first().getAttribute("href")).toMatch(/^\/sessions\/[0-9a-f-]{36}$/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await section.getByRole("button", { name: /^Discard/ }).first().click();
    const confirm = page.getByRole("dialog", { name: "Discard this conversation?" });
    await confirm.getByText("closed without a scorecard").waitFor();
    await confirm.getByRole("button", { name: "Discard" }).click();
    await confirm.waitFor({ state: "hidden" });
    await page.waitForFunction((count) => document.querySelectorAll("#in-progress li").length === count, before - 1);
    expect(await openNow()).toBe(before - 1);
    await page.screenshot({ path: path.join(tmpdir(), "spar-home-in-progress.png"), fullPage: true });
  });

  it("keeps two tabs on one conversation in step", async () => {
    // Another learner (this one is at the open-session limit), in two tabs with one sign-in.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signInAs(page, baseUrl, /Nadia Haddad/);
    await page.goto(`${baseUrl}/practice/frustrated-customer`);
    await page.getByRole("button", { name: "Start the conversation" }).click();
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
    const other = await context.newPage();
    await other.goto(page.url());
    await other.locator(".turn-persona").first().waitFor();
    await send(page, "I'm sorry this has happened again. Can you tell me what you saw this time?");
    await page.locator(".turn-persona:not(.turn-streaming)").nth(1).waitFor();
    // The other tab shows the turn it did not send, and the reply to it, without a reload.
    await other.locator(".turn-learner").filter({ hasText: "Can you tell me what you saw this time?" }).waitFor();
    await other.locator(".turn-persona:not(.turn-streaming)").nth(1).waitFor();
    await send(other, "And what would a good outcome look like for you?");
    await page.locator(".turn-learner").filter({ hasText: "what would a good outcome look like" }).waitFor();
    await page.locator(".turn-persona:not(.turn-streaming)").nth(2).waitFor();
    const transcript = (tab: Page) => tab.locator(".transcript > li:not(.turn-streaming) .turn-text").allTextContents();
    await other.locator(".turn-persona:not(.turn-streaming)").nth(2).waitFor();
    expect(await transcript(other)).toEqual(await transcript(page));
    await context.close();
  });
});

describe("a dropped connection mid-reply (LLM persona through the fake server)", () => {
  let fake: FakeOpenAiServer;
  let server: TestApp;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start({ firstTokenMs: 50, tokensPerSecond: 12 });
    server = await startTestApp("pglite", { environment: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.baseUrl, SPAR_PERSONA_MODEL: "fake-persona" } });
    await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fake?.close();
  });

  it("reconnects, resumes and loses no turn", async () => {
    const page = await browser.newPage();
    await signInAs(page, baseUrl, /Nadia Haddad/);
    await page.goto(`${baseUrl}/practice/frustrated-customer`);
    await page.getByRole("button", { name: "Start the conversation" }).click();
    await page.getByText("AI model: fake-persona").waitFor();
    const reply = "Twice now you have told me it was fixed, and twice the invoices went out wrong, so forgive me if I do not believe it this time.";
    fake.script({ kind: "reply", text: reply });
    await send(page, "I'm so sorry this happened again. What has it meant for you?");
    await page.locator(".turn-streaming .turn-text").filter({ hasText: "Twice" }).waitFor();
    const sockets = (server.app as unknown as { websocketServer: { clients: Set<{ terminate(): void }> } }).websocketServer.clients;
    for (const socket of sockets) socket.terminate();
    await page.getByText(/reconnecting/i).waitFor();
    await page.getByText("Connected", { exact: true }).waitFor({ timeout: 15_000 });
    await page.locator(".turn-persona:not(.turn-streaming)").filter({ hasText: "believe it this time." }).waitFor({ timeout: 20_000 });
    expect(await page.locator(".turn-learner").count()).toBe(1);
    expect(await page.locator(".turn-persona:not(.turn-streaming)").count()).toBe(2);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("says when the model cut a reply off, and asks for it again", async () => {
    const page = await browser.newPage();
    await signInAs(page, baseUrl, /Nadia Haddad/);
    await page.goto(`${baseUrl}/practice/frustrated-customer`);
    await page.getByRole("button", { name: "Start the conversation" }).click();
    await page.getByText("AI model: fake-persona").waitFor();
    fake.script({ kind: "reset", afterTokens: 3 });
    await send(page, "Tell me what happened with the invoices.");
    await page.getByText("(cut off: the connection to the AI model broke)").waitFor();
    const notice = page.getByRole("status").filter({ hasText: "reply was cut off by the AI model" });
    await notice.waitFor();
    await page.screenshot({ path: path.join(tmpdir(), "spar-practice-cut-reply.png") });
    expect(await accessibilityViolations(page)).toEqual([]);
    fake.script({ kind: "reply", text: "The invoices went out wrong twice." });
    await notice.getByRole("button", { name: "Ask again" }).click();
    await page.locator(".turn-persona:not(.turn-streaming)").filter({ hasText: "The invoices went out wrong twice." }).waitFor();
    await notice.waitFor({ state: "detached" });
    expect(await page.locator(".turn-persona:not(.turn-streaming)").count()).toBe(3);
  });
});
