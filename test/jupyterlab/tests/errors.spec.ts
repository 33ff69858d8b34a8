// Errors as a person reads them in JupyterLab: a type error and a runtime error both point at the TypeScript
// line of the cell (not the compiled JavaScript), and a failed cell leaves the session usable.
import { describe, expect, it } from "vitest";
import { labMissing, useLab } from "./helpers/session.js";

const TYPE_ERROR = `const fine = 1;
const n: number = "text";`;
const RUNTIME_ERROR = `function fail(x: number): never {
  // a comment, so that the compiled JavaScript's lines differ from the cell's
  throw new Error("boom on line 3");
}
const value: number = 2;
fail(value);`;

describe.skipIf(labMissing("errors.spec.ts"))("JupyterLab: type and runtime errors", () => {
  const session = useLab("errors");

  it("shows a type error with the cell's line and a caret, and does not run the cell", async () => {
    const { lab } = session();
    const nb = await lab.newNotebook();
    await nb.run(0, TYPE_ERROR);
    expect(await nb.waitExecuted(0)).toBe("[1]:");
    const text = await nb.outputText(0);
    expect(text).toMatch(/error TS2322: Type 'string' is not assignable to type 'number'/);
    expect(text).toMatch(/Cell In\[1\], line 2/);
    expect(text).toMatch(/--> 2 const n: number = "text";/);
    // Shown as an error output (JupyterLab colours it), not as plain stdout.
    expect(await nb.outputs(0).first().getAttribute("data-mime-type")).toBe("application/vnd.jupyter.stderr");

    await nb.run(1, RUNTIME_ERROR);
    expect(await nb.waitExecuted(1)).toBe("[2]:");
    const runtime = await nb.outputText(1);
    expect(runtime).toMatch(/Error: boom on line 3/);
    expect(runtime).toMatch(/at fail \(Cell In\[2\], line 3:\d+\)/);
    expect(runtime).toMatch(/at Cell In\[2\], line 6:\d+/);
    expect(runtime).toMatch(/--> 3 {3}throw new Error\("boom on line 3"\);/);

    // The cell with the type error did not run, so `fine` was never declared (checked past the type checker,
    // which knows that too); the session goes on.
    expect(await nb.runAndWait(2, "// @ts-nocheck\ntypeof fine")).toContain("'undefined'");
    await lab.screenshot("errors");
  });
});
