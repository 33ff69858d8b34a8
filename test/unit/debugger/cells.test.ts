// Breakpoints are TypeScript lines; V8 wants positions in the compiled cell. Through the source map of a cell
// compiled by the real cell compiler: a line with code maps to itself and back, a type-only or blank line moves
// the breakpoint down to the next line with code, and the cell's file name follows JupyterLab's naming.
import { TraceMap } from "@jridgewell/trace-mapping";
import { describe, expect, it } from "vitest";
import { compileCell } from "../../../src/compiler/cell-compiler.js";
import { CellFiles, HASH_SEED, generatedFor, originalFor } from "../../../src/debugger/cells.js";
import { murmur2 } from "../../../src/debugger/hash.js";

const CODE = [
  "interface Point { x: number; y: number }", // 1: types only
  "type Pair = [Point, Point];", // 2: types only
  "function dist(p: Point, q: Point): number {", // 3
  "  const dx: number = p.x - q.x;", // 4
  "", // 5: blank
  "  return Math.abs(dx);", // 6
  "}", // 7
  "const d = dist({ x: 0, y: 0 }, { x: 3, y: 4 });", // 8
].join("\n");

function compiled(): TraceMap {
  const result = compileCell(CODE, "/tmp/tsloop-cell-1.ts", { trace: true });
  if (!result.ok) throw new Error("the cell should compile");
  return new TraceMap(result.cell.sourceMap);
}

describe("breakpoint lines through a cell's source map", () => {
  const map = compiled();

  it.each([
    [4, 4],
    [6, 6],
    [8, 8],
    [1, 3],
    [2, 3],
    [5, 6],
  ])("a breakpoint on TS line %i lands on line %i, and the compiled position maps back to it", (line, landed) => {
    const found = generatedFor(map, line);
    expect(found?.line).toBe(landed);
    expect(originalFor(map, found!.at)?.line).toBe(landed);
  });

  it("has no position below the last line with code", () => {
    expect(generatedFor(map, 9)).toBeUndefined();
  });
});

describe("cell file names", () => {
  it("names a cell prefix + murmur2(code, seed) + suffix, as debugInfo announces", () => {
    const files = new CellFiles(".ts", "/tmp/tsloop_test");
    expect(files.pathFor("x")).toBe(`/tmp/tsloop_test/${murmur2("x", HASH_SEED)}.ts`);
  });
});
