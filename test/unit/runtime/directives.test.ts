// Cell directives: leading comment lines only, later ones win, code ends the directive block.
import { describe, expect, it } from "vitest";
import { cellDirectives } from "../../../src/runtime/directives.js";

const cases: { source: string; timeline: "on" | "off" | undefined; warnings: boolean }[] = [
  { source: "await sleep(1)", timeline: undefined, warnings: true },
  { source: "// @timeline\n1 + 1", timeline: "on", warnings: true },
  { source: "// @timeline on\n1", timeline: "on", warnings: true },
  { source: "// @timeline off\nawait x", timeline: "off", warnings: true },
  { source: "// a note\n\n// @warnings off\nwhile (1) {}", timeline: undefined, warnings: false },
  { source: "// @ts-nocheck\n// @timeline off\n// @warnings off\n", timeline: "off", warnings: false },
  { source: "const a = 1;\n// @timeline off", timeline: undefined, warnings: true },
  { source: "// @timelines off", timeline: undefined, warnings: true },
];

describe("cellDirectives", () => {
  it.each(cases)("$source", ({ source, timeline, warnings }) => {
    expect(cellDirectives(source)).toEqual({ timeline, warnings });
  });
});
