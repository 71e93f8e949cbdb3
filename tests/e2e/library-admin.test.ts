// An L&D author edits a scenario in the browser: a code editor with line numbers and whole lines,
// the CLI's validation marked at the line as they type, completion and documentation from the
// scenario's JSON Schema, a preview beside the editor, a warning before unpublished edits are
// lost, and publishing a valid edit as a new publication of the library.
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startTestApp } from "@spar/server/testing";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser } from "../fixtures/browser.ts";
import { repositoryRoot } from "../fixtures/processes.ts";

const scenarioPath = "missed-deadline/missed-deadline.scenario.yaml";

/** The editor, found as a screen reader finds it: the text box named "YAML". */
const yamlEditor = (page: Page): Locator => page.getByLabel("YAML", { exact: true });

/**
 * Replaces the whole text as an author does who selects all and pastes: the editor handles the
 * paste event itself. (Playwright's fill() types through the browser's own editing commands
 * instead, which wrap lines in inline styles the Content-Security-Policy refuses.)
 */
async function replaceText(page: Page, text: string): Promise<void> {
  const editor = yamlEditor(page);
  await editor.focus();
  await page.keyboard.press("Control+a");
  await editor.evaluate((element, pasted) => {
    const clipboardData = new DataTransfer();
    clipboardData.setData("text/plain", pasted);
    element.dispatchEvent(new ClipboardEvent("paste", { clipboardData, bubbles: true, cancelable: true }));
  }, text);
}

