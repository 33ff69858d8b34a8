// What check() reports: diagnostics at the user's own line and column (UTF-16), syntax errors alone when there
// are any, nothing for `// @ts-nocheck`, and diagnostics that make no sense in a notebook filtered by a table.
import { beforeAll, describe, expect, it } from "vitest";
import { IGNORED_DIAGNOSTICS } from "../../../src/language/diagnostics.js";
import type { SessionLanguageService } from "../../../src/language/session-service.js";
import { SESSION_TIMEOUT, newSession, run } from "./helpers.js";

describe("diagnostics", () => {
  let session: SessionLanguageService;
  beforeAll(() => {
    session = newSession();
    run(session, "const total = 3;");
  }, SESSION_TIMEOUT);

  it("reports a type error on line 3 of a cell at line 3, with its column and length", () => {
    const code = ["const a = 1;", "const b = total + a;", '  const c: number = "three";'].join("\n");
    expect(session.check(code, "c")).toEqual([
      { line: 3, column: 9, length: 1, message: "Type 'string' is not assignable to type 'number'.", code: 2322, category: "error" },
    ]);
  });

  it("counts columns in UTF-16 units after emoji", () => {
    const [d] = session.check('const s = "😀"; const n: number = s;', "c");
    expect(d).toMatchObject({ line: 1, column: 23, code: 2322 });
  });

  it("reports syntax errors alone, at the end of the cell for an unclosed brace", () => {
    const diagnostics = session.check("function f() {\n  const x: number = 'a';", "c");
    expect(diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([[2, 25, "'}' expected."]]);
  });

  // The kernel does not even ask for a `// @ts-nocheck` cell (its plan says so); when asked, TypeScript's own pragma
  // still holds, because the session's prelude goes below the cell's leading pragmas.
  it("reports nothing for a cell that starts with // @ts-nocheck, TypeScript honouring the pragma above the prelude", () => {
    expect(session.check("// @ts-nocheck\nconst x: number = 'a';\nundefinedName();", "c")).toEqual([]);
    expect(session.check("// setup\n// @ts-nocheck\nconst x: number = 'a';", "c")).toEqual([]);
  });

  it("allows top-level await and for await", () => {
    expect(session.check("const v = await Promise.resolve(1);\nfor await (const x of [1]) {}", "c")).toEqual([]);
  });

  it("still reports a name declared twice within one cell", () => {
    expect(session.check("let twice = 1;\nlet twice = 2;", "c").map((d) => d.code)).toEqual([2451, 2451]);
  });

  it("keeps triple-slash directives and pragmas working at the top of the cell", () => {
    expect(session.check('/// <reference lib="dom" />\nconst el: HTMLElement | null = null;\nconst n: string = total;', "c").map((d) => d.line)).toEqual([3]);
  });

  it("gives every ignored diagnostic a reason", () => {
    for (const [code, rule] of IGNORED_DIAGNOSTICS) expect(rule.reason.length, `TS${code}`).toBeGreaterThan(10);
  });
});

describe("diagnostics with the notebook's tsconfig.json", () => {
  it(
    "honours its strictness flags, but never reports a top-level declaration as unused",
    () => {
      const tsconfig = JSON.stringify({ compilerOptions: { noUnusedLocals: true, noUncheckedIndexedAccess: true, module: "commonjs" } });
      const session = newSession({ "tsconfig.json": tsconfig });
      const code = 'import { join } from "node:path";\nconst unused = 1;\nfunction f() { const inner = 1; }\nconst first: number = [1][0];';
      const diagnostics = session.check(code, "c");
      expect(diagnostics.map((d) => [d.line, d.code])).toEqual([
        [3, 6133], // 'inner' is declared but its value is never read: inside a function, a real finding
        [4, 2322], // noUncheckedIndexedAccess: number | undefined
      ]);
      expect(session.configFile).toMatch(/tsconfig\.json$/);
    },
    SESSION_TIMEOUT,
  );

  it(
    "checks JSX when it enables jsx, with top-level await and earlier cells still working",
    () => {
      const session = newSession({ "tsconfig.json": JSON.stringify({ compilerOptions: { jsx: "preserve" } }) });
      const first = "declare global { namespace JSX { interface IntrinsicElements { div: { id?: string } } } }\nconst n = await Promise.resolve(1);";
      run(session, first);
      const diagnostics = session.check('const ok = <div id="a" />;\nconst bad = <div id={n} />;', "c2");
      expect(diagnostics.map((d) => [d.line, d.code])).toEqual([[2, 2322]]);
      expect(session.isComplete("const el = <div>")).toEqual({ status: "incomplete", indent: "  " });
    },
    SESSION_TIMEOUT,
  );
});
