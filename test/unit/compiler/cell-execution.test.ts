// Compiled cells actually run: each test evaluates scripts from compileCell in a fresh vm context with a fake
// `__tsloop`, as the runtime does, and checks what a notebook user would see.
import { SourceMap } from "node:module";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { Interrupted, compile, createNotebook } from "./helpers.js";

describe("running compiled cells", () => {
  it("keeps declarations across cells", async () => {
    const { run } = createNotebook();
    await run("const greeting: string = 'hello'\nlet count = 1\nclass Box { constructor(public v: number) {} }");
    expect(await run("`${greeting} ${count + 1} ${new Box(3).v}`")).toEqual({ value: "hello 2 3" });
  });

  it("lets a cell that declares a const run again with a new value", async () => {
    const { run } = createNotebook();
    await run("const x = 1");
    await run("const x = 1");
    await run("const x = 2");
    expect(await run("x")).toEqual({ value: 2 });
  });

  it("resolves to undefined when the last statement ends with a semicolon", async () => {
    const { run } = createNotebook();
    expect(await run("1 + 1;")).toBeUndefined();
    expect(await run("1 + 1")).toEqual({ value: 2 });
  });

  it("hoists functions so they can be called before their declaration", async () => {
    const { run } = createNotebook();
    expect(await run("const y = double(21)\nfunction double(n: number) { return n * 2 }\ny")).toEqual({ value: 42 });
  });

  it("awaits at the top level, including Promise.all", async () => {
    const { run } = createNotebook();
    const code = [
      "const later = (v: number) => new Promise<number>((resolve) => setTimeout(() => resolve(v), 0))",
      "const [a, b] = await Promise.all([later(1), later(2)]);", // `;`: the next line starts with a backtick
      "`${a + b} ${await later(3)}`",
    ].join("\n");
    expect(await run(code)).toEqual({ value: "3 3" });
  });

  it("declares destructured names and top-level var in loops as globals", async () => {
    const { run } = createNotebook();
    await run("const { a, b: [c, , d = 4], ...rest } = { a: 1, b: [3], e: 5 }\nfor (var i = 0; i < 3; i++) {}");
    expect(await run("[a, c, d, rest, i]")).toEqual({ value: [1, 3, 4, { e: 5 }, 3] });
  });

  it("rebuilds an enum when its cell runs again", async () => {
    const { run } = createNotebook();
    await run("enum Color { Red, Green }");
    await run("enum Color { Red, Blue }");
    expect(await run("[Color.Blue, (Color as any).Green, Color[1]]")).toEqual({ value: [1, undefined, "Blue"] });
  });

  it("binds static imports through __tsloop", async () => {
    const { run } = createNotebook({ pkg: { default: "dflt", answer: 42 } });
    expect(await run('import d, { answer as a } from "pkg"\nimport * as ns from "pkg"\n[d, a, ns.answer]')).toEqual({
      value: ["dflt", 42, 42],
    });
  });

  it("loads a real module through the loader closure written in the cell", async () => {
    const { run } = createNotebook();
    expect(await run('const path = await import("node:path")\npath.posix.join("a", "b")')).toEqual({ value: "a/b" });
  });

  it("interrupts a busy loop inside a callback once the flag is raised", async () => {
    const { run, flag } = createNotebook();
    await run("let ticks = 0\nfunction later(callback: () => void) { callback() }");
    const cell = run("later(() => { while (true) { ticks++; if (ticks === 1000) raiseInterrupt() } })");
    await expect(cell).rejects.toBeInstanceOf(Interrupted);
    flag[0] = 0;
    expect(await run("ticks")).toEqual({ value: 1000 });
  });

  it("interrupts a loop in a timer callback", async () => {
    const { run, flag } = createNotebook();
    flag[0] = 1;
    const code = "await new Promise((resolve) => setTimeout(() => { try { for (;;) {} } catch (error) { resolve(error) } }, 0))";
    expect(await run(code)).toEqual({ value: expect.any(Interrupted) });
  });

  it("runs cells that need TypeScript's helpers, which sit before the wrapper", async () => {
    const { run } = createNotebook();
    const code = "function tag<T extends new () => object>(value: T, _context: ClassDecoratorContext) { (value as any).tagged = true }\n@tag class Tagged {}\n(Tagged as any).tagged";
    expect(await run(code)).toEqual({ value: true });
  });

  it("rejects with the error a cell throws", async () => {
    const { run } = createNotebook();
    await expect(run("throw new RangeError('nope')")).rejects.toThrow("nope");
  });
});

/** The cell's 1-based line for the first stack frame in `fileName`, through the cell's source map. */
function originalLineOfThrow(error: unknown, fileName: string, sourceMap: string): number | undefined {
  const stack = error instanceof Error || (typeof error === "object" && error !== null) ? String((error as Error).stack) : "";
  const frame = new RegExp(`${fileName.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:(\\d+):(\\d+)`).exec(stack);
  if (frame === null) return undefined;
  const entry = new SourceMap(JSON.parse(sourceMap)).findEntry(Number(frame[1]) - 1, Number(frame[2]) - 1);
  return "originalLine" in entry ? entry.originalLine + 1 : undefined;
}

describe("source maps of compiled cells", () => {
  const cases = [
    {
      name: "a throw inside a hoisted function, below types and interfaces",
      code: [
        "interface Point {",
        "  x: number",
        "}",
        "type Id = string",
        "const origin: Point = { x: 0 }",
        "function fail(reason: Id): never {",
        "  throw new Error(reason)",
        "}",
        "fail('boom')",
      ],
      line: 7,
    },
    {
      name: "a top-level throw after imports, an enum and a type",
      code: [
        'import { thing } from "pkg"',
        "type Maybe<T> = T | undefined",
        "enum Mode { A }",
        "const m: Maybe<Mode> = Mode.A",
        "if (m === Mode.A) {",
        "  throw new Error(`mode ${m} ${thing}`)",
        "}",
      ],
      line: 6,
    },
    {
      name: "a throw in a class method called from a later line",
      code: ["declare const unused: number", "class Account {", "  withdraw(): void {", "    throw new Error('no funds')", "  }", "}", "new Account().withdraw()"],
      line: 4,
    },
  ];

  it.each(cases)("maps $name back to its TypeScript line", async ({ code, line }) => {
    const fileName = "/notebook/mapped-cell.ts";
    const cell = compile(code.join("\n"), fileName);
    const { run } = createNotebook({ pkg: { thing: "t" } });
    const error = await run(code.join("\n"), fileName).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeDefined(); // an Error of the cell's realm, so no instanceof check here
    expect(originalLineOfThrow(error, fileName, cell.sourceMap)).toBe(line);
  });

  it("points at the cell's file as the original source", () => {
    const cell = compile("type A = 1\nconst a = 1", "/notebook/x.ts");
    const entry = new SourceMap(JSON.parse(cell.sourceMap)).findEntry(2, 4);
    expect(entry).toMatchObject({ originalSource: "/notebook/x.ts", originalLine: 1 });
  });

  it("evaluates to a promise in the context it runs in", async () => {
    const context = vm.createContext({ __tsloop: {} });
    const value: unknown = new vm.Script(compile("1").js).runInContext(context);
    expect(typeof (value as Promise<unknown>).then).toBe("function");
    expect(await value).toEqual({ value: 1 });
  });
});
