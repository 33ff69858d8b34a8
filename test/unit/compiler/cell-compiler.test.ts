// The cell compiler as a pure transform: a table of cell → statements inside the async wrapper (whitespace
// normalised), with the names it declares and whether it returns a value; then diagnostics and the
// output contract (wrapper, source map fields).
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { compileCell } from "../../../src/compiler/cell-compiler.js";
import { GUARD, bodyOf, compile, load } from "./helpers.js";

interface Case {
  name: string;
  code: string;
  /** statements inside `(async () => { "use strict"; … })();` */
  js: string;
  declared?: string[];
  hasResult?: boolean;
}

const declarations: Case[] = [
  { name: "const becomes an assignment", code: "const x = 1;", js: "x = 1;", declared: ["x"] },
  { name: "let without initializer is reset to undefined", code: "let x: number;", js: "x = void 0;", declared: ["x"] },
  { name: "var without initializer assigns nothing but is declared", code: "var x;", js: "", declared: ["x"] },
  { name: "several declarators become several assignments", code: "let a = 1, b, c = a;", js: "a = 1; b = void 0; c = a;", declared: ["a", "b", "c"] },
  {
    name: "object destructuring keeps renames, defaults, computed keys and rest",
    code: "const { a, b: bee, c = 3, d: dee = 4, ['e']: e, 'f-g': fg, ...rest } = obj;",
    js: "({ a, b: bee, c = 3, d: dee = 4, ['e']: e, 'f-g': fg, ...rest } = obj);",
    declared: ["a", "bee", "c", "dee", "e", "fg", "rest"],
  },
  {
    name: "array destructuring keeps holes, defaults, nesting and rest",
    code: "let [first, , third = 3, [deep], { k }, ...others] = list;",
    js: "[first, , third = 3, [deep], { k }, ...others] = list;",
    declared: ["first", "third", "deep", "k", "others"],
  },
  {
    name: "type annotations, assertions and satisfies are stripped",
    code: "const n: number = (input as any)!; const o = { a: 1 } satisfies object;",
    js: "n = input; o = { a: 1 };",
    declared: ["n", "o"],
  },
  {
    name: "function declarations are hoisted as named function expressions",
    code: "double(2);\nfunction double(n: number): number { return n * 2; }",
    js: "double = function double(n) { return n * 2; }; double(2);",
    declared: ["double"],
  },
  {
    name: "async functions and generators keep their kind",
    code: "async function a() { await 1; }\nfunction* g() { yield 1; }\nasync function* ag() { yield 1; }",
    js: "a = async function a() { await 1; }; g = function* g() { yield 1; }; ag = async function* ag() { yield 1; };",
    declared: ["a", "g", "ag"],
  },
  {
    name: "overloads and declare forms are erased",
    code: "function f(a: string): void;\nfunction f(a: unknown) {}\ndeclare const ambient: number;\ndeclare function g(): void;",
    js: "f = function f(a) { };",
    declared: ["f"],
  },
  {
    name: "classes become class expressions keeping their name",
    code: "class Point extends Base { x = 1; static origin() { return new Point(); } }",
    js: "Point = class Point extends Base { x = 1; static origin() { return new Point(); } };",
    declared: ["Point"],
  },
  {
    name: "abstract classes and parameter properties are lowered by TypeScript first",
    code: "abstract class Shape { constructor(public sides: number) {} abstract area(): number }",
    js: "Shape = class Shape { sides; constructor(sides) { this.sides = sides; } };",
    declared: ["Shape"],
  },
  {
    name: "enums are reset then rebuilt",
    code: "enum Color { Red, Green = 'g' }",
    js: 'Color = void 0; (function (Color) { Color[Color["Red"] = 0] = "Red"; Color["Green"] = "g"; })(Color || (Color = {}));',
    declared: ["Color"],
  },
  {
    name: "const enums are emitted like enums",
    code: "const enum Flag { On = 1 }",
    js: 'Flag = void 0; (function (Flag) { Flag[Flag["On"] = 1] = "On"; })(Flag || (Flag = {}));',
    declared: ["Flag"],
  },
  {
    name: "namespaces are reset then rebuilt",
    code: "namespace Geo { export const pi = 3.14; }",
    js: "Geo = void 0; (function (Geo) { Geo.pi = 3.14; })(Geo || (Geo = {}));",
    declared: ["Geo"],
  },
  { name: "a namespace of types only is erased", code: "namespace Types { export type A = 1; }", js: "", declared: [] },
  {
    name: "types and interfaces are erased and not declared",
    code: "type Id = string;\ninterface User { id: Id }\nconst u: User = { id: 'a' };",
    js: "u = { id: 'a' };",
    declared: ["u"],
  },
  {
    name: "import alias of a namespace member is a declaration",
    code: "namespace N { export const v = 1; }\nimport alias = N.v;",
    js: "N = void 0; (function (N) { N.v = 1; })(N || (N = {})); alias = N.v;",
    declared: ["N", "alias"],
  },
  {
    name: "declarations are listed once, in source order",
    code: "var b = 1; function a() {} var b = 2; class C {}",
    js: "a = function a() { }; b = 1; b = 2; C = class C { };",
    declared: ["b", "a", "C"],
  },
];

