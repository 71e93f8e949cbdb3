// An L&D author edits a scenario in the browser: the CLI's validation at the line as they type,
// a preview, and publishing a valid edit as a new publication of the library.
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startTestApp } from "@spar/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser } from "../fixtures/browser.ts";
import { repositoryRoot } from "../fixtures/processes.ts";

describe("the library editor in the browser", () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "spar-library-e2e-"));
    await cp(path.join(repositoryRoot, "scenarios"), dir, { recursive: true });
    server = await startTestApp("pglite", { environment: { SPAR_LIBRARY_DIR: dir } });
    await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("validates as the author types, points at the line, previews, and publishes", async () => {
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByRole("button", { name: /Alex Morgan/ }).click();
    await page.getByRole("link", { name: "Library" }).click();
    await page.getByLabel("Open a file").selectOption("missed-deadline/missed-deadline.scenario.yaml");
    const yaml = page.getByLabel("YAML", { exact: true });
    await page.getByText("No problems found.").waitFor();
    await page.getByRole("heading", { name: "Preview" }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    const original = await yaml.inputValue();
    await yaml.fill(original.replace("estimated_minutes: 10", "estimated_minutes: ten"));
    await page.getByText("Line 9, column 20").waitFor();
    expect(await page.locator(".validation").textContent()).toContain('expected number, got string "ten"');
    expect(await page.getByRole("button", { name: "Publish" }).isDisabled()).toBe(true);

    await yaml.fill(original.replace("title: The missed launch deadline", "title: The launch that slipped"));
    await page.getByText("No problems found.").waitFor();
    await page.getByRole("heading", { name: "The launch that slipped" }).waitFor();
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("Published: the library now uses this version.").waitFor();
    // Published in the database, not written to the server's disk.
    expect(server.library.files.find((file) => file.path === "missed-deadline/missed-deadline.scenario.yaml")?.text).toContain("title: The launch that slipped");
    expect(await readFile(path.join(dir, "missed-deadline/missed-deadline.scenario.yaml"), "utf8")).toBe(original);
    expect(server.library.library.scenarios.get("missed-deadline")?.value.title).toBe("The launch that slipped");
  });
});
