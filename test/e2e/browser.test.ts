// tsloop in a real browser: Debian's headless Chromium (playwright-core) opens a notebook in Debian's classic
// Notebook 6 server, runs all cells, and the DOM shows each output in its own cell: the late output of a timer
// that cell 1 started shows under cell 1 while cell 2 is still running, and display(html(...)) renders as HTML.
// A screenshot goes to test-artifacts/browser-classic-notebook.png.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/kernel-client.js";
import { CHROMIUM, launchChromium } from "../helpers/browser.js";
import { JupyterEnv, executable, npmPackage, pythonModule, shouldSkip } from "../helpers/jupyter-env.js";
import { JupyterServer } from "../helpers/jupyter-server.js";
import { TIMELINE_GALLERY } from "../helpers/timeline-gallery.js";

const skip = shouldSkip("browser.test.ts", [pythonModule("notebook", "python3-notebook"), executable(CHROMIUM, "chromium"), npmPackage("playwright-core")]);

const SCREENSHOT = join(REPO_ROOT, "test-artifacts", "browser-classic-notebook.png");

const CELLS = [
  'setTimeout(() => console.log("late output from cell 1"), 1500);\n"cell 1 done"',
  'await sleep(3000);\n"cell 2 done"',
  "display(html(\"<b id='x'>rich</b>\"));",
  'console.log("printed by cell 4");\n6 * 7',
];

function notebook(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 4,
    metadata: { kernelspec: { name: "tsloop", display_name: "TypeScript (tsloop)", language: "typescript" }, language_info: { name: "typescript" } },
    cells: cells.map((source) => ({ cell_type: "code", metadata: {}, source, execution_count: null, outputs: [] })),
  });
}

interface CellView {
  prompt: string;
  text: string;
}

// Expressions evaluated in the page (strings: the tests are type-checked without the DOM library).
const KERNEL_IDLE = 'document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null';
const OUTPUT_OF = (i: number) => `(document.querySelectorAll("#notebook-container .code_cell .output_wrapper")[${i}]?.textContent ?? "")`;
const PROMPTS = '[...document.querySelectorAll("#notebook-container .code_cell .input_prompt")].map((p) => p.textContent.replace(/\\s+/g, ""))';

/** Each code cell's input prompt ("In [2]:", "In [*]:") and output text, as the page shows them now. */
function cells(page: Page): Promise<CellView[]> {
  return page.evaluate(`[...document.querySelectorAll("#notebook-container .code_cell")].map((node) => ({
    prompt: (node.querySelector(".input_prompt")?.textContent ?? "").replace(/\\s+/g, ""),
    text: node.querySelector(".output_wrapper")?.textContent ?? "",
  }))`);
}