const imports: Case[] = [
  { name: "namespace import", code: 'import * as ns from "pkg";', js: `ns = await ${load("pkg")};`, declared: ["ns"] },
  { name: "default import", code: 'import d from "pkg";', js: `d = __tsloop.default(await ${load("pkg")});`, declared: ["d"] },
  {
    name: "named imports with a rename",
    code: 'import { a, b as b2 } from "pkg";',
    js: `{ const __m = await ${load("pkg")}; a = __tsloop.named(__m, "a"); b2 = __tsloop.named(__m, "b"); }`,
    declared: ["a", "b2"],
  },
  {
    name: "default and named imports together",
    code: 'import d, { a, default as d2 } from "pkg";',
    js: `{ const __m = await ${load("pkg")}; d = __tsloop.default(__m); a = __tsloop.named(__m, "a"); d2 = __tsloop.default(__m); }`,
    declared: ["d", "a", "d2"],
  },
  {
    name: "default and namespace imports together",
    code: 'import d, * as ns from "pkg";',
    js: `{ const __m = await ${load("pkg")}; d = __tsloop.default(__m); ns = __m; }`,
    declared: ["d", "ns"],
  },
  {
    name: "the temporary namespace name avoids the cell's own names",
    code: 'import { __m, b } from "pkg";',
    js: `{ const __m_1 = await ${load("pkg")}; __m = __tsloop.named(__m_1, "__m"); b = __tsloop.named(__m_1, "b"); }`,
    declared: ["__m", "b"],
  },
  { name: "side-effect import", code: 'import "./setup.js";', js: `await ${load("./setup.js")};`, declared: [] },
  { name: "import type is erased", code: 'import type { A } from "pkg";\nimport type B from "pkg";', js: "", declared: [] },
  {
    name: "inline type specifiers are dropped but the module still loads (verbatimModuleSyntax)",
    code: 'import { type A, b } from "pkg";\nimport { type C } from "other";',
    js: `{ const __m = await ${load("pkg")}; b = __tsloop.named(__m, "b"); } await ${load("other")};`,
    declared: ["b"],
  },
  {
    name: "import attributes are passed to import()",
    code: 'import data from "./data.json" with { type: "json" };',
    js: `data = __tsloop.default(await ${load("./data.json", '{ with: { type: "json" } }')});`,
    declared: ["data"],
  },
  {
    name: "static imports are hoisted above the other statements, after functions",
    code: 'console.log(a);\nfunction f() {}\nimport { a } from "pkg";',
    js: `f = function f() { }; { const __m = await ${load("pkg")}; a = __tsloop.named(__m, "a"); } console.log(a);`,
    declared: ["f", "a"],
  },
  { name: "import = require", code: 'import fs = require("fs");', js: 'fs = __tsloop.require("fs");', declared: ["fs"] },
  { name: "import type = require is erased", code: 'import type fs = require("fs");', js: "", declared: [] },
  {
    name: "dynamic import anywhere goes through __tsloop.import",
    code: 'const m = await import("pkg");\nconst lazy = () => import("./x.js", { with: { type: "json" } });',
    js: `m = await ${load("pkg")}; lazy = () => ${load("./x.js", '{ with: { type: "json" } }')};`,
    declared: ["m", "lazy"],
  },
  {
    name: "dynamic import with a computed specifier",
    code: "async function get(name: string) { return (await import(`./${name}.js`)).default; }",
    js: "get = async function get(name) { return (await __tsloop.import(`./${name}.js`, s => import(s))).default; };",
    declared: ["get"],
  },
];

