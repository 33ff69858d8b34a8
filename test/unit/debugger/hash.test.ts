// The cell hash must equal JupyterLab's (packages/debugger/src/hash.ts, murmur2 over UTF-8 bytes) for every
// input, or JupyterLab and the kernel disagree on a cell's file and no breakpoint ever hits. The expected
// values were computed with JupyterLab 4.6's own murmur2 (lib/hash.js of @jupyterlab/debugger 4.6.4).
import { describe, expect, it } from "vitest";
import { murmur2 } from "../../../src/debugger/hash.js";

describe("murmur2 (JupyterLab's cell hash)", () => {
  it.each([
    ["", 0, 0],
    ["a", 1, 626045324],
    ["ab", 3339675911, 2805137849],
    ["abc", 3339675911, 3350977461],
    ["abcdefgh", 42, 2219068749],
    ["const x = 1;\nx", 3339675911, 552911769],
    ["interface P { x: number }\nconst é = '✓';", 3339675911, 617079597],
  ])("hashes %j with seed %i to JupyterLab's value", (text, seed, expected) => {
    expect(murmur2(text, seed)).toBe(expected);
  });
});