describe.skipIf(skip)("tsloop in classic Notebook 6, in headless Chromium", () => {
  let jupyter: JupyterEnv;
  let server: JupyterServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    jupyter = JupyterEnv.create("browser");
    writeFileSync(join(jupyter.work, "tsloop-browser.ipynb"), notebook(CELLS));
    writeFileSync(join(jupyter.work, "timelines.ipynb"), notebook(TIMELINE_GALLERY.map((c) => c.code)));
    server = await JupyterServer.start({ kind: "notebook", jupyter });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    page.on("pageerror", (err) => consoleErrors.push(`uncaught: ${err.message}`));
    page.on("console", (m) => {
      // Failed loads are reported with their URL below.
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) consoleErrors.push(m.text());
    });
    page.on("response", (r) => {
      if (r.status() >= 400) consoleErrors.push(`HTTP ${r.status()} ${r.url()}`);
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    jupyter?.dispose();
  });

  it("runs all cells; late output lands under cell 1 while cell 2 runs; rich HTML renders", { timeout: 60_000 }, async () => {
    await page.goto(`${server.baseUrl}notebooks/tsloop-browser.ipynb?token=${server.token}`);
    // The kernel is started, connected and idle (the page's own kernel indicator says so).
    await page.waitForFunction(`${KERNEL_IDLE} && Jupyter.notebook.kernel.is_connected()`, undefined, { timeout: 30_000 });
    expect(await page.textContent(".kernel_indicator_name")).toContain("TypeScript (tsloop)");

    await page.evaluate("Jupyter.notebook.execute_all_cells()");

    // The late output appears under cell 1 while cell 2 is still running (its prompt is "In [*]:").
    await page.waitForFunction(`${OUTPUT_OF(0)}.includes("late output from cell 1")`, undefined, { timeout: 20_000 });
    const during = await cells(page);
    expect(during[0]?.text).toContain("late output from cell 1");
    expect(during[1]?.prompt).toBe("In[*]:");
    expect(during[1]?.text).not.toContain("cell 2 done");

    // Every cell finished: numbered prompts, the kernel idle again.
    await page.waitForFunction(`${PROMPTS}.join(" ") === "In[1]: In[2]: In[3]: In[4]:" && ${KERNEL_IDLE}`, undefined, { timeout: 30_000 });
    // The prompt can be numbered a moment before the last cell's output is in the DOM.
    await page.waitForFunction(`${OUTPUT_OF(3)}.includes("printed by cell 4")`, undefined, { timeout: 10_000 });
    const after = await cells(page);
    expect(after.map((c) => c.prompt)).toEqual(["In[1]:", "In[2]:", "In[3]:", "In[4]:"]);
    expect(after[0]?.text).toContain("'cell 1 done'");
    expect(after[0]?.text).toContain("late output from cell 1");
    expect(after[1]?.text).toContain("'cell 2 done'");
    expect(after[1]?.text).not.toContain("late output");
    expect(after[2]?.text).toContain("rich");
    expect(after[3]?.text).toContain("printed by cell 4");
    expect(after[3]?.text).toContain("42");
    for (const cell of after) expect(cell.text).not.toMatch(/Error|error TS/);

    // display(html(...)) rendered as HTML inside cell 3's output, not as text.
    const rich = page.locator("#notebook-container .code_cell").nth(2).locator(".output_html b#x");
    expect(await rich.count()).toBe(1);
    expect(await rich.textContent()).toBe("rich");
    expect(await page.locator("#notebook-container .code_cell").nth(0).locator(".output_html b#x").count()).toBe(0);

    mkdirSync(join(REPO_ROOT, "test-artifacts"), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    process.stdout.write(`browser.test.ts: screenshot at ${SCREENSHOT}\n`);
    // Debian's notebook enables a widgets nbextension it does not ship; that load error is not ours.
    expect(consoleErrors.filter((e) => !/nbextensions\/|favicon/.test(e))).toEqual([]);
  });

  it("draws the five teaching timelines, each saved as a screenshot", { timeout: 90_000 }, async () => {
    await page.goto(`${server.baseUrl}notebooks/timelines.ipynb?token=${server.token}`);
    await page.waitForFunction(`${KERNEL_IDLE} && Jupyter.notebook.kernel.is_connected()`, undefined, { timeout: 30_000 });
    await page.evaluate("Jupyter.notebook.execute_all_cells()");
    const numbered = TIMELINE_GALLERY.map((_, i) => `In[${i + 1}]:`).join(" ");
    await page.waitForFunction(`${PROMPTS}.join(" ") === ${JSON.stringify(numbered)} && ${KERNEL_IDLE}`, undefined, { timeout: 60_000 });
    mkdirSync(join(REPO_ROOT, "test-artifacts"), { recursive: true });
    for (const [i, cell] of TIMELINE_GALLERY.entries()) {
      const view = page.locator("#notebook-container .code_cell").nth(i).locator(".output_html").filter({ hasText: "async timeline" });
      // The final drawing: nothing pending any more (the same output is updated in place until then).
      await view.filter({ hasText: /0 pending/ }).waitFor({ timeout: 30_000 });
      expect(await view.textContent()).toMatch(cell.shows);
      const path = join(REPO_ROOT, "test-artifacts", `classic-timeline-${cell.name}.png`);
      await view.screenshot({ path });
      process.stdout.write(`browser.test.ts: screenshot at ${path}\n`);
    }
  });
});
