// 100,000 lines of console.log in one cell: the page stays responsive (typing into the next cell echoes at once,
// frames keep coming), and the output shows every line — or JupyterLab's own notice that it trimmed the output.
import { describe, expect, it } from "vitest";
import { labMissing, useLab } from "./helpers/session.js";

const LINES = 100_000;
const CELL = `for (let i = 0; i < ${LINES}; i++) console.log(\`line \${i}\`);`;

/** Milliseconds until the page paints its next two frames (a stalled main thread paints none). */
const FRAME_LATENCY = `new Promise((resolve) => {
  const t0 = performance.now();
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
})`;

describe.skipIf(labMissing("flood.spec.ts"))("JupyterLab: a flood of output", () => {
  const session = useLab("flood");

  it(`shows ${LINES.toLocaleString("en")} console.log lines (or JupyterLab's trimming notice) and stays responsive`, { timeout: 120_000 }, async () => {
    const { lab } = session();
    const page = lab.page;
    const nb = await lab.newNotebook();
    const started = Date.now();
    await nb.run(0, CELL);

    // While the lines arrive: frames keep coming.
    const during: number[] = [];
    while ((await nb.prompt(0)) !== "[1]:" && Date.now() - started < 90_000) {
      during.push((await page.evaluate(FRAME_LATENCY)) as number);
      await page.waitForTimeout(200);
    }
    expect(await nb.waitExecuted(0, 90_000)).toBe("[1]:");
    const finishedMs = Date.now() - started;
    await nb.waitForKernel("Idle");

    // Every line, in order, or JupyterLab's notice that it shows only part of the output.
    const text = await nb.outputText(0);
    const shown = text.match(/^line \d+$/gm)?.length ?? 0;
    const trimmed = /(output|lines?) (was|were|has been|have been)? ?(trimmed|truncated|hidden)|show more|Show more outputs/i.test(text);
    process.stdout.write(`flood.spec.ts: ${LINES} lines done after ${finishedMs} ms; the page shows ${shown} lines${trimmed ? " and a trimming notice" : ""}; worst frame latency while running ${Math.round(Math.max(0, ...during))} ms over ${during.length} samples\n`);
    if (!trimmed) {
      expect(shown).toBe(LINES);
      expect(text).toContain(`line ${LINES - 1}`);
    }
    expect(text).toContain("line 0");
    // The page may stutter while it renders, but it never freezes.
    expect(Math.max(0, ...during)).toBeLessThan(5_000);

    // Afterwards: typing into the next cell shows up at once.
    const typed = Date.now();
    await nb.type(1, "const afterFlood = 1;");
    await nb.cell(1).locator(".cm-content").filter({ hasText: "const afterFlood = 1;" }).waitFor({ timeout: 5_000 });
    const echoMs = Date.now() - typed;
    const frameAfter = (await page.evaluate(FRAME_LATENCY)) as number;
    process.stdout.write(`flood.spec.ts: typing echoed after ${echoMs} ms; frame latency after ${Math.round(frameAfter)} ms\n`);
    expect(echoMs).toBeLessThan(5_000);
    expect(frameAfter).toBeLessThan(1_000);
    await lab.screenshot("flood");
  });
});
