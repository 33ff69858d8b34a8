// Where the cell compiler says "these names are defined now": after every top-level statement that declares
// names, one declarator at a time, so that a cell failing half-way keeps exactly the declarations that ran.
import { describe, expect, it } from "vitest";
import { bodyOf, compile, load } from "./helpers.js";

const cases: { name: string; code: string; js: string }[] = [
  { name: "after a const, before the statement that may throw", code: "const a = 1;\nthrow new Error();", js: 'a = 1; __tsloop.defined("a"); throw new Error();' },
  {
    name: "one marker per declarator: b's initialiser may throw after a is set",
    code: "const a = 1, b = f(), c = 3;",
    js: 'a = 1; __tsloop.defined("a"); b = f(); __tsloop.defined("b"); c = 3; __tsloop.defined("c");',
  },
  { name: "destructuring marks every bound name at once", code: "const { p, q: [r] } = o;", js: '({ p, q: [r] } = o); __tsloop.defined("p", "r");' },
  { name: "hoisted functions are marked with them", code: "g();\nfunction g() {}", js: 'g = function g() { }; __tsloop.defined("g"); g();' },
  { name: "a class is marked where it is built", code: "class K {}\nnew K();", js: 'K = class K { }; __tsloop.defined("K"); new K();' },
  { name: "imports are marked after they loaded", code: 'import x from "m";\nx;', js: `x = __tsloop.default(await ${load("m")}); __tsloop.defined("x"); x;` },
  { name: "a var inside a block is marked after the block", code: "if (ok) { var v = 1; }", js: 'if (ok) { v = 1; } __tsloop.defined("v");' },
  { name: "enums are marked once built", code: "enum E { A }", js: 'E = void 0; __tsloop.defined("E"); (function (E) { E[E["A"] = 0] = "A"; })(E || (E = {}));' },
  { name: "statements that declare nothing get no marker", code: "console.log(1);\n1 + 1", js: "console.log(1); return { value: 1 + 1 };" },
];

describe("defined markers", () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(bodyOf(compile(c.code).js, { markers: true })).toBe(c.js);
    });
  }
});
