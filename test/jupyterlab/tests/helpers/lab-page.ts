// Drives the test JupyterLab the way a person does: the launcher's cards, the file browser, the notebook's
// editor (click, type, Shift+Enter), its toolbar and dialogs; reads only what the page shows (prompts, outputs,
// the kernel status). Page expressions are strings: the tests are type-checked without the DOM library.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { ARTIFACTS } from "./paths.js";
import type { LabServer } from "./lab-server.js";

export const TSLOOP = "TypeScript (tsloop)";
export const IPYKERNEL = "Python 3 (ipykernel)";

/** Console messages that are JupyterLab's own noise, not failures (checked in `unexpectedErrors`). */
const BENIGN = [
  /Failed to load resource: the server responded with a status of 404 .*/, // api/resolvePath on jupyter_server 1.x
  /Download the React DevTools/,
];

export class Lab {
  /** Uncaught page errors and console errors/warnings, in order, for the failure message. */
  readonly problems: string[] = [];

  private constructor(
    readonly page: Page,
    readonly server: LabServer,
  ) {
    page.on("pageerror", (err) => this.problems.push(`uncaught: ${err.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") this.problems.push(`console.error: ${m.text()}`);
    });
  }

  /** Opens JupyterLab in a new page and waits until the layout is restored and the launcher shows. */
  static async open(browser: Browser, server: LabServer): Promise<Lab> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const lab = new Lab(page, server);
    await page.goto(server.labUrl);
    await page.waitForFunction("window.jupyterappReady !== undefined", undefined, { timeout: 30_000 });
    await page.evaluate("window.jupyterappReady");
    return lab;
  }

  /** Errors the page reported, except JupyterLab's known noise. */
  unexpectedErrors(): string[] {
    return this.problems.filter((p) => !BENIGN.some((re) => re.test(p)));
  }

  /** A launcher card in a section ("Notebook", "Console") for a kernel's display name. */
  launcherCard(section: "Notebook" | "Console", kernel: string): Locator {
    return this.page.locator(".jp-Launcher-section").filter({ hasText: section }).locator(`.jp-LauncherCard[title="${kernel}"]`);
  }

  /** Shows a launcher: the one JupyterLab opens in an empty main area, else a new one from the file browser's "+". */
  async showLauncher(): Promise<void> {
    const launcher = this.page.locator(".jp-Launcher").filter({ visible: true }).first();
    const shown = await launcher.waitFor({ timeout: 3_000 }).then(
      () => true,
      () => false,
    );
    if (!shown) {
      await this.page.locator('.jp-FileBrowser [data-command="launcher:create"]').click();
      await launcher.waitFor({ timeout: 10_000 });
    }
  }

  /** Clicks the kernel's Notebook card in the launcher; returns the new notebook once its kernel is idle. */
  async newNotebook(kernel = TSLOOP): Promise<Notebook> {
    await this.showLauncher();
    await this.launcherCard("Notebook", kernel).click();
    const notebook = new Notebook(this, this.currentPanel(), kernel);
    await notebook.cell(0).locator(".cm-content").waitFor({ timeout: 20_000 });
    await notebook.waitForKernel("Idle");
    return notebook;
  }

  /** Opens a file by double-clicking it in the file browser (after a refresh, as a person would). */
  async openFromFileBrowser(name: string, kernel = TSLOOP): Promise<Notebook> {
    await this.page.locator('.jp-FileBrowser [data-command="filebrowser:refresh"]').click();
    await this.page.locator(`.jp-DirListing-item[title^="Name: ${name}"]`).dblclick();
    await this.page.locator(".jp-NotebookPanel").filter({ visible: true }).locator(".jp-Cell").first().waitFor({ timeout: 20_000 });
    return new Notebook(this, this.currentPanel(), kernel);
  }

  /** The notebook panel showing in the main area. */
  currentPanel(): Locator {
    return this.page.locator(".jp-NotebookPanel").filter({ visible: true });
  }

  /** Saves a full-page screenshot to test-artifacts/jupyterlab/NAME.png and prints where. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path });
    process.stdout.write(`screenshot: ${path}\n`);
    return path;
  }

  /**
   * Saves a screenshot of an element (a notebook panel) to test-artifacts/jupyterlab/NAME.png, cut off below
   * `until` (a cell) so that the picture has no empty page under it.
   */
  async screenshotOf(target: Locator, name: string, until?: Locator): Promise<string> {
    const box = await target.boundingBox();
    const end = until ? await until.boundingBox() : box;
    if (!box || !end) throw new Error(`nothing to take a picture of for ${name}`);
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${name}.png`);
    const height = Math.min(box.height, end.y + end.height + 12 - box.y);
    await this.page.screenshot({ path, clip: { x: box.x, y: box.y, width: box.width, height } });
    process.stdout.write(`screenshot: ${path}\n`);
    return path;
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

/** One open notebook: its cells, outputs, kernel status and toolbar. */
export class Notebook {
  constructor(
    readonly lab: Lab,
    readonly panel: Locator,
    /** The kernel's display name, as the toolbar and the status bar show it. */
    readonly kernel: string,
  ) {}

  get page(): Page {
    return this.lab.page;
  }

  cell(index: number): Locator {
    return this.panel.locator(".jp-Notebook .jp-Cell").nth(index);
  }

  /** The text of a cell's input prompt: "[ ]:", "[*]:" while it runs, "[3]:" once it ran. */
  async prompt(index: number): Promise<string> {
    return ((await this.cell(index).locator(".jp-InputArea-prompt").textContent()) ?? "").replace(/\s+/g, "");
  }

  /** Everything a cell's output area shows, as text. */
  async outputText(index: number): Promise<string> {
    const area = this.cell(index).locator(".jp-Cell-outputArea");
    return (await area.count()) === 0 ? "" : ((await area.textContent()) ?? "");
  }

  outputs(index: number): Locator {
    return this.cell(index).locator(".jp-OutputArea-output");
  }

  /**
   * Waits for the kernel status this notebook shows: its toolbar names the kernel (not "No Kernel") and its
   * execution indicator, like the status bar ("TypeScript (tsloop) | Idle"), shows the status.
   */
  async waitForKernel(status: "Idle" | "Busy", timeout = 30_000): Promise<void> {
    await this.panel.locator(".jp-Toolbar .jp-KernelName").filter({ hasText: this.kernel }).waitFor({ timeout });
    await this.panel.locator(`.jp-Notebook-ExecutionIndicator[data-status="${status.toLowerCase()}"]`).waitFor({ state: "attached", timeout });
    const statusBar = new RegExp(`^${this.kernel.replace(/[()]/g, "\\$&")} \\| ${status}$`);
    await this.page.locator(".jp-StatusBar-TextItem").filter({ hasText: statusBar }).waitFor({ timeout });
  }

  /** Clicks into a cell's editor and types code (multi-line code is inserted as typed text, without auto-indent). */
  async type(index: number, code: string): Promise<void> {
    await this.cell(index).locator(".cm-content").click();
    if (code.includes("\n")) await this.page.keyboard.insertText(code);
    else await this.page.keyboard.type(code);
  }

  /** Types code into a cell and presses Shift+Enter (which runs it and moves to the next cell, adding one). */
  async run(index: number, code: string): Promise<void> {
    await this.type(index, code);
    await this.page.keyboard.press("Shift+Enter");
  }

  /** Waits until a cell's prompt shows an execution count (it ran and finished). */
  async waitExecuted(index: number, timeout = 30_000): Promise<string> {
    const prompt = this.cell(index).locator(".jp-InputArea-prompt");
    try {
      await prompt.filter({ hasText: /^\s*\[\d+\]:\s*$/ }).waitFor({ timeout });
    } catch (err) {
      const shown = `prompt ${await this.prompt(index).catch(() => "?")}, output ${JSON.stringify((await this.outputText(index).catch(() => "")).slice(0, 500))}`;
      throw new Error(`cell ${index} did not finish within ${timeout} ms (${shown}); server log tail:\n${this.lab.server.log.slice(-2000)}`, { cause: err });
    }
    return this.prompt(index);
  }

  /** Types, runs, and waits until the cell finished; returns its output text. */
  async runAndWait(index: number, code: string, timeout = 30_000): Promise<string> {
    await this.run(index, code);
    await this.waitExecuted(index, timeout);
    return this.outputText(index);
  }

  /** Waits until a cell's output text satisfies a predicate (output that arrives while or after it ran). */
  async waitForOutput(index: number, predicate: RegExp, timeout = 20_000): Promise<string> {
    await this.cell(index).locator(".jp-Cell-outputArea").filter({ hasText: predicate }).waitFor({ timeout });
    return this.outputText(index);
  }

  /** Clicks a button of the notebook's toolbar by its command id (e.g. "notebook:interrupt-kernel"). */
  async toolbar(command: string): Promise<void> {
    await this.panel.locator(`.jp-Toolbar [data-command="${command}"]`).click();
  }

  /** Toolbar "Restart the kernel", then the dialog's "Restart"; waits for the kernel to be idle again. */
  async restart(): Promise<void> {
    await this.toolbar("notebook:restart-kernel");
    await this.page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click();
    await this.page.locator(".jp-Dialog").waitFor({ state: "detached" });
    await this.waitForKernel("Idle");
  }

  /**
   * The toolbar's Save button. The first save of an "Untitled" notebook asks for a name: type `name` (without
   * ".ipynb") and "Rename and Save". Waits until the tab no longer shows unsaved changes.
   */
  async save(name?: string): Promise<void> {
    await this.toolbar("docmanager:save");
    const dialog = this.page.locator(".jp-Dialog").filter({ hasText: "Rename file" });
    const clean = this.page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty").waitFor({ state: "detached", timeout: 10_000 });
    const asked = await Promise.race([dialog.waitFor({ timeout: 10_000 }).then(() => true), clean.then(() => false)]);
    if (asked) {
      if (name === undefined) throw new Error("JupyterLab asks for a file name on the first save: pass one to save()");
      await dialog.locator('input[type="text"]').fill(`${name}.ipynb`);
      await dialog.locator(".jp-Dialog-button.jp-mod-accept").click();
      await this.page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty").waitFor({ state: "detached", timeout: 10_000 });
    }
  }

  /** Closes the notebook's tab (its kernel keeps running, as in JupyterLab). */
  async close(): Promise<void> {
    await this.page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current .lm-TabBar-tabCloseIcon").click();
    await this.panel.waitFor({ state: "detached", timeout: 10_000 }).catch(() => this.panel.waitFor({ state: "hidden" }));
  }
}
