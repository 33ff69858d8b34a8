// A cell's plan, read once by the cell compiler: directives from TypeScript's own leading comment ranges (block
// comments, blank lines and a `#!` line above a directive do not hide it; code, block comments and `///` carry
// none), whether the cell declares types, and the rules each consumer applies to the plan.
import { describe, expect, it } from "vitest";
import { compileCell } from "../../../src/compiler/cell-compiler.js";
import { addsToSessionTypes, cellScriptName, cellTypeScope, checksTypes, isCellScript, type CellDirectives, type CellPlan } from "../../../src/session/plan.js";
import { showsWarnings, timelineMode } from "../../../src/runtime/directives.js";

function planOf(code: string, javascript = false): CellPlan {
  const compiled = compileCell(code, javascript ? "/notebook/tsloop-cell-1.js" : "/notebook/tsloop-cell-1.ts", { javascript });
  if (!compiled.ok) throw new Error(`expected ${JSON.stringify(code)} to compile, got ${JSON.stringify(compiled.diagnostics)}`);
  return compiled.cell.plan;
}

const NONE: CellDirectives = { noCheck: false, check: false, timeline: undefined, warnings: true };

const directiveCases: { name: string; code: string; directives: Partial<CellDirectives> }[] = [
  { name: "no comment: no directive", code: "await sleep(1)", directives: {} },
  { name: "// @timeline: always", code: "// @timeline\n1 + 1", directives: { timeline: "on" } },
  { name: "// @timeline on", code: "// @timeline on\n1", directives: { timeline: "on" } },
  { name: "// @timeline off", code: "// @timeline off\nawait sleep(1)", directives: { timeline: "off" } },
  { name: "a later directive wins", code: "// @timeline off\n// @timeline\n1", directives: { timeline: "on" } },
  { name: "// @warnings off after a note and a blank line", code: "// a note\n\n// @warnings off\nwhile (1) {}", directives: { warnings: false } },
  { name: "several directives", code: "// @ts-nocheck\n// @timeline off\n// @warnings off\n", directives: { noCheck: true, timeline: "off", warnings: false } },
  { name: "// @ts-check", code: "// @ts-check\nlet a = 1", directives: { check: true } },
  { name: "@ts-nocheck and @ts-check both", code: "// @ts-check\n// @ts-nocheck\n1", directives: { noCheck: true, check: true } },
  // The two cases on which the kernel's threads disagreed before the plan:
  { name: "/* notes */ above // @timeline off (the runtime ignored it)", code: "/* notes */\n// @timeline off\nawait sleep(1)", directives: { timeline: "off" } },
  { name: "/* notes */ above // @ts-nocheck (the interpreter missed it)", code: "/* notes */\n// @ts-nocheck\nconst n = 1;", directives: { noCheck: true } },
  { name: "a JSDoc block and a blank line above", code: "/**\n * The setup.\n */\n\n// @timeline\n1", directives: { timeline: "on" } },
  { name: "a #! line above", code: "#!/usr/bin/env tsloop\n// @ts-nocheck\n1", directives: { noCheck: true } },
  { name: "CRLF line ends and leading spaces", code: "  \r\n  // @timeline off\r\nawait sleep(1)", directives: { timeline: "off" } },
  { name: "after code: not a directive", code: "const a = 1;\n// @timeline off", directives: {} },
  { name: "inside a template literal: not a directive", code: "const s = `\n// @timeline off`", directives: {} },
  { name: "in a block comment: not a directive", code: "/* @ts-nocheck */\n1", directives: {} },
  { name: "after three slashes: not a directive", code: "/// @ts-nocheck\n1", directives: {} },
  { name: "a longer word: not a directive", code: "// @timelines off\n1", directives: {} },
  { name: "in JavaScript as in TypeScript", code: "/* notes */\n// @ts-check\n// @warnings off\nlet a = 1", directives: { check: true, warnings: false } },
];

describe("the cell plan's directives", () => {
  it.each(directiveCases)("$name", ({ code, directives }) => {
    expect(planOf(code).directives).toEqual({ ...NONE, ...directives });
    expect(planOf(code, true).directives).toEqual({ ...NONE, ...directives });
  });
});

