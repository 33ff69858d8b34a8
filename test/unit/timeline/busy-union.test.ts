// The busy union: the exact time covered by main-thread stretches, whether they arrive in order, nested (a callee's
// stretch before its caller's) or overlapping, and past the number of intervals kept open.
import { describe, expect, it } from "vitest";
import { BusyUnion } from "../../../src/timeline/busy-union";

const cases: { name: string; stretches: [number, number][]; total: number }[] = [
  { name: "disjoint, in order", stretches: [[0, 10], [20, 25], [30, 31]], total: 16 },
  { name: "a nested stretch reported before the one enclosing it", stretches: [[5, 10], [0, 12]], total: 12 },
  { name: "overlapping", stretches: [[0, 10], [8, 15], [14, 20]], total: 20 },
  { name: "an outer stretch that spans several earlier ones", stretches: [[1, 2], [3, 4], [5, 6], [0, 7]], total: 7 },
  { name: "empty and reversed stretches count nothing", stretches: [[5, 5], [9, 3]], total: 0 },
];

describe("BusyUnion", () => {
  it.each(cases)("$name", ({ stretches, total }) => {
    const u = new BusyUnion();
    for (const [s, e] of stretches) u.add(s, e);
    expect(u.totalMs).toBe(total);
  });

  it("stays exact for 10,000 short stretches with gaps (a storm of continuations)", () => {
    const u = new BusyUnion();
    for (let i = 0; i < 10_000; i++) u.add(i, i + 0.5);
    expect(u.totalMs).toBeCloseTo(5000, 6);
  });
});
