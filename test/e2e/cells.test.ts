// TypeScript cells on one persistent event loop, through the real kernel process: declarations persist,
// late output finds the cell that started it, errors map to cell lines, interrupts keep the session.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { kernelBuilt, parentId, plain } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";

const strip = stripVTControlCharacters;

describe.runIf(kernelBuilt())("TypeScript cells through the real kernel", () => {
  const session = useKernel("cells", {
    env: { TSLOOP_TYPECHECK: "off" },
    prepare: (dir) => {
      // An ESM-only package (exports with only an "import" condition) and a local TypeScript module.
      const pkg = join(dir, "node_modules", "esm-only-greeter");
      mkdirSync(pkg, { recursive: true });
      writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "esm-only-greeter", type: "module", exports: { ".": { import: "./index.js" } } }));
      writeFileSync(join(pkg, "index.js"), 'export function greet(name) { return `hello, ${name}`; }\nexport default "esm default";\n');
      writeFileSync(join(dir, "helpers.ts"), "export function double(n: number): number { return n * 2; }\nexport const label: string = 'local ts';\n");
    },
  });

  it("keeps declarations of every kind across cells, and re-running a const replaces it", async () => {
    const kernel = session();
    const first = await kernel.execute(
      "const a = 1; let b = 2; var c = 3; function f() { return a + b + c; }\nclass K { v = 7 }\nenum E { X = 5 }\nconst { p, q: [r] } = { p: 4, q: [6] };",
    );
    expect(first.reply.content.status).toBe("ok");
    const sum = await kernel.execute("f() + new K().v + E.X + p + r");
    expect(plain(sum.outputs.results[0])).toBe("28");
    await kernel.execute("const a = 10");
    expect(plain((await kernel.execute("a")).outputs.results[0])).toBe("10");
  });

  it("shows the last expression, and a trailing semicolon suppresses it", async () => {
    const kernel = session();
    expect(plain((await kernel.execute("6 * 7")).outputs.results[0])).toBe("42");
    expect((await kernel.execute("6 * 7;")).outputs.results).toHaveLength(0);
    expect((await kernel.execute("undefined")).outputs.results).toHaveLength(0);
    expect(plain((await kernel.execute("await Promise.resolve('awaited')")).outputs.results[0])).toBe("'awaited'");
  });

  it("shows a promise as Promise { value } without the kernel's async bookkeeping", async () => {
    const kernel = session();
    expect(plain((await kernel.execute("Promise.resolve(1)")).outputs.results[0])).toBe("Promise { 1 }");
    expect(plain((await kernel.execute("[new Promise(() => {})]")).outputs.results[0])).toBe("[ Promise { <pending> } ]");
  });

  it("lets a cell declare a name that is a read-only Node global (import * as crypto)", async () => {
    const kernel = session();
    const r = await kernel.execute('import * as crypto from "node:crypto";\ntypeof crypto.randomUUID');
    expect(plain(r.outputs.results[0])).toBe("'function'");
  });

  it("sends output of a timer that fires during a later cell with the first cell's parent", async () => {
    const kernel = session();
    const cell1 = await kernel.execute("setTimeout(() => console.log('late from cell 1'), 300);");
    const cell2 = kernel.sendExecute("await sleep(800); console.log('cell 2 done')");
    const late = await kernel.waitFor((m) => m.header.msg_type === "stream" && String(m.content.text).includes("late from cell 1"), 5000);
    expect(parentId(late)).toBe(cell1.request.msg_id);
    const done = await kernel.collect(cell2);
    expect(done.outputs.stdout).toContain("cell 2 done");
    expect(done.outputs.stdout).not.toContain("late from cell 1");
  });

  it("sends output of a timer that fires while the kernel is idle, without status messages", async () => {
    const kernel = session();
    const cell = await kernel.execute("setTimeout(() => console.log('idle tick'), 200);");
    const statusBefore = kernel.iopubFor(cell.request.msg_id).filter((m) => m.header.msg_type === "status").length;
    const late = await kernel.waitFor((m) => m.header.msg_type === "stream" && String(m.content.text).includes("idle tick"), 5000);
    expect(parentId(late)).toBe(cell.request.msg_id);
    await kernel.execute("1;");
    expect(kernel.iopubFor(cell.request.msg_id).filter((m) => m.header.msg_type === "status").length).toBe(statusBefore);
  });

  it("keeps an interval ticking across three cells and clears it from a fourth", async () => {
    const kernel = session();
    const start = await kernel.execute("let ticks = 0; const handle = setInterval(() => { ticks++; console.log('tick', ticks); }, 50);");
    await kernel.execute("await sleep(120);");
    await kernel.execute("await sleep(120);");
    const before = Number(plain((await kernel.execute("ticks")).outputs.results[0]));
    expect(before).toBeGreaterThanOrEqual(3);
    await kernel.execute("clearInterval(handle);");
    const t1 = Number(plain((await kernel.execute("await sleep(200); ticks")).outputs.results[0]));
    const t2 = Number(plain((await kernel.execute("await sleep(200); ticks")).outputs.results[0]));
    expect(t2).toBe(t1);
    const tickStreams = kernel.messages.filter((m) => m.header.msg_type === "stream" && /^tick \d/m.test(String(m.content.text)));
    expect(tickStreams.length).toBeGreaterThan(0);
    expect(tickStreams.every((m) => parentId(m) === start.request.msg_id)).toBe(true);
  });

  it("gathers three 300 ms sleeps concurrently in about 300 ms", async () => {
    const kernel = session();
    const r = await kernel.execute("const t0 = performance.now(); await Promise.all([sleep(300), sleep(300), sleep(300)]); Math.round(performance.now() - t0)");
    const ms = Number(plain(r.outputs.results[0]));
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(750);
  });

  it("shows an unhandled rejection from a timer in its cell, and the next cell runs", async () => {
    const kernel = session();
    const cell = await kernel.execute("setTimeout(() => { Promise.reject(new Error('background failure')); }, 50);");
    const error = await kernel.waitFor((m) => m.header.msg_type === "error" && String(m.content.evalue).includes("background failure"), 5000);
    expect(parentId(error)).toBe(cell.request.msg_id);
    const next = await kernel.execute("'still alive'");
    expect(plain(next.outputs.results[0])).toBe("'still alive'");
  });

  it("shows an exception thrown in a timer callback in its cell, with the cell line", async () => {
    const kernel = session();
    const cell = await kernel.execute("// a comment\nsetTimeout(() => {\n  throw new RangeError('thrown later');\n}, 20);");
    const error = await kernel.waitFor((m) => m.header.msg_type === "error" && String(m.content.evalue).includes("thrown later"), 5000);
    expect(parentId(error)).toBe(cell.request.msg_id);
    expect(error.content.ename).toBe("RangeError");
    expect(strip((error.content.traceback as string[]).join("\n"))).toMatch(/line 3/);
  });

  it("maps a traceback to the cell's TypeScript line after type-only lines", async () => {
    const kernel = session();
    const r = await kernel.execute("interface Point {\n  x: number;\n  y: number;\n}\ntype Id = string;\nconst pt: Point = { x: 1, y: 2 };\nthrow new Error('on line 7');");
    expect(r.reply.content.status).toBe("error");
    const tb = strip((r.reply.content.traceback as string[]).join("\n"));
    expect(tb).toMatch(/Cell In\[\d+\], line 7/);
    expect(tb).not.toMatch(/dist\/runtime|node:internal/);
    // The declarations before the throw were kept (IPython's rule): pt is defined after the failed cell.
    expect(plain((await kernel.execute("typeof pt")).outputs.results[0])).toBe("'object'");
  });

  it("keeps what ran of a failed cell and leaves the declarations after the throw undefined", async () => {
    const kernel = session();
    const r = await kernel.execute("const madeBefore = 1;\nthrow new Error('fail after declaring');\nconst madeAfter = 2;");
    expect(r.reply.content.status).toBe("error");
    expect(plain((await kernel.execute("typeof madeBefore")).outputs.results[0])).toBe("'number'");
    expect(plain((await kernel.execute("typeof madeAfter")).outputs.results[0])).toBe("'undefined'");
  });

  it("reports a syntax error with the line and a caret, and runs nothing", async () => {
    const kernel = session();
    const r = await kernel.execute("console.log('not printed');\nconst = ;");
    expect(r.reply.content.ename).toBe("SyntaxError");
    expect(r.outputs.stdout).toBe("");
    const tb = strip((r.reply.content.traceback as string[]).join("\n"));
    expect(tb).toMatch(/line 2/);
    expect(tb).toContain("^");
  });

  it("delivers all 100,000 printed lines, in order, in far fewer messages", async () => {
    const kernel = session();
    const r = await kernel.execute("for (let i = 0; i < 100000; i++) console.log(i);", { timeoutMs: 60_000 });
    const lines = r.outputs.stdout.split("\n").filter((l) => l !== "");
    expect(lines.length).toBe(100_000);
    expect(lines[0]).toBe("0");
    expect(lines[99_999]).toBe("99999");
    expect(lines.every((l, i) => l === String(i))).toBe(true);
    expect(r.outputs.streams.length).toBeLessThan(2000);
  });

  it("imports an ESM-only npm package and a local .ts module from the notebook's folder", async () => {
    const kernel = session();
    const r = await kernel.execute('import greeter, { greet } from "esm-only-greeter";\nimport { double, label } from "./helpers.ts";\n`${greet("ts")} ${greeter} ${double(21)} ${label}`');
    expect(r.reply.content.status).toBe("ok");
    expect(plain(r.outputs.results[0])).toBe("'hello, ts esm default 42 local ts'");
    expect(r.outputs.stderr).toBe(""); // no ExperimentalWarning about the vm import loader in the user's cell
    const missing = await kernel.execute('import nothing from "no-such-package-xyz";');
    expect(missing.reply.content.evalue).toMatch(/no-such-package-xyz/);
    expect(missing.reply.content.evalue).toMatch(/node_modules/);
  });

  it("does not let process.exit() kill the session", async () => {
    const kernel = session();
    const r = await kernel.execute("process.exit(3)");
    expect(r.reply.content.status).toBe("error");
    expect(String(r.reply.content.evalue)).toMatch(/restart/i);
    expect(plain((await kernel.execute("1 + 1")).outputs.results[0])).toBe("2");
  });

  it("displays rich values and updates a display in place", async () => {
    const kernel = session();
    const r = await kernel.execute('const h = display(html("<b>first</b>")); h.update(markdown("**second**"));');
    expect(r.outputs.displays[0]?.content.data).toMatchObject({ "text/html": "<b>first</b>" });
    const id = (r.outputs.displays[0]?.content.transient as { display_id: string }).display_id;
    expect(r.outputs.updates[0]?.content.transient).toEqual({ display_id: id });
    const custom = await kernel.execute('({ [Symbol.for("Jupyter.display")]() { return { "text/html": "<i>custom</i>" }; } })');
    expect(custom.outputs.results[0]?.content.data).toMatchObject({ "text/html": "<i>custom</i>" });
  });

  describe("interrupts keep the session's state", () => {
    it("stops a busy synchronous loop", async () => {
      const kernel = session();
      await kernel.execute("const kept = 'state survives';");
      const cell = kernel.sendExecute("console.log('spinning');\nwhile (true) {}");
      await kernel.waitFor((m) => m.header.msg_type === "stream" && parentId(m) === cell.msg_id && String(m.content.text).includes("spinning"), 20_000);
      const t0 = performance.now();
      await kernel.request("control", "interrupt_request");
      const r = await kernel.collect(cell, 30_000);
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(r.reply.content.ename).toBe("Interrupted");
      expect(plain((await kernel.execute("kept")).outputs.results[0])).toBe("'state survives'");
    });

    it("stops unguarded synchronous code (a catastrophic regex) with a signal", async () => {
      const kernel = session();
      const cell = kernel.sendExecute("console.log('spinning');\n/^(a+)+$/.test('a'.repeat(40) + 'b')");
      await kernel.waitFor((m) => m.header.msg_type === "stream" && parentId(m) === cell.msg_id && String(m.content.text).includes("spinning"), 20_000);
      await kernel.request("control", "interrupt_request");
      const r = await kernel.collect(cell, 30_000);
      expect(r.reply.content.ename).toBe("Interrupted");
      expect(plain((await kernel.execute("kept")).outputs.results[0])).toBe("'state survives'");
    });

    it("stops a busy loop that runs after an await", async () => {
      const kernel = session();
      const cell = kernel.sendExecute("await sleep(50);\nconsole.log('spinning');\nwhile (true) {}");
      await kernel.waitFor((m) => m.header.msg_type === "stream" && parentId(m) === cell.msg_id && String(m.content.text).includes("spinning"), 20_000);
      await kernel.request("control", "interrupt_request");
      const r = await kernel.collect(cell);
      expect(r.reply.content.ename).toBe("Interrupted");
      expect(plain((await kernel.execute("kept")).outputs.results[0])).toBe("'state survives'");
    });

    it("stops a busy loop inside a timer callback and reports it in the timer's cell", async () => {
      const kernel = session();
      const cell = await kernel.execute("setTimeout(() => { console.log('spinning in the timer'); while (true) {} }, 10);");
      // Interrupt once the timer's loop runs (its output says so), not after a guessed sleep.
      await kernel.waitFor((m) => m.header.msg_type === "stream" && parentId(m) === cell.request.msg_id && String(m.content.text).includes("spinning in the timer"), 20_000);
      await kernel.request("control", "interrupt_request");
      const error = await kernel.waitFor((m) => m.header.msg_type === "error" && parentId(m) === cell.request.msg_id, 5000);
      expect(error.content.ename).toBe("Interrupted");
      expect(plain((await kernel.execute("kept")).outputs.results[0])).toBe("'state survives'");
    });

    it("stops a cell awaiting a promise that never settles, and aborts its signal", async () => {
      const kernel = session();
      // A live interval: the await is not a deadlock (the interval could settle it), so only Interrupt ends it.
      const cell = kernel.sendExecute("let aborted = false; tsloop.signal.addEventListener('abort', () => { aborted = true; });\nconst alive = setInterval(() => {}, 1000);\nconsole.log('waiting');\nawait new Promise(() => {});");
      await kernel.waitFor((m) => m.header.msg_type === "stream" && parentId(m) === cell.msg_id && String(m.content.text).includes("waiting"), 30_000);
      await kernel.request("control", "interrupt_request");
      const r = await kernel.collect(cell);
      expect(r.reply.content.ename).toBe("Interrupted");
      const after = await kernel.execute("clearInterval(alive); aborted");
      expect(plain(after.outputs.results[0]), JSON.stringify(after.reply.content)).toBe("true");
      expect(plain((await kernel.execute("kept")).outputs.results[0])).toBe("'state survives'");
    });
  });
});
