// The Jupyter debug protocol through the real kernel, in the order JupyterLab's debugger sends it: breakpoints in
// TypeScript lines, stepping (over awaits too), frames, scopes and variables, evaluation, exceptions, and the
// kernel still answering (heartbeat, kernel_info, interrupt, shutdown) while the main thread is paused.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KernelClient, kernelBuilt } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";
import { Dap } from "./debugger-client.js";

const DISTANCE = [
  "interface Point { x: number; y: number }",
  "type Pair = [Point, Point];",
  "function dist(p: Point, q: Point): number {",
  "  const dx: number = p.x - q.x;",
  "  const dy: number = p.y - q.y;",
  "  return Math.sqrt(dx * dx + dy * dy);",
  "}",
  "const pair: Pair = [{ x: 0, y: 0 }, { x: 3, y: 4 }];",
  "const d = dist(...pair);",
  "d",
].join("\n");

describe.runIf(kernelBuilt())("the debugger (Jupyter debug protocol)", () => {
  const session = useKernel("debugger");

  it("says debugger: true in kernel_info and announces how it names cells", async () => {
    const kernel = session();
    const info = await kernel.request("control", "kernel_info_request");
    expect(info.content.debugger).toBe(true);
    const dap = new Dap(kernel);
    const debugInfo = await dap.start();
    expect(debugInfo.body).toMatchObject({ isStarted: true, hashMethod: "Murmur2", tmpFileSuffix: ".ts", stoppedThreads: [], richRendering: true });
    expect(typeof debugInfo.body.hashSeed).toBe("number");
    expect(kernel.violations).toEqual([]);
  });

  it("stops at a breakpoint on a TS line below type-only lines, shows TS frames and locals, steps and continues", async () => {
    const kernel = session();
    const dap = new Dap(kernel);
    const { path, lines } = await dap.breakAt(DISTANCE, [4]);
    expect(lines).toEqual([4]);
    const mark = dap.mark();
    const run = kernel.sendExecute(DISTANCE);
    const stopped = await dap.event("stopped", mark);
    expect(stopped.content.body).toMatchObject({ reason: "breakpoint", threadId: 1 });
    const frames = await dap.stack();
    expect(frames.map((f) => [f.name, f.line])).toEqual([["dist", 4], ["cell [1]", 9]]);
    expect(frames[0]!.path).toBe(path);
    const locals = await dap.variables(frames[0]!.id, "Locals");
    expect(locals.p).toBe("{x: 0, y: 0}");
    const session_ = await dap.variables(frames[0]!.id, "Session");
    expect(Object.keys(session_)).toEqual(expect.arrayContaining(["dist", "pair"]));
    const stepMark = dap.mark();
    await dap.request("next", { threadId: 1 });
    expect((await dap.event("stopped", stepMark)).content.body).toMatchObject({ reason: "step" });
    const after = await dap.stack();
    expect(after[0]!.line).toBe(5);
    const evaluated = await dap.request("evaluate", { expression: "dx * 2", frameId: after[0]!.id, context: "repl" });
    expect(evaluated.body.result).toBe("-6");
    await dap.request("continue", { threadId: 1 });
    const done = await kernel.collect(run);
    expect(done.reply.content.status).toBe("ok");
    expect(done.outputs.results[0]?.content.data).toMatchObject({ "text/plain": "5" });
    // the seconds spent paused are not a blocked event loop
    expect(done.outputs.stderr).toBe("");
    expect(kernel.violations).toEqual([]);
  });

  it("stops in an async function after an await, shows the awaiting cell in the async chain, and steps over an await to the next line", async () => {
    const kernel = session();
    const dap = new Dap(kernel);
    const code = [
      "async function load(n: number): Promise<number> {",
      "  const start: number = n * 10;",
      "  await new Promise<void>((r) => setTimeout(r, 20));",
      "  const doubled = start * 2;",
      "  return doubled + 1;",
      "}",
      "const total = await load(2);",
      "total",
    ].join("\n");
    await dap.breakAt(code, [3]);
    const mark = dap.mark();
    const run = kernel.sendExecute(code);
    await dap.event("stopped", mark);
    expect((await dap.stack())[0]).toMatchObject({ name: "load", line: 3 });
    const stepMark = dap.mark();
    await dap.request("next", { threadId: 1 });
    expect((await dap.event("stopped", stepMark)).content.body).toMatchObject({ reason: "step" });
    const frames = await dap.stack();
    expect(frames[0]).toMatchObject({ name: "load", line: 4 });
    // after the await the synchronous stack is just `load`; the cell that awaits it is in V8's async chain
    expect(frames.some((f) => f.name === "cell [2]" && f.line === 7)).toBe(true);
    expect(await dap.variables(frames[0]!.id, "Locals")).toMatchObject({ n: "2", start: "20" });
    await dap.request("continue", { threadId: 1 });
    const done = await kernel.collect(run);
    expect(done.outputs.results[0]?.content.data).toMatchObject({ "text/plain": "41" });
    await dap.request("setBreakpoints", { source: { path: (await dap.request("dumpCell", { code })).body.sourcePath }, breakpoints: [] });
    expect(kernel.violations).toEqual([]);
  });

  it("stops in a timer callback started by an earlier cell, with that cell as the frame's source", async () => {
    const kernel = session();
    const dap = new Dap(kernel);
    const code = ["let ticks = 0;", "function tick(): void {", "  ticks++;", "}", "const timer = setInterval(tick, 50);"].join("\n");
    expect((await kernel.execute(code)).reply.content.status).toBe("ok");
    const mark = dap.mark();
    const { path } = await dap.breakAt(code, [3]);
    await dap.event("stopped", mark);
    const frames = await dap.stack();
    expect(frames[0]).toMatchObject({ name: "tick", line: 3, path });
    await dap.request("setBreakpoints", { source: { path }, breakpoints: [] });
    await dap.request("continue", { threadId: 1 });
    expect((await kernel.execute("clearInterval(timer);")).reply.content.status).toBe("ok");
    expect(kernel.violations).toEqual([]);
  });

  it("pauses on an uncaught exception thrown in a cell (and not on one the cell catches)", async () => {
    const kernel = session();
    const dap = new Dap(kernel);
    await dap.request("setExceptionBreakpoints", { filters: ["uncaught"] });
    const code = ["try {", "  JSON.parse(\"{\");", "} catch {}", "function boom(): never {", "  throw new Error(\"boom\");", "}", "boom();"].join("\n");
    const mark = dap.mark();
    const run = kernel.sendExecute(code);
    const stopped = await dap.event("stopped", mark);
    expect(stopped.content.body).toMatchObject({ reason: "exception" });
    expect((await dap.stack())[0]).toMatchObject({ name: "boom", line: 5 });
    await dap.request("setExceptionBreakpoints", { filters: [] });
    await dap.request("continue", { threadId: 1 });
    const done = await kernel.collect(run);
    expect(done.reply.content).toMatchObject({ status: "error", evalue: "boom" });
    expect(kernel.violations).toEqual([]);
  });

  it("lists the notebook's variables (inspectVariables) and renders one as display() would (richInspectVariables)", async () => {
    const kernel = session();
    const dap = new Dap(kernel);
    const vars = await dap.request("inspectVariables");
    const byName = Object.fromEntries((vars.body.variables as { name: string; value: string }[]).map((v) => [v.name, v.value]));
    expect(byName).toMatchObject({ d: "5", total: "41" });
    expect(Object.keys(byName)).not.toContain("setTimeout");
    const rich = await dap.request("richInspectVariables", { variableName: "pair" });
    expect(String(rich.body.data["text/plain"])).toContain("x: 3");
    expect(kernel.violations).toEqual([]);
  });

  it("steps into a function of an earlier cell and out again, expands Maps, Sets, promises and closures, serves a cell's source", async () => {
    const kernel = session();
    const dap = new Dap(kernel);
    const library = ["function makeCounter(start: number) {", "  let count = start;", "  return () => {", "    count += 1;", "    return count;", "  };", "}"].join("\n");
    expect((await kernel.execute(library)).reply.content.status).toBe("ok");
    const code = [
      "const counter = makeCounter(10);",
      "const seen = new Map<string, number>([[\"a\", 1]]);",
      "const tags = new Set([\"x\"]);",
      "const ready = Promise.resolve(42);",
      "const next = counter();",
      "next",
    ].join("\n");
    const { path } = await dap.breakAt(code, [5]);
    const mark = dap.mark();
    const run = kernel.sendExecute(code);
    await dap.event("stopped", mark);
    const frames = await dap.stack();
    const session_ = await dap.request("scopes", { frameId: frames[0]!.id });
    const sessionRef = (session_.body.scopes as { name: string; variablesReference: number }[]).find((s) => s.name === "Session")!.variablesReference;
    const vars = (await dap.request("variables", { variablesReference: sessionRef })).body.variables as { name: string; value: string; variablesReference: number }[];
    const expand = async (name: string) => {
      const v = vars.find((x) => x.name === name);
      expect(v?.variablesReference, name).toBeGreaterThan(0);
      const inner = (await dap.request("variables", { variablesReference: v!.variablesReference })).body.variables as { name: string; value: string }[];
      return Object.fromEntries(inner.map((x) => [x.name, x.value]));
    };
    expect(await expand("ready")).toMatchObject({ "[[PromiseState]]": "\"fulfilled\"", "[[PromiseResult]]": "42" });
    expect(Object.keys(await expand("seen"))).toContain("[[Entries]]");
    expect(Object.keys(await expand("tags"))).toContain("[[Entries]]");
    let stepMark = dap.mark();
    await dap.request("stepIn", { threadId: 1 });
    await dap.event("stopped", stepMark);
    const inner = await dap.stack();
    expect(inner[0]).toMatchObject({ line: 4 });
    expect(inner[0]!.path).not.toBe(path); // the earlier cell's file
    expect(await dap.variables(inner[0]!.id, "Closure")).toMatchObject({ count: "10" });
    const source = await dap.request("source", { source: { path: inner[0]!.path! } });
    expect(source.body.content).toBe(library);
    stepMark = dap.mark();
    await dap.request("stepOut", { threadId: 1 });
    await dap.event("stopped", stepMark);
    // back in the calling cell: V8 stops where the call returns, which is the end of line 5's statement or the
    // compiler's bookkeeping after it (mapped to the next line)
    const back = (await dap.stack())[0]!;
    expect(back.name).toBe(frames.at(-1)!.name);
    expect([5, 6]).toContain(back.line);
    await dap.request("continue", { threadId: 1 });
    expect((await kernel.collect(run)).outputs.results[0]?.content.data).toMatchObject({ "text/plain": "11" });
    await dap.request("setBreakpoints", { source: { path }, breakpoints: [] });
    expect(kernel.violations).toEqual([]);
  });

  it("pauses a running cell on request (pause) and shows where it is", async () => {
    const kernel = session();
    const dap = new Dap(kernel);
    const code = ["let laps = 0;", "while (laps >= 0) {", "  laps++;", "}"].join("\n");
    const run = kernel.sendExecute(code);
    await kernel.waitFor((m) => m.header.msg_type === "execute_input" && m.parent_header !== undefined && (m.parent_header as { msg_id?: string }).msg_id === run.msg_id);
    const mark = dap.mark();
    await dap.request("pause", { threadId: 1 });
    expect((await dap.event("stopped", mark)).content.body).toMatchObject({ reason: "pause" });
    const top = (await dap.stack())[0]!;
    expect([2, 3]).toContain(top.line);
    await dap.request("evaluate", { expression: "laps = -100", frameId: top.id, context: "repl" });
    await dap.request("continue", { threadId: 1 });
    expect((await kernel.collect(run)).reply.content.status).toBe("ok");
    expect(kernel.violations).toEqual([]);
  });

  it("answers heartbeats and kernel_info while paused, and an interrupt resumes and stops the cell", async () => {
    const kernel = session();
    const dap = new Dap(kernel);
    const code = ["let spins = 0;", "while (true) {", "  spins++;", "}"].join("\n");
    await dap.breakAt(code, [3]);
    const mark = dap.mark();
    const run = kernel.sendExecute(code);
    await dap.event("stopped", mark);
    expect(await kernel.heartbeat()).toBeGreaterThanOrEqual(0);
    expect((await kernel.request("control", "kernel_info_request")).content.status).toBe("ok");
    const info = await dap.request("debugInfo");
    expect(info.body.stoppedThreads).toEqual([1]);
    const continued = dap.mark();
    await kernel.request("control", "interrupt_request");
    await dap.event("continued", continued);
    const done = await kernel.collect(run);
    expect(done.reply.content).toMatchObject({ status: "error", ename: "Interrupted" });
    // the next cell pauses again at its breakpoints
    expect((await kernel.execute("spins > 0")).outputs.results[0]?.content.data).toMatchObject({ "text/plain": "true" });
    expect(kernel.violations).toEqual([]);
  });
});

