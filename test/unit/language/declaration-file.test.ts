// A committed cell's declaration file as the session moves on: the cell's latest names inside `declare global`,
// re-declared ones at module level and exported, imports re-declared as global aliases, and `globalThis.X`
// pinned to the cell that declared the hidden X.
import { describe, expect, it } from "vitest";
import { readCellShape } from "../../../src/language/cell-shape.js";
import { parseDeclarations, renderDeclarations } from "../../../src/language/declaration-file.js";

const CELL = 'import { join } from "node:path";\n/** Doc. */\nfunction f(): P { return { a: 1 }; }\ninterface P { a: number }\nlet n = 1, m = "";';
const DTS = [
  'import { join } from "node:path";',
  "/** Doc. */",
  "declare function f(): P;",
  "interface P {",
  "    a: number;",
  "}",
  'declare let n: number, m: string;',
  "export { join, f, P, n, m };",
  "",
].join("\n");

const model = () => parseDeclarations(DTS, readCellShape(CELL, "/nb/cell.mts").names, new Map());

describe("declaration file", () => {
  it("puts every name inside declare global while the cell declared it last", () => {
    expect(renderDeclarations(model(), new Set(["join", "f", "P", "n", "m"]), new Map())).toBe(
      [
        'import { join } from "node:path";',
        'import * as __tsloop_ns_0 from "node:path";',
        "declare global {",
        "  export import join = __tsloop_ns_0.join;",
        "  /** Doc. */",
        "  function f(): P;",
        "  interface P {",
        "      a: number;",
        "  }",
        "  let n: number;",
        "  let m: string;",
        "}",
        "export {};",
        "",
      ].join("\n"),
    );
  });

  it("moves re-declared names to module level, exported, and adds imports of names it refers to", () => {
    const text = renderDeclarations(model(), new Set(["f", "n"]), new Map([["Q", "./__tsloop_cell_1.mjs"]]));
    expect(text).toBe(
      [
        'import { join } from "node:path";',
        'import { Q } from "./__tsloop_cell_1.mjs";',
        "declare interface P {",
        "    a: number;",
        "}",
        "declare let m: string;",
        "declare global {",
        "  /** Doc. */",
        "  function f(): P;",
        "  let n: number;",
        "}",
        "export { join, P, m };",
        "",
      ].join("\n"),
    );
  });

  it("pins globalThis.X to the earlier cell whose X the cell hid", () => {
    const names = readCellShape("interface P { b: 1 }\nconst old = p1;", "/nb/cell.mts").names;
    const dts = "interface P {\n    b: 1;\n}\ndeclare const old: globalThis.P;\nexport { P, old };\n";
    const pinned = parseDeclarations(dts, names, new Map([["P", "./__tsloop_cell_4.mjs"]]));
    expect(renderDeclarations(pinned, new Set(["old"]), new Map())).toContain('const old: import("./__tsloop_cell_4.mjs").P;');
  });
});
