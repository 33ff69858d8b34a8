// One event loop across cells, seen in JupyterLab: a cell with top-level `await` runs and shows its result, and
// output from a timer that cell 1 started lands under cell 1 while cell 2 is still running — not under cell 2,
// which is where a kernel that parents late output to "the current request" would put it.
import { describe, expect, it } from "vitest";
import { labMissing, useLab } from "./helpers/session.js";

const CELL_1 = `const answer = await new Promise<number>((resolve) => setTimeout(() => resolve(41), 200));
setTimeout(() => console.log("late output from cell 1"), 1500);
answer + 1`;
const CELL_2 = `await sleep(4000);
"cell 2 done"`;

describe.skipIf(labMissing("async.spec.ts"))("JupyterLab: top-level await and late output", () => {
  const session = useLab("async");

  it("runs top-level await; a timer's late output appears under cell 1 while cell 2 runs", async () => {
    const { lab } = session();
    const nb = await lab.newNotebook();
    await nb.run(0, CELL_1);
    await nb.run(1, CELL_2);

    // Cell 1 finished with the awaited value; then its timer prints under it while cell 2 is busy.
    expect(await nb.waitExecuted(0)).toBe("[1]:");
    expect(await nb.outputText(0)).toContain("42");
    await nb.waitForOutput(0, /late output from cell 1/);
    expect(await nb.prompt(1)).toBe("[*]:");
    expect(await nb.outputText(1)).not.toContain("late output");
    await lab.screenshot("late-output-during-cell-2");

    expect(await nb.waitExecuted(1)).toBe("[2]:");
    expect(await nb.outputText(1)).toContain("cell 2 done");
    expect(await nb.outputText(1)).not.toContain("late output");
    expect((await nb.outputText(0)).match(/late output from cell 1/g)).toHaveLength(1);
  });
});
