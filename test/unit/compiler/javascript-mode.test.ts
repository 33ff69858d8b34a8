// compileCell in JavaScript mode (the tsloop-js kernel): plain JavaScript compiles to the same cell script as in
// TypeScript mode; TypeScript-only syntax is a syntax error with TypeScript's own JS-file code; require() stays a
// call (the runtime's global require) and static imports still go through __tsloop.import.
import { describe, expect, it } from "vitest";
import { compileCell } from "../../../src/compiler/cell-compiler.js";

const js = (code: string) => compileCell(code, "/notebook/tsloop-cell-1.js", { javascript: true });

describe("compileCell: JavaScript mode", () => {
  it.each([
    ["const a = 1; let b = 2; function f() { return a + b; }\nf()", ["a", "b", "f"]],
    ['const fs = require("node:fs");\nimport * as path from "node:path";\npath.join("a")', ["fs", "path"]],
    ["class K { #x = 1; get x() { return this.#x; } }\nawait Promise.resolve(new K().x)", ["K"]],
  ])("compiles %j declaring %j, with the same script as TypeScript mode", (code, declared) => {
    const compiled = js(code);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    expect(compiled.cell.plan.declared).toEqual(declared);
    expect(compiled.cell.plan.hasResult).toBe(true);
    const asTs = compileCell(code, "/notebook/tsloop-cell-1.ts");
    expect(asTs.ok && asTs.cell.js).toBe(compiled.cell.js);
  });

  it("keeps require() a plain call and loads static imports through the runtime", () => {
    const compiled = js('const tslab = require("tslab");\nimport { join } from "node:path";');
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    expect(compiled.cell.js).toContain('tslab = require("tslab")');
    expect(compiled.cell.js).toContain('__tsloop.import("node:path"');
  });

  it.each([
    ["const n: number = 1", 8010, /Type annotations can only be used in TypeScript files/],
    ["interface A { x: number }", 8006, /'interface' declarations can only be used in TypeScript files/],
    ["enum E { A }", 8006, /'enum' declarations/],
    ["const v = 1 as any", 8016, /Type assertion expressions can only be used in TypeScript files/],
  ])("rejects TypeScript-only syntax: %j", (code, code_, message) => {
    const compiled = js(code);
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.diagnostics[0]).toMatchObject({ code: code_, line: 1 });
    expect(compiled.diagnostics[0]?.message).toMatch(message);
  });
});