const exports: Case[] = [
  { name: "export const drops the modifier", code: "export const x = 1;", js: "x = 1;", declared: ["x"] },
  {
    name: "export function and export class drop the modifier",
    code: "export async function f() {}\nexport class C {}",
    js: "f = async function f() { }; C = class C { };",
    declared: ["f", "C"],
  },
  { name: "export default expression becomes an expression statement", code: "export default 1 + 1;", js: "1 + 1;", declared: [] },
  {
    name: "export default of a named function or class declares it",
    code: "export default function main() {}\nexport default class App {}",
    js: "main = function main() { }; App = class App { };",
    declared: ["main", "App"],
  },
  {
    name: "export default of an unnamed function or class is an expression",
    code: "export default function () {}\nexport default class {}",
    js: "(function () { }); (class { });",
    declared: [],
  },
  { name: "export lists are removed", code: "const a = 1;\nexport { a, a as b };\nexport {};", js: "a = 1;", declared: ["a"] },
  {
    name: "re-exports load the module and bind nothing",
    code: 'export * from "a";\nexport { x } from "b";\nexport type { T } from "c";',
    js: `await ${load("a")}; await ${load("b")};`,
    declared: [],
  },
  { name: "export import = require", code: 'export import fs = require("fs");', js: 'fs = __tsloop.require("fs");', declared: ["fs"] },
  { name: "export enum", code: "export enum E { A }", js: 'E = void 0; (function (E) { E[E["A"] = 0] = "A"; })(E || (E = {}));', declared: ["E"] },
];

const topLevelAwait: Case[] = [
  { name: "await as a statement", code: "await sleep(1);", js: "await sleep(1);", declared: [] },
  { name: "await in a declaration", code: "const r = await fetch(url);", js: "r = await fetch(url);", declared: ["r"] },
  { name: "await inside expressions", code: "const n = 1 + (await one()) * 2;", js: "n = 1 + (await one()) * 2;", declared: ["n"] },
  { name: "await in arguments", code: "console.log(await a, await b);", js: "console.log(await a, await b);", declared: [] },
  { name: "await in a template literal", code: "const s = `v=${await value()}`;", js: "s = `v=${await value()}`;", declared: ["s"] },
  {
    name: "for await at the top level",
    code: "for await (const chunk of stream) { use(chunk); }",
    js: `for await (const chunk of stream) { ${GUARD} use(chunk); }`,
    declared: [],
  },
  {
    name: "await in a destructuring declaration",
    code: "const [a, b] = await Promise.all([p, q]);",
    js: "[a, b] = await Promise.all([p, q]);",
    declared: ["a", "b"],
  },
];

const lastExpression: Case[] = [
  { name: "an expression without a semicolon is the result", code: "1 + 1", js: "return { value: 1 + 1 };", hasResult: true },
  { name: "an expression with a semicolon is not", code: "1 + 1;", js: "1 + 1;", hasResult: false },
  { name: "only the last statement counts", code: "const x = 1\nx\nx + 1", js: "x = 1; x; return { value: x + 1 };", hasResult: true },
  { name: "a comment after the expression does not matter", code: "x // the value\n", js: "return { value: x }; // the value", hasResult: true },
  { name: "a comma expression keeps its parentheses", code: "a, b", js: "return { value: (a, b) };", hasResult: true },
  { name: "an awaited expression", code: "await answer()", js: "return { value: await answer() };", hasResult: true },
  { name: "an assignment is an expression", code: "x = 5", js: "return { value: x = 5 };", hasResult: true },
  { name: "a type assertion is stripped", code: "value as string", js: "return { value: value };", hasResult: true },
  { name: "a declaration last gives no result", code: "const x = 1", js: "x = 1;", hasResult: false },
  { name: "a block last gives no result", code: "{ 1 }", js: "{ 1; }", hasResult: false },
  { name: "an if statement last gives no result", code: "if (a) b", js: "if (a) b;", hasResult: false },
  { name: "a type declaration after the expression gives no result", code: "x\ntype T = 1", js: "x;", hasResult: false },
  { name: "an empty cell gives no result", code: "", js: "", hasResult: false, declared: [] },
];

