// The Jupyter debug protocol through the real kernel, in the order JupyterLab's debugger sends it: breakpoints in
// TypeScript lines, stepping (over awaits too), frames, scopes and variables, evaluation, exceptions, and the
// kernel still answering (heartbeat, kernel_info, interrupt, shutdown) while the main thread is paused.
import { describe, expect, it } from "vitest";
import { kernelBuilt } from "../helpers/kernel-client.js";
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
    expect(locals.p).toBe("Object");
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
    expect(kernel.violations).toEqual([]);
  });
});
