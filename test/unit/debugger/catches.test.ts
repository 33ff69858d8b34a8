// "Uncaught exceptions" are decided by the notebook's own try/catch blocks in the compiled cell.
import { describe, expect, it } from "vitest";
import { insideTry, tryBlocks } from "../../../src/debugger/catches.js";

const JS = [
  "try {", // 0
  "  a();", // 1
  "} catch (e) {", // 2
  "  b();", // 3
  "}", // 4
  "try {", // 5
  "  c();", // 6
  "} finally {}", // 7
  "await d();", // 8
].join("\n");

describe("exceptions the notebook catches", () => {
  const ranges = tryBlocks(JS);

  it.each([
    [1, 2, "inside a try block with a catch clause", true],
    [3, 2, "inside the catch clause itself", false],
    [6, 2, "inside try/finally (nothing catches)", false],
    [8, 0, "outside any try (top-level await parses)", false],
  ])("line %i column %i, %s: caught = %s", (line, column, _where, caught) => {
    expect(insideTry(ranges, line, column)).toBe(caught);
  });
});
