// The cell compiler with timelines on (`trace: true`): awaits at the cell's own scope report their line and
// source text, and the cell's async functions are wrapped so that each call becomes a task. Awaits inside
// the cell's functions are traced too (the runtime knows which task is awaiting, for deadlock reports).
import { describe, expect, it } from "vitest";
import { compileCell } from "../../../src/compiler/cell-compiler.js";
import { bodyOf } from "./helpers.js";

function traced(code: string): string {
  const result = compileCell(code, "/notebook/cell.ts", { trace: true });
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return bodyOf(result.cell.js);
}

const cases: { name: string; code: string; js: string }[] = [
  { name: "a top-level await reports its line and source text", code: "await sleep(300);", js: 'await __tsloop.awaited(sleep(300), 1, "sleep(300)");' },
  {
    name: "sequential awaits each report their own line",
    code: "await a();\n\nawait b();",
    js: 'await __tsloop.awaited(a(), 1, "a()"); await __tsloop.awaited(b(), 3, "b()");',
  },
  {
    name: "an await inside a declaration and an expression",
    code: "const v = 1 + (await f(2));",
    js: 'v = 1 + (await __tsloop.awaited(f(2), 1, "f(2)"));',
  },
  {
    name: "long operands are shortened in the label, whitespace folded",
    code: "await Promise.all([fetchSomethingQuiteLong(1),\n   fetchSomethingQuiteLong(2), fetchSomethingQuiteLong(3)]);",
    js: 'await __tsloop.awaited(Promise.all([fetchSomethingQuiteLong(1), fetchSomethingQuiteLong(2), fetchSomethingQuiteLong(3)]), 1, "Promise.all([fetchSomethingQuiteLong(1), fetchSomethingQu...");',
  },
  {
    name: "an async function declaration is wrapped so its calls are tasks",
    code: "async function load(id: number) { await get(id); }",
    js: 'load = __tsloop.traceAsync(async function load(id) { await __tsloop.awaited(get(id), 1, "get(id)", 1); }, 1);',
  },
  {
    name: "an async arrow bound to a const is wrapped",
    code: "\nconst load = async (id: number) => id;",
    js: "load = __tsloop.traceAsync(async (id) => id, 2);",
  },
  { name: "plain and generator functions are not wrapped", code: "function f() {}\nasync function* g() {}", js: "f = function f() { }; g = async function* g() { };" },
  {
    name: "awaits inside functions are traced with their own line, marked as inner",
    code: "const f = async () => {\n  await x;\n};",
    js: 'f = __tsloop.traceAsync(async () => { await __tsloop.awaited(x, 2, "x", 1); }, 1);',
  },
  {
    name: "the last expression keeps its value through the traced await",
    code: "await f()",
    js: 'return { value: await __tsloop.awaited(f(), 1, "f()") };',
  },
];

describe("compileCell with timelines on", () => {
  it.each(cases)("$name", ({ code, js }) => {
    expect(traced(code)).toBe(js);
  });

  it("emits no tracing when timelines are off (the default)", () => {
    const result = compileCell("async function f() {}\nawait f();", "/notebook/cell.ts");
    expect(result.ok && result.cell.js).not.toMatch(/awaited|traceAsync/);
  });
});
