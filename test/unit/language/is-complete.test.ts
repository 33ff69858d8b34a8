// is_complete from TypeScript's parser: a table of code → status (and indent for the next line).
import { describe, expect, it } from "vitest";
import { isComplete } from "../../../src/language/is-complete.js";
import type { IsCompleteReply } from "../../../src/protocol/messages.js";

const table: [name: string, code: string, reply: IsCompleteReply][] = [
  ["empty code", "", { status: "complete" }],
  ["a statement", "const x = 1", { status: "complete" }],
  ["a closed block", "for (const x of [1]) {\n  console.log(x);\n}", { status: "complete" }],
  ["an open loop body", "for (let i = 0; i < 3; i++) {", { status: "incomplete", indent: "  " }],
  ["an open object literal", "const o = {\n  a: 1,", { status: "incomplete", indent: "  " }],
  ["an open call", "console.log(", { status: "incomplete", indent: "  " }],
  ["nested open brackets", "function f() {\n  return [", { status: "incomplete", indent: "    " }],
  ["a closed inner block in an open one", "class A {\n  m() {\n    return 1;\n  }", { status: "incomplete", indent: "  " }],
  ["an open template literal", "const s = `line one", { status: "incomplete", indent: "" }],
  ["an open template literal with a closed substitution", "const s = `a ${1}\n  b", { status: "incomplete", indent: "" }],
  ["a trailing binary operator", "const sum = 1 +", { status: "incomplete", indent: "  " }],
  ["a trailing arrow", "const f = (x: number) =>", { status: "incomplete", indent: "  " }],
  ["an open block comment", "/* notes", { status: "incomplete", indent: "" }],
  ["a missing declaration name", "const = ;", { status: "invalid" }],
  ["a stray closing brace", "}", { status: "invalid" }],
  ["an unterminated string", 'const s = "abc', { status: "invalid" }],
  ["an error before an open brace", "const = 1;\nif (x) {", { status: "invalid" }],
];

describe("isComplete", () => {
  it.each(table)("%s", (_name, code, reply) => {
    expect(isComplete(code)).toEqual(reply);
  });

  it("waits for the closing tag of a JSX element when JSX is on", () => {
    expect(isComplete("const el = <div>", true)).toEqual({ status: "incomplete", indent: "  " });
    expect(isComplete("const el = <div>hi</div>", true)).toEqual({ status: "complete" });
  });
});
