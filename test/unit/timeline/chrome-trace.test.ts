import { describe, expect, it } from "vitest";
import { chromeTrace } from "../../../src/timeline/chrome-trace";
import { blockedTimers, gatheredAwaits, pendingAfterCell, sequentialAwaits } from "./scenarios";

describe("Chrome trace export", () => {
  it("is valid JSON with traceEvents: one complete event per task, on lanes that never overlap", () => {
    const model = gatheredAwaits();
    const trace = JSON.parse(JSON.stringify(chromeTrace(model))) as ReturnType<typeof chromeTrace>;
    expect(Array.isArray(trace.traceEvents)).toBe(true);
    const tasks = trace.traceEvents.filter((e) => e.ph === "X" && e.tid > 0);
    expect(tasks.map((e) => e.name).sort()).toEqual(["Promise.all [3]", "fetchUser(1)", "fetchUser(2)", "fetchUser(3)"]);
    const byLane = new Map<number, [number, number][]>();
    for (const e of tasks) byLane.set(e.tid, [...(byLane.get(e.tid) ?? []), [e.ts, e.ts + (e.dur ?? 0)]]);
    for (const spans of byLane.values()) {
      spans.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect((spans[i] as [number, number])[0]).toBeGreaterThanOrEqual((spans[i - 1] as [number, number])[1]);
    }
    expect(tasks.find((e) => e.name === "fetchUser(1)")).toMatchObject({ cat: "async", ts: 0, dur: 300_000, pid: 2 });
  });

  it("puts blocked stretches on the main-thread lane and late timers as instant events", () => {
    const trace = chromeTrace(blockedTimers());
    expect(trace.traceEvents.find((e) => e.name === "main thread blocked")).toMatchObject({ ph: "X", tid: 0, ts: 100_000, dur: 200_000, args: { line: 4 } });
    const late = trace.traceEvents.find((e) => e.ph === "i");
    expect(late).toMatchObject({ name: "timer fired 50 ms late", s: "t", cat: "late" });
    expect(late?.tid).toBeGreaterThan(0);
  });

  it("names processes and threads, one process per cell, and ends pending tasks at now", () => {
    const { model } = pendingAfterCell();
    const trace = chromeTrace([sequentialAwaits(), model], 2000);
    expect(trace.traceEvents.filter((e) => e.name === "process_name").map((e) => e.args?.name)).toEqual(["cell [1]", "cell [4]"]);
    const slow = trace.traceEvents.find((e) => e.name === "GET /reports/2024");
    expect(slow).toMatchObject({ pid: 4, ts: 2000, dur: 1_998_000, args: { state: "pending", flags: ["outlived", "neverAwaited"] } });
  });
});