describe.runIf(kernelBuilt())("shutdown while the debugger holds the main thread", () => {
  const session = useKernel("debugger-shutdown");

  it("answers shutdown_request and exits cleanly while paused at a breakpoint", async () => {
    const kernel = session();
    const dap = new Dap(kernel);
    await dap.start();
    const code = ["const waiting = 1;", "waiting + 1"].join("\n");
    await dap.breakAt(code, [2]);
    const mark = dap.mark();
    kernel.sendExecute(code);
    await dap.event("stopped", mark);
    const reply = await kernel.shutdown(15_000);
    expect(reply?.content).toMatchObject({ status: "ok" });
    expect(await kernel.exited).toEqual({ code: 0, signal: null });
    expect(kernel.violations).toEqual([]);
  });
});

describe.runIf(kernelBuilt())("the debugger with JavaScript cells (tsloop-js)", () => {
  let kernel: KernelClient | undefined;
  beforeAll(async () => {
    kernel = await KernelClient.start({ cwd: mkdtempSync(join(tmpdir(), "tsloop-debugger-js-")), env: { TSLOOP_HISTORY: "off" }, args: ["--language", "javascript"] });
  });
  afterAll(async () => {
    await kernel?.close();
  });

  it("names cells .js and stops at a breakpoint on a JS line", async () => {
    const dap = new Dap(kernel!);
    expect((await dap.start()).body.tmpFileSuffix).toBe(".js");
    const code = ["function twice(n) {", "  const result = n * 2;", "  return result;", "}", "twice(21)"].join("\n");
    await dap.breakAt(code, [3]);
    const mark = dap.mark();
    const run = kernel!.sendExecute(code);
    await dap.event("stopped", mark);
    const frames = await dap.stack();
    expect(frames[0]).toMatchObject({ name: "twice", line: 3 });
    expect(await dap.variables(frames[0]!.id, "Locals")).toMatchObject({ n: "21", result: "42" });
    await dap.request("continue", { threadId: 1 });
    expect((await kernel!.collect(run)).outputs.results[0]?.content.data).toMatchObject({ "text/plain": "42" });
    expect(kernel!.violations).toEqual([]);
  });
});