const loopGuards: Case[] = [
  { name: "while", code: "while (busy()) { step(); }", js: `while (busy()) { ${GUARD} step(); }` },
  { name: "while(true) with a statement body gets a block", code: "while (true) step();", js: `while (true) { ${GUARD} step(); }` },
  { name: "do-while", code: "do step(); while (busy());", js: `do { ${GUARD} step(); } while (busy());` },
  { name: "for with an empty body", code: "for (;;);", js: `for (;;) { ${GUARD} ; }` },
  { name: "for-in", code: "for (const k in o) {}", js: `for (const k in o) { ${GUARD} }` },
  { name: "for-of", code: "for (const v of list) use(v);", js: `for (const v of list) { ${GUARD} use(v); }` },
  { name: "labelled loops", code: "outer: for (;;) { for (;;) { continue outer; } }", js: `outer: for (;;) { ${GUARD} for (;;) { ${GUARD} continue outer; } }` },
  {
    name: "loops inside functions",
    code: "function spin() { while (true) {} }",
    js: `spin = function spin() { while (true) { ${GUARD} } };`,
    declared: ["spin"],
  },
  {
    name: "loops inside arrow functions passed as callbacks",
    code: "setTimeout(() => { while (true) {} }, 0);",
    js: `setTimeout(() => { while (true) { ${GUARD} } }, 0);`,
  },
  {
    name: "loops inside methods, accessors, static blocks and field initializers",
    code: "class K { m() { for (;;) {} } get g() { while (a) {} return 1; } static { do {} while (b); } f = () => { for (const x of y) {} }; }",
    js: `K = class K { m() { for (;;) { ${GUARD} } } get g() { while (a) { ${GUARD} } return 1; } static { do { ${GUARD} } while (b); } f = () => { for (const x of y) { ${GUARD} } }; };`,
    declared: ["K"],
  },
  {
    name: "loops in nested function expressions",
    code: "const f = function () { return [1].map((x) => { for (;;) { return x; } }); };",
    js: `f = function () { return [1].map((x) => { for (;;) { ${GUARD} return x; } }); };`,
    declared: ["f"],
  },
];

const scoping: Case[] = [
  {
    name: "a top-level for (var …) declares a global",
    code: "for (var i = 0; i < 3; i++) {}",
    js: `for (i = 0; i < 3; i++) { ${GUARD} }`,
    declared: ["i"],
  },
  {
    name: "for (var … of/in) declares globals, patterns included",
    code: "for (var v of list) {}\nfor (var [p, q] of pairs) {}\nfor (var { key } of entries) {}\nfor (var k in o) {}",
    js: `for (v of list) { ${GUARD} } for ([p, q] of pairs) { ${GUARD} } for ({ key } of entries) { ${GUARD} } for (k in o) { ${GUARD} }`,
    declared: ["v", "p", "q", "key", "k"],
  },
  {
    name: "for (var …) with several declarators",
    code: "for (var i = 0, j, { n } = o; ; ) break;",
    js: `for (i = 0, { n } = o;;) { ${GUARD} break; }`,
    declared: ["i", "j", "n"],
  },
  {
    name: "var inside top-level blocks, ifs and try declares globals",
    code: "if (a) { var x = 1; } else var y = 2, z;\ntry { var t = 3; } catch { var u; }",
    js: "if (a) { x = 1; } else y = 2; try { t = 3; } catch { }",
    declared: ["x", "y", "z", "t", "u"],
  },
  {
    name: "let, const, class and function inside blocks stay local",
    code: "{ let a = 1; const b = 2; class C {} function d() {} }",
    js: "{ let a = 1; const b = 2; class C { } function d() { } }",
    declared: [],
  },
  { name: "for (let …) stays local", code: "for (let i = 0; i < 3; i++) {}", js: `for (let i = 0; i < 3; i++) { ${GUARD} }`, declared: [] },
  {
    name: "var inside functions stays local",
    code: "function f() { var local = 1; for (var j = 0; ; ) {} }",
    js: `f = function f() { var local = 1; for (var j = 0;;) { ${GUARD} } };`,
    declared: ["f"],
  },
  {
    name: "var inside class static blocks stays local",
    code: "class S { static { var inStatic = 1; } }",
    js: "S = class S { static { var inStatic = 1; } };",
    declared: ["S"],
  },
  {
    name: "await using keeps TypeScript's lowering, with user names declared and temporaries local",
    code: "await using res = open()\nconst y = 1\ny",
    js: "const env_1 = { stack: [], error: void 0, hasError: false }; try { res = __addDisposableResource(env_1, open(), true); y = 1; return { value: y }; } catch (e_1) { env_1.error = e_1; env_1.hasError = true; } finally { const result_1 = __disposeResources(env_1); if (result_1) await result_1; }",
    declared: ["res", "y"],
    hasResult: true,
  },
  {
    name: "decorated classes keep TypeScript's lowering and are declared",
    code: "@sealed class D {}",
    js: "D = (() => { let _classDecorators = [sealed]; let _classDescriptor; let _classExtraInitializers = []; let _classThis; var D = class { static { _classThis = this; } static { const _metadata = typeof Symbol === \"function\" && Symbol.metadata ? Object.create(null) : void 0; __esDecorate(null, _classDescriptor = { value: _classThis }, _classDecorators, { kind: \"class\", name: _classThis.name, metadata: _metadata }, null, _classExtraInitializers); D = _classThis = _classDescriptor.value; if (_metadata) Object.defineProperty(_classThis, Symbol.metadata, { enumerable: true, configurable: true, writable: true, value: _metadata }); __runInitializers(_classThis, _classExtraInitializers); } }; return D = _classThis; })();",
    declared: ["D"],
  },
];

