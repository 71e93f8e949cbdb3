// A newcomer's first minutes, in a real browser against the built app and a real server:
// the set-up page of a fresh install, the demo organisation, the sign-in page listing demo
// accounts, signing in, and signing out.
import { startTestApp } from "@spar/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser } from "../fixtures/browser.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe("first run in the browser", () => {
  let server: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestApp("pglite");
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("opens on the set-up page of a fresh install, which passes an accessibility check", async () => {
    await page.goto(baseUrl);
    await page.getByRole("heading", { name: "Welcome to Spar" }).waitFor();
    expect(page.url()).toBe(`${baseUrl}/setup`);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("shows every problem with a bad admin account beside its field", async () => {
    await page.getByLabel("Your name").fill("Ines");
    await page.getByLabel("Work email").fill("ines-at-example");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create admin account" }).click();
    await page.getByText("Enter an email address like name@example.com.").waitFor();
    await page.getByText("Use at least 10 characters.").waitFor();
    expect(await page.getByLabel("Work email").getAttribute("aria-invalid")).toBe("true");
  });

  it("loads the demo organisation and lists its accounts on the sign-in page", async () => {
    await page.getByRole("button", { name: "Load the demo organisation" }).click();
    await page.getByRole("heading", { name: "Demo accounts" }).waitFor();
    expect(page.url()).toBe(`${baseUrl}/sign-in`);
    const accounts = page.locator(".demo-account");
    expect(await accounts.count()).toBe(15);
    expect(await accounts.first().textContent()).toContain("Alex Morgan");
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("says the same thing for a wrong password as for an unknown email", async () => {
    await page.getByLabel("Email").fill("priya.natarajan@demo.example");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toBe("That email and password do not match an account.");
  });

  it("signs in as a demo manager with one click and shows their team", async () => {
    await page.getByRole("button", { name: /Priya Natarajan/ }).click();
    await page.getByRole("heading", { name: "Hello, Priya" }).waitFor();
    await page.getByRole("heading", { name: "Mid-Market Sales" }).waitFor();
    expect(await page.getByText("Customer Success").count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("signs out, and a deep link then asks to sign in first", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.goto(`${baseUrl}/history`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(page.url()).toBe(`${baseUrl}/sign-in?next=%2Fhistory`);
  });
});