const shapeCases: { code: string; declared: string[]; declaresTypes: boolean; hasResult: boolean }[] = [
  { code: "1 + 1", declared: [], declaresTypes: false, hasResult: true },
  { code: "console.log('the type of a class is a function');", declared: [], declaresTypes: false, hasResult: false },
  { code: "for (;;) { function inner() {} break; }", declared: [], declaresTypes: false, hasResult: false },
  { code: "const a = 1, b = 2", declared: ["a", "b"], declaresTypes: false, hasResult: false },
  { code: "function f() {}\nclass K {}", declared: ["f", "K"], declaresTypes: false, hasResult: false },
  { code: "interface Point { x: number }", declared: [], declaresTypes: true, hasResult: false },
  { code: "type Id = string;\n'ok'", declared: [], declaresTypes: true, hasResult: true },
  { code: "declare const injected: number;", declared: [], declaresTypes: true, hasResult: false },
  { code: "declare global { interface Array<T> { last(): T } }", declared: [], declaresTypes: true, hasResult: false },
  { code: "import type { Stats } from 'node:fs';", declared: [], declaresTypes: true, hasResult: false },
  { code: "import { join } from 'node:path';", declared: ["join"], declaresTypes: true, hasResult: false },
  { code: "enum Colour { Red }", declared: ["Colour"], declaresTypes: true, hasResult: false },
];

describe("the cell plan's names and result", () => {
  it.each(shapeCases)("$code", ({ code, declared, declaresTypes, hasResult }) => {
    const plan = planOf(code);
    expect({ declared: plan.declared, declaresTypes: plan.declaresTypes, hasResult: plan.hasResult }).toEqual({ declared, declaresTypes, hasResult });
    expect(addsToSessionTypes(plan)).toBe(declared.length > 0 || declaresTypes);
  });
});

// What each consumer decides from the plan. The language side asks `checksTypes`, the runtime `showsWarnings` and
// the tracer `timelineMode`; test/inprocess/cell-plan.test.ts runs the same cells through the real threads' code.
const consumerCases: { code: string; typescriptChecked: boolean; javascriptChecked: boolean; timeline: "always" | "auto" | undefined; warnings: boolean }[] = [
  { code: "let a = 1", typescriptChecked: true, javascriptChecked: false, timeline: "auto", warnings: true },
  { code: "/* notes */\n// @ts-nocheck\nlet a = 1", typescriptChecked: false, javascriptChecked: false, timeline: "auto", warnings: true },
  { code: "// note\n\n// @ts-check\nlet a = 1", typescriptChecked: true, javascriptChecked: true, timeline: "auto", warnings: true },
  { code: "// @ts-check\n// @ts-nocheck\nlet a = 1", typescriptChecked: false, javascriptChecked: false, timeline: "auto", warnings: true },
  { code: "/* notes */\n// @timeline off\n// @warnings off\nlet a = 1", typescriptChecked: true, javascriptChecked: false, timeline: undefined, warnings: false },
  { code: "#!/usr/bin/env tsloop\n// @timeline\nlet a = 1", typescriptChecked: true, javascriptChecked: false, timeline: "always", warnings: true },
];

describe("every consumer takes the plan's answer", () => {
  it.each(consumerCases)("$code", ({ code, typescriptChecked, javascriptChecked, timeline, warnings }) => {
    const { directives } = planOf(code);
    expect(checksTypes(directives, { typecheck: true, javascript: false })).toBe(typescriptChecked);
    expect(checksTypes(directives, { typecheck: true, javascript: true })).toBe(javascriptChecked);
    expect(checksTypes(directives, { typecheck: false, javascript: false })).toBe(false);
    expect(timelineMode(directives, true)).toBe(timeline);
    expect(showsWarnings(directives, true)).toBe(warnings);
    expect(showsWarnings(directives, false)).toBe(false);
  });

  it.each([
    { timeline: undefined, enabled: false, mode: undefined },
    { timeline: "on", enabled: false, mode: "always" },
    { timeline: "off", enabled: true, mode: undefined },
  ] as const)("timeline $timeline with timelines enabled=$enabled: $mode", ({ timeline, enabled, mode }) => {
    expect(timelineMode({ ...NONE, timeline }, enabled)).toBe(mode);
  });
});

describe("a cell run's identity", () => {
  it.each([
    { id: 3, language: "typescript", script: "tsloop-cell-3.ts", scope: "cell_3" },
    { id: 12, language: "javascript", script: "tsloop-cell-12.js", scope: "cell_12" },
  ] as const)("run $id names script $script and types $scope", ({ id, language, script, scope }) => {
    expect(cellScriptName(id, language)).toBe(script);
    expect(isCellScript(`/home/me/notebooks/${script}`)).toBe(true);
    expect(cellTypeScope(id)).toBe(scope);
  });

  it.each(["/home/me/tsloop-cell-3.ts.map", "/home/me/my-tsloop-cell-3.ts", "/home/me/tsloop-cell-x.ts", "user_expression"])("%s is not a cell script", (file) => {
    expect(isCellScript(file)).toBe(false);
  });
});