describe.each([
  ["declarations", declarations],
  ["imports", imports],
  ["exports", exports],
  ["top-level await", topLevelAwait],
  ["the last expression", lastExpression],
  ["loop guards", loopGuards],
  ["scoping", scoping],
])("compileCell: %s", (_group, cases) => {
  it.each(cases)("$name", ({ code, js, declared, hasResult }) => {
    const cell = compile(code);
    expect(bodyOf(cell.js)).toBe(js);
    if (declared !== undefined) expect(cell.plan.declared).toEqual(declared);
    expect(cell.plan.hasResult).toBe(hasResult ?? false);
    expect(() => new vm.Script(cell.js)).not.toThrow();
  });
});

describe("compileCell: recompiling", () => {
  it("compiles the same cell twice to the same script", () => {
    const first = compile("const x = 1\nx");
    const second = compile("const x = 1\nx");
    expect(second).toEqual(first);
  });
});

describe("compileCell: output contract", () => {
  it("wraps the cell in an async arrow called at once, in strict mode", () => {
    const { js } = compile("const x = 1");
    expect(js.startsWith('(async () => {\n    "use strict";\n')).toBe(true);
    expect(js.trimEnd().endsWith("})();")).toBe(true);
  });

  it("leaves no sourceMappingURL comment in the script", () => {
    expect(compile("1 + 1").js).not.toContain("sourceMappingURL");
  });

  it("names the source map after the script's file name and inlines the cell's source", () => {
    const code = "const x: number = 1\nx";
    const map = JSON.parse(compile(code, "/home/me/notes/[3].ts").sourceMap) as Record<string, unknown>;
    expect(map).toMatchObject({ version: 3, file: "/home/me/notes/[3].ts", sources: ["/home/me/notes/[3].ts"], sourcesContent: [code] });
  });

  it("parses every cell as TypeScript whatever the file name", () => {
    expect(compile("const x: number = 1", "/notebook/cell.js").plan.declared).toEqual(["x"]);
  });

  it("keeps TypeScript's helpers outside the wrapper", () => {
    const { js } = compile("await using r = open()");
    expect(js.indexOf("var __addDisposableResource")).toBeLessThan(js.indexOf("(async () => {"));
  });
});

describe("compileCell: diagnostics", () => {
  it("reports a syntax error with TypeScript's message, code and a 1-based position", () => {
    expect(compileCell("const = ;", "/notebook/cell.ts")).toEqual({
      ok: false,
      diagnostics: [{ line: 1, column: 7, length: 1, message: "Variable declaration expected.", code: 1134, category: "error" }],
    });
  });

  it("counts lines and UTF-16 columns (an emoji is two units)", () => {
    const result = compileCell('const ok = 1\nconst s = "😀"; const = ;', "/notebook/cell.ts");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0]).toMatchObject({ line: 2, column: 23, code: 1134 });
  });

  it("reports every syntax error", () => {
    const result = compileCell("let a = ;\nlet b = ;", "/notebook/cell.ts");
    expect(result.ok ? [] : result.diagnostics.map((d) => d.line)).toEqual([1, 2]);
  });

  it("rejects a top-level return, which would otherwise return from the wrapper", () => {
    expect(compileCell("const a = 1\nreturn a", "/notebook/cell.ts")).toEqual({
      ok: false,
      diagnostics: [
        { line: 2, column: 1, length: 6, message: "A 'return' statement can only be used within a function body.", code: 1108, category: "error" },
      ],
    });
  });

  it("accepts return inside functions", () => {
    expect(compileCell("function f() { return 1; }", "/notebook/cell.ts").ok).toBe(true);
  });

  it("ignores type errors", () => {
    expect(compileCell("const n: number = 'not a number'", "/notebook/cell.ts").ok).toBe(true);
  });
});
