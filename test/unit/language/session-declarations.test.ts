// How declarations carry across cells: a later cell sees an earlier cell's names with their types, a
// re-declaration replaces the old one (and code that used the old one keeps its old types), a cell that
// was not committed contributes nothing, and `let`/`const` behave as they would within one file.
import { utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SESSION_TIMEOUT, matchesAt, newSession, run } from "./helpers.js";

const messages = (diagnostics: { message: string }[]): string[] => diagnostics.map((d) => d.message);

describe("declarations across cells", () => {
  it(
    "names an old type after the run that declared it, with gaps between runs, and refuses a run committed twice or out of order",
    () => {
      const session = newSession();
      session.commit("interface Point { x: number }\nfunction origin(): Point { return { x: 0 }; }", 3);
      session.commit("interface Point { label: string }", 7);
      expect(messages(session.check("const p: Point = origin();", "c"))).toEqual(["Property 'label' is missing in type 'cell_3.Point' but required in type 'Point'."]);
      expect(() => session.commit("const again = 1;", 7)).toThrow("cannot commit cell run 7: runs are committed once each, in increasing order (the last was 7)");
      expect(() => session.commit("const early = 1;", 5)).toThrow(/cannot commit cell run 5/);
    },
    SESSION_TIMEOUT,
  );

  it(
    "lets a re-declared name's new type win, in completion and in type errors",
    () => {
      const session = newSession();
      run(session, "const x = 1;", 'const x = "s";');
      expect(matchesAt(session, "x.toUpp|")).toEqual(["toUpperCase"]);
      expect(messages(session.check("const n: number = x;", "c3"))).toEqual(["Type 'string' is not assignable to type 'number'."]);
      expect(session.check("const s: string = x;", "c4")).toEqual([]);
    },
    SESSION_TIMEOUT,
  );

  it(
    "adds nothing from a cell whose check failed and was not committed",
    () => {
      const session = newSession();
      expect(session.check("const lost: number = 'no';\nconst alsoLost = 1;", "c1")).toHaveLength(1);
      expect(messages(session.check("alsoLost;", "c2"))).toEqual(["Cannot find name 'alsoLost'."]);
      expect(matchesAt(session, "alsoL|")).toEqual([]);
    },
    SESSION_TIMEOUT,
  );

  it(
    "carries every kind of declaration: function, class, interface, type, enum, namespace, import",
    () => {
      const session = newSession();
      run(
        session,
        [
          `import { join } from "node:path";`,
          "function twice<T>(x: T): [T, T] { return [x, x]; }",
          "class Box<T> { constructor(readonly value: T) {} }",
          "interface Named { name: string }",
          "type Pair<T> = [T, T];",
          "enum Color { Red, Green }",
          "namespace Units { export type Metre = number; export const one: Metre = 1; }",
        ].join("\n"),
      );
      const later = [
        `const p: Pair<string> = twice("a");`,
        "const b: Box<number> = new Box(1);",
        "const n: Named = { name: join('a', 'b') };",
        "const c: Color.Red = Color.Red;",
        "const m: Units.Metre = Units.one;",
        "class Crate extends Box<string> implements Named { name = 'crate'; }",
      ].join("\n");
      expect(session.check(later, "c2")).toEqual([]);
      const [error, ...more] = session.check("const wrong: Pair<number> = twice('a');", "c3");
      expect(more).toEqual([]);
      expect(error?.message).toMatch(/^Type '\[string, string\]' is not assignable to type 'Pair<number>'\./);
    },
    SESSION_TIMEOUT,
  );

  it(
    "lets a later cell assign an earlier `let` (type-checked) but not a `const` or a function",
    () => {
      const session = newSession();
      run(session, "let count = 0;\nconst limit = 10;\nfunction step() {}");
      expect(session.check("count++;\ncount = limit;", "c2")).toEqual([]);
      const diagnostics = session.check('count = "many";\nlimit = 3;\nstep = () => {};', "c3");
      expect(diagnostics.map((d) => [d.line, d.code, d.message])).toEqual([
        [1, 2322, "Type 'string' is not assignable to type 'number'."],
        [2, 2588, "Cannot assign to 'limit' because it is a constant."],
        [3, 2630, "Cannot assign to 'step' because it is a function."],
      ]);
    },
    SESSION_TIMEOUT,
  );

  it(
    "keeps the old types for code that used a re-declared type",
    () => {
      const session = newSession();
      run(
        session,
        "interface Point { x: number }\nfunction origin(): Point { return { x: 0 }; }",
        "const first = origin();\nfunction again() { return origin(); }",
        "interface Point { label: string }",
      );
      expect(session.check("const a: { x: number } = again();\nconst b: Point = { label: 'p' };", "c4")).toEqual([]);
      const [error] = session.check("const c: Point = origin();", "c5");
      expect(error?.message).toBe("Property 'label' is missing in type 'cell_0.Point' but required in type 'Point'.");
    },
    SESSION_TIMEOUT,
  );

  it(
    "keeps each re-declaration's meaning for the cells that used it, through several re-declarations",
    () => {
      const session = newSession();
      run(
        session,
        "interface P { v: 1 }\nconst p1: P = { v: 1 };",
        "interface P { v: 2 }\nconst p2: P = { v: 2 };\nconst old = p1;",
        "interface P { v: 3 }\nconst both = [p1, p2] as const;",
      );
      const code = "const a: 1 = p1.v;\nconst b: 2 = p2.v;\nconst c: 1 = old.v;\nconst d: readonly [{ v: 1 }, { v: 2 }] = both;\nconst e: P = { v: 3 };";
      expect(session.check(code, "c4")).toEqual([]);
    },
    SESSION_TIMEOUT,
  );

  it(
    "lets a cell use names that an existing global already has (`input` of the cell API, `crypto`)",
    () => {
      const session = newSession();
      run(session, 'const input = "text";\nimport * as crypto from "node:crypto";');
      expect(session.check("const upper: string = input.toUpperCase();\nconst id: string = crypto.randomUUID();", "c2")).toEqual([]);
      expect(matchesAt(session, "crypto.randomU|")).toEqual(["randomUUID"]);
      expect(messages(session.check("const n: number = input;", "c3"))).toEqual(["Type 'string' is not assignable to type 'number'."]);
    },
    SESSION_TIMEOUT,
  );

  it(
    "sees an edit of the notebook's own module at the next check",
    () => {
      const session = newSession({ "util.ts": "export const size = 1;\n" });
      const cwd = session.cwd;
      expect(session.check('import { size } from "./util.ts";\nconst n: number = size;', "c1")).toEqual([]);
      writeFileSync(join(cwd, "util.ts"), 'export const size = "large";\n');
      utimesSync(join(cwd, "util.ts"), new Date(), new Date(Date.now() + 10_000));
      expect(messages(session.check('import { size } from "./util.ts";\nconst n: number = size;', "c2"))).toEqual([
        "Type 'string' is not assignable to type 'number'.",
      ]);
    },
    SESSION_TIMEOUT,
  );
});
