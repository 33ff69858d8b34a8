// The first minute of a person's session: the launcher offers "TypeScript (tsloop)" with its logo, a click opens a
// notebook whose kernel starts and goes idle, the editor highlights TypeScript (a TypeScript-only keyword gets
// the theme's keyword colour), a first cell runs; and the TypeScript console from the launcher runs code too.
import { describe, expect, it } from "vitest";
import { TSLOOP } from "./helpers/lab-page.js";
import { labMissing, useLab } from "./helpers/session.js";

interface Highlight {
  language: string | null;
  classes: string;
  color: string;
  keywordColor: string;
  plainColor: string;
}

/** The editor's language, and the class and colour of the token "interface" against the theme's keyword colour. */
const HIGHLIGHT = `(() => {
  const panel = [...document.querySelectorAll(".jp-NotebookPanel")].find((p) => p.offsetParent !== null);
  const content = panel.querySelector(".jp-Cell .cm-content");
  const token = [...content.querySelectorAll(".cm-line span")].find((s) => s.textContent === "interface");
  const probe = document.createElement("span");
  probe.style.color = "var(--jp-mirror-editor-keyword-color)";
  content.appendChild(probe);
  const keywordColor = getComputedStyle(probe).color;
  probe.remove();
  return {
    language: content.getAttribute("data-language"),
    classes: token ? token.className : "",
    color: token ? getComputedStyle(token).color : "",
    keywordColor,
    plainColor: getComputedStyle(content).color,
  };
})()`;

describe.skipIf(labMissing("launcher.spec.ts"))("JupyterLab: launcher, kernel start, TypeScript editor", () => {
  const session = useLab("launcher");

  it("shows the TypeScript (tsloop) card with the tsloop logo in the Notebook and Console sections", async () => {
    const { lab } = session();
    await lab.showLauncher();
    for (const section of ["Notebook", "Console"] as const) {
      const card = lab.launcherCard(section, TSLOOP);
      await card.waitFor({ timeout: 10_000 });
      expect(await card.textContent()).toContain(TSLOOP);
      const logo = card.locator("img");
      expect(await logo.getAttribute("src")).toMatch(/\/kernelspecs\/tsloop\/logo-(svg\.svg|64x64\.png)$/);
      // The image loaded (a broken image has no natural size).
      await expect.poll(() => logo.evaluate((img: unknown) => (img as { complete: boolean; naturalWidth: number }).naturalWidth > 0)).toBe(true);
    }
    await lab.screenshot("launcher");
  });

  it("opens a notebook whose kernel reaches idle, highlights TypeScript, and runs a cell", async () => {
    const { lab, server } = session();
    const started = Date.now();
    const nb = await lab.newNotebook();
    const idleAfterMs = Date.now() - started;
    process.stdout.write(`launcher.spec.ts: notebook open with an idle tsloop kernel ${idleAfterMs} ms after the click\n`);
    expect(await nb.panel.locator(".jp-Toolbar .jp-KernelName").textContent()).toBe(TSLOOP);
    expect((await server.runningKernels()).map((k) => k.name)).toContain("tsloop");

    await nb.type(0, "interface Point { x: number }\nconst p: Point = { x: 40 };\np.x + 2");
    const highlight = (await lab.page.evaluate(HIGHLIGHT)) as Highlight;
    expect(highlight.language).toBe("typescript");
    // "interface" is a keyword only in TypeScript: its token has a highlight class and the keyword colour.
    expect(highlight.classes).not.toBe("");
    expect(highlight.color).toBe(highlight.keywordColor);
    expect(highlight.color).not.toBe(highlight.plainColor);

    const run = Date.now();
    await lab.page.keyboard.press("Shift+Enter");
    expect(await nb.waitExecuted(0)).toBe("[1]:");
    process.stdout.write(`launcher.spec.ts: the first cell (type-checked) finished ${Date.now() - run} ms after Shift+Enter\n`);
    expect(await nb.outputText(0)).toContain("42");
    await nb.waitForKernel("Idle");
    await lab.screenshot("notebook-first-cell");
  });

  it("opens a TypeScript console from the launcher that runs code", async () => {
    const { lab } = session();
    await lab.showLauncher();
    await lab.launcherCard("Console", TSLOOP).click();
    const consolePanel = lab.page.locator(".jp-CodeConsole").filter({ visible: true });
    const prompt = consolePanel.locator(".jp-CodeConsole-promptCell .cm-content");
    await prompt.waitFor({ timeout: 20_000 });
    await lab.page.locator(".jp-StatusBar-TextItem").filter({ hasText: /\| Idle$/ }).waitFor({ timeout: 30_000 });
    await prompt.click();
    await lab.page.keyboard.type("const greeting: string = `hello from ${typeof process}`; greeting");
    await lab.page.keyboard.press("Shift+Enter");
    await consolePanel.locator(".jp-CodeConsole-content .jp-OutputArea-output").filter({ hasText: "hello from object" }).waitFor({ timeout: 20_000 });
    await lab.screenshot("console");
    // Every plugin activated and nothing threw: JupyterLab logs a failed activation as a console error.
    expect(lab.unexpectedErrors()).toEqual([]);
  });
});
