// Which task a value stands for (src/runtime/tracing/known-tasks.ts): the mark only says "look it up", the
// WeakMap answers, so the answer is what was bound — for marked, unmarked, inherited and unmarkable values alike —
// and the mark stays out of the user's sight (keys, JSON, inspect).
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { KnownTasks } from "../../../src/runtime/tracing/known-tasks.js";
import type { TaskRef } from "../../../src/runtime/tracing/task-storage.js";
import type { CellTrace } from "../../../src/runtime/tracing/cell-trace.js";

const ref = (id: number): TaskRef => ({ trace: {} as CellTrace, id });

describe("KnownTasks", () => {
  const cases: { name: string; make: (known: KnownTasks) => { value: unknown; expected: TaskRef | undefined } }[] = [
    {
      name: "a bound promise is its task",
      make: (known) => {
        const value = Promise.resolve(1);
        const r = ref(1);
        known.bind(value, r);
        return { value, expected: r };
      },
    },
    { name: "a promise never bound is no task", make: () => ({ value: Promise.resolve(2), expected: undefined }) },
    { name: "a primitive is no task", make: () => ({ value: 3, expected: undefined }) },
    { name: "null is no task", make: () => ({ value: null, expected: undefined }) },
    {
      name: "bound again, a promise is its latest task",
      make: (known) => {
        const value = Promise.resolve(4);
        known.bind(value, ref(4));
        const r = ref(5);
        known.bind(value, r);
        return { value, expected: r };
      },
    },
    {
      name: "an object inheriting from a bound promise is no task",
      make: (known) => {
        const parent = Promise.resolve(6);
        known.bind(parent, ref(6));
        return { value: Object.create(parent) as object, expected: undefined };
      },
    },
    {
      name: "a frozen thenable is its task (kept without a mark)",
      make: (known) => {
        const value = Object.freeze({ then: () => undefined });
        const r = ref(7);
        known.bind(value, r);
        return { value, expected: r };
      },
    },
  ];
  it.each(cases)("$name", ({ make }) => {
    const known = new KnownTasks();
    const { value, expected } = make(known);
    expect(known.of(value)).toBe(expected);
  });

  it("still tells unknown values apart after an unmarkable one was bound", () => {
    const known = new KnownTasks();
    const frozen = Object.freeze(Promise.resolve(8));
    const r = ref(8);
    known.bind(frozen, r);
    expect(known.of(frozen)).toBe(r);
    expect(known.of(Promise.resolve(9))).toBeUndefined();
  });

  it("leaves no mark the user sees in keys, JSON or inspect", () => {
    const known = new KnownTasks();
    const value = Object.assign(Promise.resolve(10), { label: "x" });
    known.bind(value, ref(10));
    expect(Object.keys(value)).toEqual(["label"]);
    expect(JSON.stringify(value)).toBe('{"label":"x"}');
    expect(inspect(value)).not.toContain("tsloop");
  });
});
