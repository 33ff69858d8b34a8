import { describe, expect, it } from "vitest";
import { putBuffers, removeBuffers } from "../../../src/runtime/widgets/protocol.js";

const b = (...bytes: number[]) => new Uint8Array(bytes);

describe("removeBuffers / putBuffers (buffer_paths of widget protocol 2)", () => {
  const cases: { name: string; state: Record<string, unknown>; wire: Record<string, unknown>; paths: (string | number)[][] }[] = [
    { name: "no buffers: the same state", state: { value: 3, list: [1, 2] }, wire: { value: 3, list: [1, 2] }, paths: [] },
    { name: "top-level key removed", state: { value: b(1), n: 1 }, wire: { n: 1 }, paths: [["value"]] },
    { name: "nested key removed", state: { data: { shape: [2], bytes: b(1, 2) } }, wire: { data: { shape: [2] } }, paths: [["data", "bytes"]] },
    { name: "array item becomes null", state: { frames: [b(1), 5, b(2)] }, wire: { frames: [null, 5, null] }, paths: [["frames", 0], ["frames", 2]] },
    { name: "ArrayBuffer and DataView count as binary", state: { a: new ArrayBuffer(2), d: new DataView(new ArrayBuffer(1)) }, wire: {}, paths: [["a"], ["d"]] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const before = JSON.stringify(Object.keys(c.state));
      const split = removeBuffers(c.state);
      expect(split.state).toEqual(c.wire);
      expect(split.bufferPaths).toEqual(c.paths);
      expect(split.buffers.length).toBe(c.paths.length);
      expect(JSON.stringify(Object.keys(c.state))).toBe(before);
      const back = JSON.parse(JSON.stringify(split.state)) as Record<string, unknown>;
      putBuffers(back, split.bufferPaths, split.buffers);
      expect(JSON.stringify(Object.keys(back).sort())).toBe(JSON.stringify(Object.keys(c.state).sort()));
    });
  }

  it("returns the input object itself when there is nothing to lift", () => {
    const state = { a: { b: [1] } };
    expect(removeBuffers(state).state).toBe(state);
  });

  it("ignores malformed buffer paths from a frontend", () => {
    const state: Record<string, unknown> = { a: 1 };
    putBuffers(state, "nonsense", [b(1)]);
    putBuffers(state, [[], ["x", "y"], ["a"]], [b(1), b(2), b(3)]);
    expect(state).toEqual({ a: b(3) });
  });
});
