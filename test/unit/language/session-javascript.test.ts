// The language service of a tsloop-js session: JavaScript cells, where types come from inference and JSDoc.
// Completion and inspection see earlier cells' declarations, `require("tslab")` and `require("node:…")` are typed,
// and only a `// @ts-check` cell is checked (the kernel asks for a check only then, from the cell's plan:
// checksTypes in src/session/plan.ts).
import { describe, expect, it } from "vitest";
import { SessionLanguageService } from "../../../src/language/session-service.js";
import { CELL_API_DTS } from "../../../src/runtime/api-types.js";
import { TSLAB_DTS } from "../../../src/runtime/compat/types.js";
import { SESSION_TIMEOUT, atCursor, notebookDir } from "./helpers.js";

const jsSession = () => new SessionLanguageService({ cwd: notebookDir(), extraGlobals: CELL_API_DTS, fallbackModules: { tslab: TSLAB_DTS }, javascript: true });

function commit(s: SessionLanguageService, ...cells: string[]): void {
  cells.forEach((code, i) => s.commit(code, i));
}
const matchesAt = (s: SessionLanguageService, marked: string) => {
  const { code, cursor } = atCursor(marked);
  return s.complete(code, cursor).matches;
};
const errors = (s: SessionLanguageService, code: string) => s.check(code, "c").filter((d) => d.category === "error").map((d) => d.message);

describe("a JavaScript session's language service", () => {
  it("completes names of earlier cells, with types inferred and read from JSDoc", { timeout: SESSION_TIMEOUT }, () => {
    const s = jsSession();
    commit(s, "const point = { x: 1, label: 'p' };", "/** @param {number} n @returns {{ squared: number }} */\nfunction square(n) { return { squared: n * n }; }");
    expect(matchesAt(s, "point.|")).toEqual(expect.arrayContaining(["x", "label"]));
    expect(matchesAt(s, "square(2).|")).toContain("squared");
    expect(matchesAt(s, "squ|")).toContain("square");
    const { code, cursor } = atCursor("squ|are(3)");
    const inspected = s.inspect(code, cursor, 0);
    expect(inspected.found).toBe(true);
    expect(JSON.stringify(inspected.data)).toMatch(/square\(n: number\)/);
  });

  it("types require() of tslab and of Node's modules, as TypeScript does in a .js file", { timeout: SESSION_TIMEOUT }, () => {
    const s = jsSession();
    commit(s, 'const tslab = require("tslab");\nconst fs = require("node:fs");');
    expect(matchesAt(s, "tslab.display.|")).toEqual(expect.arrayContaining(["html", "png", "raw"]));
    expect(matchesAt(s, "fs.readF|")).toContain("readFileSync");
  });

  it("reports type errors of a // @ts-check cell, and none in a plain JavaScript cell", { timeout: SESSION_TIMEOUT }, () => {
    const s = jsSession();
    expect(errors(s, "// @ts-check\nconst m = 'text';\nm.toFixed(2);")).toEqual([expect.stringMatching(/Property 'toFixed' does not exist/)]);
    expect(errors(s, "const m = 'text';\nm.toFixed(2);")).toEqual([]);
  });
});
