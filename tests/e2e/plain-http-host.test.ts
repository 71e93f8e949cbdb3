// Spar opened over plain http on a host name that is not localhost, as on an intranet or a
// container reached by name: the browser treats the page as insecure (no crypto.randomUUID,
// among others), and practising must still work.
import { startTestApp } from "@spar/server/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../fixtures/browser.ts";

describe("practising over plain http on an intranet host name", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    server = await startTestApp("pglite", { environment: { SPAR_DEMO: "load", SPAR_ALLOWED_HOSTS: "spar.test" } });
    await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    const listening = new URL(await server.app.listen({ port: 0, host: "127.0.0.1" }));
    origin = `http://spar.test:${listening.port}`;
    browser = await launchBrowser({ loopbackHosts: ["spar.test"] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("sends the learner's messages and shows the persona's replies", async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${origin}/sign-in`);
    expect(await page.evaluate(() => ({ secure: window.isSecureContext, randomUUID: typeof crypto.randomUUID }))).toEqual({ secure: false, randomUUID: "undefined" });
    await page.getByRole("button", { name: /Tomás Ortega/ }).click();
    await page.getByRole("heading", { name: /^Hello/ }).waitFor();
    await page.goto(`${origin}/practice/missed-deadline`);
    await page.getByRole("button", { name: "Start the conversation" }).click();
    const box = page.getByLabel("Your message");
    await box.fill("Thanks for making the time. How are you finding the project at the moment?");
    await box.press("Enter");
    await page.locator(".turn-learner").filter({ hasText: "How are you finding the project" }).waitFor();
    await page.locator(".turn-persona:not(.turn-streaming)").nth(1).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