/** The editor line (a rendered `.cm-line`) whose text starts with `start`. */
const editorLine = (page: Page, start: string): Locator =>
  page.locator(".cm-line").filter({ hasText: new RegExp(`^\\s*${start.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) });

/** Whether the element lies wholly inside the editor's visible scroll area. */
async function inEditorView(page: Page, line: Locator): Promise<boolean> {
  const scroller = await page.locator(".cm-scroller").boundingBox();
  const box = await line.boundingBox();
  if (!scroller || !box) return false;
  return box.y >= scroller.y && box.y + box.height <= scroller.y + scroller.height;
}

describe("the library editor in the browser", () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  let original: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "spar-library-e2e-"));
    await cp(path.join(repositoryRoot, "scenarios"), dir, { recursive: true });
    original = await readFile(path.join(dir, scenarioPath), "utf8");
    server = await startTestApp("pglite", { environment: { SPAR_LIBRARY_DIR: dir } });
    await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // A step that cannot happen fails naming its locator, before the test's own timeout.
    page.setDefaultTimeout(10_000);
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByRole("button", { name: /Alex Morgan/ }).click();
    await page.getByRole("link", { name: "Library" }).click();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("shows the file with line numbers and whole lines, beside its preview", async () => {
    await page.getByLabel("Open a file").selectOption(scenarioPath);
    await page.getByText("No problems found.").waitFor();
    await page.getByRole("heading", { name: "Preview" }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    const gutter = page.locator(".cm-lineNumbers .cm-gutterElement");
    expect(await gutter.filter({ hasText: /^1$/ }).isVisible()).toBe(true);
    expect(await gutter.filter({ hasText: /^9$/ }).isVisible()).toBe(true);

    // The summary is longer than the editor is wide: it stays one line and scrolls sideways.
    const summary = editorLine(page, "summary:");
    const title = editorLine(page, "title:");
    const [summaryBox, titleBox] = [await summary.boundingBox(), await title.boundingBox()];
    expect(summaryBox?.height).toBe(titleBox?.height);
    const scroller = page.locator(".cm-scroller");
    expect(await scroller.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);

    // Editor and preview side by side on a wide screen.
    const editorBox = await page.locator(".yaml-editor").boundingBox();
    const previewBox = await page.getByRole("complementary").boundingBox();
    expect(previewBox && editorBox && previewBox.x >= editorBox.x + editorBox.width).toBe(true);
    await page.screenshot({ path: "/tmp/library-editor-desktop.png" });
  });

  it("marks a problem at its line, and a click on the problem takes the cursor there", async () => {
    await replaceText(page, original.replace("estimated_minutes: 10", "estimated_minutes: ten"));
    await page.getByText("Line 9, column 20").waitFor();
    expect(await page.locator(".validation").textContent()).toContain('expected number, got string "ten"');
    expect(await page.locator(".validation").textContent()).not.toContain("No problems found.");
    expect(await page.getByRole("button", { name: "Publish" }).isDisabled()).toBe(true);
    // A paste leaves the editor at the end of the file; the problem's button brings line 9 back,
    // where the error is underlined in the line it is about and marked in the gutter.
    await page.getByRole("button", { name: "Line 9, column 20" }).click();
    await page.locator(".cm-lintRange-error").first().waitFor();
    expect(await page.locator(".cm-line", { has: page.locator(".cm-lintRange-error") }).textContent()).toBe(
      "estimated_minutes: ten",
    );
    expect(await page.locator(".cm-lintRange-error").textContent()).toBe("ten");
    expect(await page.locator(".cm-lint-marker-error").count()).toBe(1);

    // A problem near the end of the file, out of sight while the editor shows its top.
    await replaceText(page, original.replace("max_minutes: 20", "max_minutes: twenty"));
    const problem = page.getByRole("button", { name: "Line 212, column 16" });
    await problem.waitFor();
    await page.locator(".cm-scroller").evaluate((element) => element.scrollTo(0, 0));
    await editorLine(page, "max_minutes:").waitFor({ state: "detached" });

    await problem.click();
    const line = editorLine(page, "max_minutes: twenty");
    await line.waitFor();
    expect(await inEditorView(page, line)).toBe(true);
    expect(await page.locator(".cm-activeLineGutter").filter({ hasText: /^212$/ }).count()).toBe(1);
    expect(await page.locator(".cm-activeLine").textContent()).toBe("  max_minutes: twenty");
    expect(await yamlEditor(page).evaluate((element) => document.activeElement === element)).toBe(true);
    // The cursor is at column 16, where the wrong value starts: typing replaces nothing before it.
    await page.keyboard.type("X");
    await editorLine(page, "max_minutes: Xtwenty").waitFor();
  });

  it("completes keys and documents them from the scenario's JSON Schema", async () => {
    await replaceText(page, original);
    await page.getByText("No problems found.").waitFor();
    await page.locator(".cm-scroller").evaluate((element) => element.scrollTo(0, 0));
    // A new line after the first, at the top level: the schema's keys not yet written are offered.
    await editorLine(page, "# yaml-language-server").click();
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("as");
    const completion = page.locator(".cm-tooltip-autocomplete");
    await completion.getByRole("option", { name: /^assessment/ }).waitFor();
    // estimated_minutes matches "as" too, but is written already, so it is not offered again.
    expect(await completion.getByRole("option", { name: /^estimated_minutes/ }).count()).toBe(0);
    // Narrowed as the author types, and taken with Enter.
    await page.keyboard.type("sess");
    expect(await completion.getByRole("option").count()).toBe(1);
    await page.keyboard.press("Enter");
    expect(await page.locator(".cm-activeLine").textContent()).toBe("assessment: ");
    await replaceText(page, original);
    await page.getByText("No problems found.").waitFor();
    await page.locator(".cm-scroller").evaluate((element) => element.scrollTo(0, 0));

    // Hovering a key shows its documentation, at the top level and inside a mapping.
    await editorLine(page, "summary:").hover({ position: { x: 20, y: 8 } });
    const hover = page.locator(".cm-tooltip-hover");
    await hover.getByText("One sentence for the library list.").waitFor();
    expect(await hover.textContent()).toContain("summary (required): string");
    await editorLine(page, "situation:").hover({ position: { x: 40, y: 8 } });
    await hover.getByText("What the learner knows before starting. Never the persona's hidden facts.").waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.mouse.move(0, 0);
  });

  it("lists warnings as warnings, without saying that there are no problems", async () => {
    await page.getByLabel("Path in the library").fill("launch-slip/launch-slip.scenario.yaml");
    await replaceText(page, original.replace("id: missed-deadline", "id: launch-slip"));
    const validation = page.locator(".validation");
    await validation.getByText("2 warnings (the file can still be published):").waitFor();
    expect(await validation.textContent()).not.toContain("No problems found.");
    expect(await validation.getByText("Warning", { exact: true }).count()).toBe(2);
    expect(await validation.textContent()).toContain("no strong example transcript");
    await validation.getByRole("button", { name: "Line 1, column 1" }).first().click();
    expect(await page.locator(".cm-lint-marker-warning").count()).toBe(1);
    expect(await page.locator(".cm-lint-marker-error").count()).toBe(0);
  });

  it("asks before unpublished edits are lost, in the app and when the tab leaves", async () => {
    // Opening another file over the edit asks first; the author stays with the edit.
    const dialog = page.getByRole("dialog", { name: "Discard your unpublished edits?" });
    await page.getByLabel("Open a file").selectOption("coaching-one-to-one/coaching-one-to-one.scenario.yaml");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await page.getByLabel("Path in the library").inputValue()).toBe("launch-slip/launch-slip.scenario.yaml");

    // So does a link in the app: the author can stay, and the edit is still there.
    await page.getByRole("link", { name: "History" }).click();
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(new URL(page.url()).pathname).toBe("/library");
    await editorLine(page, "id: launch-slip").waitFor();

    // Leaving Spar itself (another address typed, the tab reloaded): the browser's own prompt.
    // The prompt holds the page's script until answered, so it is answered from the listener.
    const prompted = new Promise<string>((resolve) => {
      page.once("dialog", async (dialog) => {
        resolve(dialog.type());
        await dialog.accept();
      });
    });
    await page.evaluate(() => {
      window.location.href = "/history";
    });
    expect(await prompted).toBe("beforeunload");
    await page.waitForURL(`${baseUrl}/history`);
  });

  it("discards edits when the author confirms leaving", async () => {
    await page.getByRole("link", { name: "Library" }).click();
    await page.getByLabel("Open a file").selectOption(scenarioPath);
    await page.getByText("No problems found.").waitFor();
    await replaceText(page, original.replace("estimated_minutes: 10", "estimated_minutes: 12"));
    await page.getByRole("link", { name: "History" }).click();
    const dialog = page.getByRole("dialog", { name: "Discard your unpublished edits?" });
    await dialog.getByRole("button", { name: "Discard edits" }).click();
    await page.waitForURL(`${baseUrl}/history`);
  });

  // Publishing validates the whole library again off the main thread: on a busy machine that takes a while.
  it("publishes a valid edit, and then lets the author leave without asking", { timeout: 60_000 }, async () => {
    await page.getByRole("link", { name: "Library" }).click();
    await page.getByLabel("Open a file").selectOption(scenarioPath);
    await page.getByText("No problems found.").waitFor();
    await replaceText(page, original.replace("title: The missed launch deadline", "title: The launch that slipped"));
    await page.getByRole("heading", { name: "The launch that slipped" }).waitFor();
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("Published: the library now uses this version.").waitFor({ timeout: 30_000 });
    // Published in the database, not written to the server's disk.
    expect(server.library.files.find((file) => file.path === scenarioPath)?.text).toContain("title: The launch that slipped");
    expect(await readFile(path.join(dir, scenarioPath), "utf8")).toBe(original);
    expect(server.library.library.scenarios.get("missed-deadline")?.value.title).toBe("The launch that slipped");

    // Nothing unpublished is left, so nothing holds the author back.
    await page.getByRole("button", { name: "Publish" }).waitFor({ state: "attached" });
    expect(await page.getByRole("button", { name: "Publish" }).isDisabled()).toBe(true);
    await page.getByRole("link", { name: "History" }).click();
    await page.waitForURL(`${baseUrl}/history`);
  });

  it("fits a phone's width: the editor scrolls sideways, the page does not", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await phone.goto(`${baseUrl}/sign-in`);
      await phone.getByRole("button", { name: /Alex Morgan/ }).click();
      await phone.getByRole("link", { name: "Library" }).click();
      await phone.getByLabel("Open a file").selectOption(scenarioPath);
      await phone.getByRole("heading", { name: "Preview" }).waitFor();
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      // Stacked: the preview comes below the editor.
      const editorBox = await phone.locator(".yaml-editor").boundingBox();
      const previewBox = await phone.getByRole("complementary").boundingBox();
      expect(previewBox && editorBox && previewBox.y >= editorBox.y + editorBox.height).toBe(true);
      expect(await accessibilityViolations(phone)).toEqual([]);
      await phone.screenshot({ path: "/tmp/library-editor-phone.png", fullPage: true });
    } finally {
      await phone.close();
    }
  });
});
