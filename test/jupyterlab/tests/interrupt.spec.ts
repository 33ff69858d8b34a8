// The toolbar's Interrupt and Restart buttons against tsloop: Interrupt stops a busy `while (true) {}` and a
// pending `await` that would never settle, and a later cell still sees variables from before; Restart (with
// JupyterLab's confirmation dialog) gives a fresh session with nothing declared.
import { describe, expect, it } from "vitest";
import { labMissing, useLab } from "./helpers/session.js";

describe.skipIf(labMissing("interrupt.spec.ts"))("JupyterLab: Interrupt and Restart from the toolbar", () => {
  const session = useLab("interrupt");

  it("Interrupt stops a busy loop and a pending await; the session keeps its variables", async () => {
    const { lab } = session();
    const nb = await lab.newNotebook();
    await nb.runAndWait(0, 'const kept = "still here";');

    // A busy loop (it says so first): the kernel shows Busy until the toolbar's Interrupt (■) stops it.
    await nb.run(1, 'let spins = 0;\nconsole.log("spinning");\nwhile (true) { spins++; }');
    await nb.waitForOutput(1, /spinning/);
    await nb.waitForKernel("Busy");
    expect(await nb.prompt(1)).toBe("[*]:");
    const started = Date.now();
    await nb.toolbar("notebook:interrupt-kernel");
    expect(await nb.waitExecuted(1, 10_000)).toBe("[2]:");
    const loopStoppedMs = Date.now() - started;
    const loopOutput = await nb.outputText(1);
    expect(loopOutput).toMatch(/interrupt/i);

    // A pending await on a timer a minute away (not a deadlock: the timer could still settle it).
    await nb.run(2, 'console.log("waiting");\nawait new Promise<void>((resolve) => setTimeout(resolve, 60_000));');
    await nb.waitForOutput(2, /waiting/);
    await nb.waitForKernel("Busy");
    await nb.toolbar("notebook:interrupt-kernel");
    expect(await nb.waitExecuted(2, 10_000)).toBe("[3]:");
    const awaitOutput = await nb.outputText(2);
    expect(awaitOutput).toMatch(/interrupt/i);
    expect(awaitOutput).not.toMatch(/deadlock/i);
    process.stdout.write(`interrupt.spec.ts: busy loop stopped ${loopStoppedMs} ms after the click\n--- loop:\n${loopOutput}\n--- await:\n${awaitOutput}\n`);

    expect(await nb.runAndWait(3, "kept")).toContain("'still here'");
    await nb.waitForKernel("Idle");
    await lab.screenshot("interrupt");
  });

  it("Restart gives a fresh session", async () => {
    const { lab } = session();
    const nb = await lab.newNotebook();
    expect(await nb.runAndWait(0, "const before = 1;\n(globalThis as { marker?: number }).marker = 42;\nbefore + 41")).toContain("42");
    await nb.restart();
    // The prompt numbers start again at 1 and nothing from before the restart exists.
    const out = await nb.runAndWait(1, "// @ts-nocheck\n[typeof before, typeof (globalThis as any).marker]");
    expect(await nb.prompt(1)).toBe("[1]:");
    expect(out).toContain("[ 'undefined', 'undefined' ]");
    await lab.screenshot("restart");
  });
});
