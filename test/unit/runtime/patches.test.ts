// The process patch owner (src/runtime/patches): a table installs and uninstalls back to exactly what was there
// (the same values, the same property descriptors), uninstall is idempotent, a table that fails half-way is rolled
// back, and while a property is patched the owner answers its real value.
import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { ProcessPatches } from "../../../src/runtime/patches/owner.js";
import type { Patch, Uninstall } from "../../../src/runtime/patches/table.js";

const original = function original() {
  return "original";
};
const wrapped = () => "wrapped";

/** Where a patched property can be: each must come back exactly as it was. */
const PLACES: { where: string; make: () => object }[] = [
  { where: "an own writable data property", make: () => ({ f: original }) },
  { where: "an own non-enumerable property", make: () => Object.defineProperty({}, "f", { value: original, writable: true, configurable: true, enumerable: false }) },
  { where: "an own read-only property", make: () => Object.defineProperty({}, "f", { value: original, writable: false, configurable: true, enumerable: true }) },
  { where: "an accessor", make: () => Object.defineProperty({}, "f", { get: () => original, set: () => undefined, configurable: true, enumerable: true }) },
  { where: "a method on the prototype", make: () => Object.create({ f: original }) as object },
  { where: "no property at all", make: () => ({}) },
];

const read = (target: object) => (target as { f?: unknown }).f;

describe("the process patch owner", () => {
  const undo: Uninstall[] = [];
  afterEach(() => {
    for (const u of undo.splice(0)) u();
  });

  it.each(PLACES)("puts $where back as it was, value and descriptor", ({ make }) => {
    const owner = new ProcessPatches();
    const target = make();
    const before = Object.getOwnPropertyDescriptor(target, "f");
    const real = read(target);
    let given: unknown = "not called";
    const uninstall = owner.install([{ name: "f", target, key: "f", replacement: (r) => ((given = r), wrapped) }]);
    expect(given).toBe(real);
    expect(read(target)).toBe(wrapped);
    expect(owner.real(target, "f")).toBe(real);
    uninstall();
    expect(read(target)).toBe(real);
    expect(Object.getOwnPropertyDescriptor(target, "f")).toEqual(before);
    expect(owner.holds(target, "f")).toBe(false);
  });

  it("keeps a replaced property's attributes unless the patch gives them", () => {
    const owner = new ProcessPatches();
    const target = Object.defineProperty({}, "f", { value: original, writable: true, configurable: true, enumerable: false });
    undo.push(owner.install([{ name: "f", target, key: "f", replacement: () => wrapped }]));
    expect(Object.getOwnPropertyDescriptor(target, "f")).toEqual({ value: wrapped, writable: true, configurable: true, enumerable: false });
    const added = {};
    undo.push(owner.install([{ name: "g", target: added, key: "g", replacement: () => wrapped, attributes: { enumerable: true, writable: false } }]));
    expect(Object.getOwnPropertyDescriptor(added, "g")).toEqual({ value: wrapped, writable: false, configurable: true, enumerable: true });
  });

  it("adds a listener and removes the same listener", () => {
    const owner = new ProcessPatches();
    const emitter = new EventEmitter();
    const other = () => undefined;
    emitter.on("event", other);
    const listener = () => undefined;
    const uninstall = owner.install([{ name: "listener", emitter, event: "event", listener }]);
    expect(emitter.listeners("event")).toEqual([other, listener]);
    uninstall();
    expect(emitter.listeners("event")).toEqual([other]);
  });

  it("uninstalls once: a second call changes nothing", () => {
    const owner = new ProcessPatches();
    const target = { f: original as unknown };
    const uninstall = owner.install([{ name: "f", target, key: "f", replacement: () => wrapped }]);
    uninstall();
    target.f = "set after uninstall";
    uninstall();
    expect(target.f).toBe("set after uninstall");
  });

  it("rolls back what a failing table installed, and names the patch that failed", () => {
    const owner = new ProcessPatches();
    const first = { f: original };
    const emitter = new EventEmitter();
    const frozen = Object.freeze({});
    const table: Patch[] = [
      { name: "first.f", target: first, key: "f", replacement: () => wrapped },
      { name: "a listener", emitter, event: "event", listener: () => undefined },
      { name: "frozen.g", target: frozen, key: "g", replacement: () => wrapped },
    ];
    expect(() => owner.install(table)).toThrow(/could not install the process patch frozen\.g/);
    expect(first.f).toBe(original);
    expect(Object.getOwnPropertyDescriptor(first, "f")).toEqual({ value: original, writable: true, configurable: true, enumerable: true });
    expect(emitter.listenerCount("event")).toBe(0);
    expect(owner.holds(first, "f")).toBe(false);
  });

  it("refuses to patch a property a patch of its already holds, and leaves the first in place", () => {
    const owner = new ProcessPatches();
    const target = { f: original };
    undo.push(owner.install([{ name: "f", target, key: "f", replacement: () => wrapped }]));
    expect(() => owner.install([{ name: "f again", target, key: "f", replacement: () => "second" }])).toThrow(/f again: it is patched already/);
    expect(target.f).toBe(wrapped);
    expect(owner.real(target, "f")).toBe(original);
  });

  it("answers the current value for a property it does not hold", () => {
    const owner = new ProcessPatches();
    const target = { f: original };
    expect(owner.real(target, "f")).toBe(original);
  });

  it("makes a builtin module's ES exports follow the patch and its removal", async () => {
    const owner = new ProcessPatches();
    const timers = require("node:timers") as { setImmediate: unknown };
    const esm = await import("node:timers");
    const real = timers.setImmediate;
    const uninstall = owner.install([{ name: "node:timers setImmediate", target: timers, key: "setImmediate", builtinModule: true, replacement: () => wrapped }]);
    expect(esm.setImmediate).toBe(wrapped);
    uninstall();
    expect(esm.setImmediate).toBe(real);
    expect(timers.setImmediate).toBe(real);
  });

  it("undoes what a function changed in the properties it was told to watch", () => {
    const owner = new ProcessPatches();
    const target = { f: original as unknown };
    const value = owner.undoSideEffects([[target, "f"], [target, "g"]] as const, () => {
      target.f = wrapped;
      (target as Record<string, unknown>).g = wrapped;
      return 7;
    });
    expect(value).toBe(7);
    expect(target.f).toBe(original);
    expect(Object.hasOwn(target, "g")).toBe(false);
  });
});
