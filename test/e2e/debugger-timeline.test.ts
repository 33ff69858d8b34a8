// The timeline around a debugger pause, through the real kernel: a cell stopped at a breakpoint for about a second
// shows the pause on its timeline (as long as the client saw it stopped) and does not count it as main-thread busy
// or blocked time, nor warn about a blocked event loop.
import { describe, expect, it } from "vitest";
import type { TimelineModel } from "../../src/timeline/index.js";
import { TIMELINE_MIME } from "../../src/timeline/index.js";
import type { Received } from "../helpers/kernel-client.js";
import { kernelBuilt } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";
import { Dap } from "./debugger-client.js";

/** How long the test keeps the cell stopped at its breakpoint: the scenario, not a wait for an event. */
const HOLD_MS = 1000;

const CELL = [
  "// @timeline",
  "let total = 0;",
  "for (let i = 0; i < 200_000; i++) total += i;",
  "await sleep(20);",
  "total += 1;", // the breakpoint: in a continuation after an await
  "total",
].join("\n");

function timelineOf(m: Received): TimelineModel | undefined {
  return (m.content.data as Record<string, unknown> | undefined)?.[TIMELINE_MIME] as TimelineModel | undefined;
}

describe.runIf(kernelBuilt())("the timeline around a debugger pause", () => {
  const session = useKernel("debugger-timeline");

  it("marks the paused second on the cell's timeline and counts it neither as busy nor as blocked", async () => {
    const kernel = session();
    const dap = new Dap(kernel);
    await dap.start();
    expect((await dap.breakAt(CELL, [5])).lines).toEqual([5]);
    const mark = dap.mark();
    const run = kernel.sendExecute(CELL);
    expect((await dap.event("stopped", mark)).content.body).toMatchObject({ reason: "breakpoint" });
    const stoppedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    const continuedAt = performance.now();
    await dap.request("continue", { threadId: 1 });
    const done = await kernel.collect(run);
    expect(done.reply.content.status).toBe("ok");
    expect(done.outputs.stderr).toBe(""); // no "blocked the event loop" warning
    const heldMs = continuedAt - stoppedAt;

    // The last drawing of the cell's timeline that knows the pause (it may come after the reply: the pause is
    // reported as the thread resumes, and a timeline already final is sent again, corrected).
    const shown = done.outputs.displays.find((d) => timelineOf(d) !== undefined);
    if (!shown) throw new Error("the cell showed no timeline");
    const id = (shown.content.transient as { display_id: string }).display_id;
    const final = await kernel.waitFor(
      (m) =>
        m.header.msg_type === "update_display_data" &&
        (m.content.transient as { display_id?: string }).display_id === id &&
        (m.content.metadata as { final?: boolean }).final === true &&
        timelineOf(m)?.paused !== undefined,
      10_000,
      "the cell's final timeline with the pause",
    );
    const model = timelineOf(final) as TimelineModel;
    const pauses = model.paused ?? [];
    expect(pauses).toHaveLength(1);
    const pausedMs = (pauses[0]?.end ?? 0) - (pauses[0]?.start ?? 0);
    expect(Math.abs(pausedMs - heldMs)).toBeLessThan(heldMs * 0.1);
    expect(model.counters.pausedMs).toBeCloseTo(pausedMs, 6);
    // on the cell's clock: inside the run, after its start
    expect(pauses[0]?.start).toBeGreaterThan(model.startedAt);
    expect(pauses[0]?.end).toBeLessThanOrEqual(model.endedAt as number);
    // busy and blocked are the cell's own work (a loop of 200,000 additions and a few continuations: tens of ms,
    // more on a loaded machine), never the pause: nothing counted overlaps it, busy fits in the unpaused time
    const [p0, p1] = [pauses[0]!.start, pauses[0]!.end];
    const outside = ([s, e]: [number, number]): boolean => e <= p0 || s >= p1;
    const busyMs = model.counters.mainBusyMs as number;
    expect(busyMs).toBeLessThanOrEqual((model.endedAt as number) - model.startedAt - pausedMs + 1);
    expect(busyMs).toBeLessThan(pausedMs / 2);
    for (const run of model.cellRuns) expect(outside(run)).toBe(true);
    for (const b of model.blocked) expect(outside([b.start, b.end])).toBe(true);
    const data = final.content.data as Record<string, string>;
    expect(data["text/html"]).toContain("in the debugger, not counted as busy");
    expect(data["text/plain"]).toContain("in the debugger, not counted as busy");
    expect(kernel.violations).toEqual([]);
  });

  it("does not call a pause in the cell's synchronous part a blocked loop, though a timer came due meanwhile", async () => {
    const kernel = session();
    const dap = new Dap(kernel);
    const code = ["// @timeline", "const fired: number[] = [];", "setTimeout(() => fired.push(1), 10);", "let y = 1;", "y += 1;", "y"].join("\n");
    expect((await dap.breakAt(code, [5])).lines).toEqual([5]);
    const mark = dap.mark();
    const run = kernel.sendExecute(code);
    await dap.event("stopped", mark);
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    await dap.request("continue", { threadId: 1 });
    const done = await kernel.collect(run);
    expect(done.reply.content.status).toBe("ok");
    // the pause's report reaches the main thread after the cell ended: the warning waits for it, then finds nothing
    const shown = done.outputs.displays.find((d) => timelineOf(d) !== undefined);
    if (!shown) throw new Error("the cell showed no timeline");
    const id = (shown.content.transient as { display_id: string }).display_id;
    const final = await kernel.waitFor(
      (m) => m.header.msg_type === "update_display_data" && (m.content.transient as { display_id?: string }).display_id === id && timelineOf(m)?.paused !== undefined,
      10_000,
      "the cell's timeline with the pause",
    );
    const model = timelineOf(final) as TimelineModel;
    const pause = model.paused?.[0] as { start: number; end: number };
    expect(pause.end - pause.start).toBeGreaterThan(HOLD_MS * 0.9);
    // what the cell's own code did may be a blocked stretch on a loaded machine (its first run compiles); the pause is not
    for (const b of model.blocked) expect(b.end <= pause.start || b.start >= pause.end).toBe(true);
    const stderr = kernel
      .iopubFor(run.msg_id)
      .filter((m) => m.header.msg_type === "stream" && m.content.name === "stderr")
      .map((m) => String(m.content.text))
      .join("");
    for (const [, ms] of stderr.matchAll(/blocked the event loop for (\d+) ms/g)) expect(Number(ms)).toBeLessThan((pause.end - pause.start) / 2);
    for (const w of model.warnings ?? []) expect(w.message).not.toMatch(/blocked the event loop for \d{4,} ms/);
    expect(kernel.violations).toEqual([]);
  });
});
