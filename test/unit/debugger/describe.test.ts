// A value in the Variables panel is one line as a JavaScript developer writes it (from V8's remote objects).
import { describe as group, expect, it } from "vitest";
import type { RemoteObject } from "../../../src/debugger/cdp.js";
import { describe } from "../../../src/debugger/variables.js";

const point = { overflow: false, properties: [{ name: "x", type: "number", value: "3" }, { name: "label", type: "string", value: "a" }] };

group("values shown in the Variables panel", () => {
  it.each<[string, RemoteObject, string]>([
    ["a string, quoted", { type: "string", value: "hi" }, '"hi"'],
    ["a number", { type: "number", value: 25, description: "25" }, "25"],
    ["NaN and -0", { type: "number", unserializableValue: "-0", description: "-0" }, "-0"],
    ["undefined", { type: "undefined" }, "undefined"],
    ["null", { type: "object", subtype: "null", value: null }, "null"],
    ["a plain object, with its first properties", { type: "object", className: "Object", description: "Object", objectId: "1", preview: point }, '{x: 3, label: "a"}'],
    ["a class instance", { type: "object", className: "Point", description: "Point", objectId: "2", preview: { ...point, overflow: true } }, 'Point {x: 3, label: "a", …}'],
    ["an array, as V8 describes it", { type: "object", subtype: "array", className: "Array", description: "Array(3)", objectId: "3" }, "Array(3)"],
    ["a Map", { type: "object", subtype: "map", className: "Map", description: "Map(1)", objectId: "4" }, "Map(1)"],
  ])("%s", (_what, value, shown) => {
    expect(describe(value)).toBe(shown);
  });
});
