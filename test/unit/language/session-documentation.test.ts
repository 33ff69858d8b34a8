// Documentation in inspect replies comes from a JSDoc parse of the one statement that declares the name, not from a
// second parse of the whole program (which took ~1.2 s on the first Shift+Tab and doubled the language heap).
import type ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { blankOutside } from "../../../src/language/documentation.js";
import type { SessionLanguageService } from "../../../src/language/session-service.js";
import { SESSION_TIMEOUT, atCursor, newSession, run } from "./helpers.js";

const SHAPES = [
  "class Shape {",
  "  /** Scales the shape by `k`.",
  "   * @param k the factor */",
  "  scale(k: number): Shape { return this; }",
  "}",
  "/** The unit square. */",
  "const unit = new Shape();",
  "/** Parses a number. */",
  "function parse(s: string): number;",
  "/** Parses a number, in a base. */",
  "function parse(s: string, base: number): number;",
  "function parse(s: string, base = 10): number { return parseInt(s, base); }",
].join("\n");

const plain = (session: SessionLanguageService, marked: string): string => {
  const { code, cursor } = atCursor(marked);
  return String(session.inspect(code, cursor, 0).data["text/plain"] ?? "");
};

describe("documentation of inspected names", () => {
  let session: SessionLanguageService;
  beforeAll(() => {
    session = newSession();
    run(session, SHAPES, 'import * as fs from "node:fs";\nconst xs = [1, 2, 3];');
  }, SESSION_TIMEOUT);

  it.each([
    { what: "a method of a lib interface", at: "xs.ma|p", docs: "Calls a defined callback function on each element of an array" },
    { what: "a lib function inside its call (signature help)", at: "Math.max(1, |", docs: "Returns the larger of a set of supplied numeric expressions." },
    { what: "a function of a Node module", at: "fs.readFileSy|nc", docs: "Returns the contents of the `path`." },
    { what: "a JSDoc'd variable of an earlier cell", at: "uni|t", docs: "The unit square." },
    { what: "a method of an earlier cell's class", at: "unit.sca|le", docs: "Scales the shape by `k`.\n\n@param k the factor" },
    { what: "the overload a call resolves to", at: 'pars|e("ff", 16)', docs: "Parses a number, in a base." },
    { what: "the other overload", at: 'pars|e("10")', docs: "Parses a number." },
  ])("shows $what", ({ at, docs }) => {
    expect(plain(session, at)).toContain(`\n\n${docs}`);
  });

});

describe("the first inspection", () => {
  it("does not parse the program again to find documentation", () => {
    const fresh = newSession();
    run(fresh, "const ys = [1, 2];");
    const program = (): ts.Program | undefined => (fresh as unknown as { service: ts.LanguageService }).service.getProgram();
    const lib = (): ts.SourceFile | undefined => program()?.getSourceFiles().find((f) => f.fileName.endsWith("/lib.es5.d.ts"));
    const before = lib();
    expect(before).toBeDefined();
    expect(plain(fresh, "ys.filte|r")).toContain("Returns the elements of an array that meet the condition");
    expect(plain(fresh, "[1].ma|p")).toContain("Calls a defined callback function");
    // the same parsed file: its JSDoc was never parsed into the program
    expect(lib()).toBe(before);
  }, SESSION_TIMEOUT);
});

describe("blankOutside", () => {
  it.each([
    { text: "abc\ndef\nghi", pos: 4, end: 7, blanked: "   \ndef\n   " },
    { text: "a\r\nb", pos: 0, end: 1, blanked: "a\r\n " },
    { text: "xyz", pos: 0, end: 3, blanked: "xyz" },
    { text: "xyz", pos: 1, end: 1, blanked: "   " },
  ])("keeps [$pos, $end) and every line break of $text", ({ text, pos, end, blanked }) => {
    const out = blankOutside(text, pos, end);
    expect(out).toBe(blanked);
    expect(out).toHaveLength(text.length);
  });
});
