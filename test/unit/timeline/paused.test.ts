// Debugger pauses on the timeline: the main thread stopped at a breakpoint is neither busy nor blocked. A pause is
// reported after the resume, so it must be cut from what was recorded around it (the usual order) as well as from
// what is recorded after it (a lag tick or a stretch that closes later); either way the result is the same.
import { describe, expect, it } from "vitest";
import { BusyUnion } from "../../../src/timeline/busy-union";
import { CELL_TASK } from "../../../src/timeline/model";
import { TimelineRecorder } from "../../../src/timeline/recorder";
import { chromeTrace, renderHtml, renderText } from "../../../src/timeline/index";
import { FakeClock } from "./scenarios";

/** A cell body that ran 0–1300 ms with a breakpoint pause 100–1100 inside, and a task that ran 1150–1250. */
function record(order: "pause reported last" | "pause reported first") {
  const clock = new FakeClock();
  const rec = new TimelineRecorder({ cell: 3, now: clock.now });
  const task = rec.taskCreated("async", "work()", { at: 0 });
  const pause = (): boolean => rec.paused(100, 1100);
  if (order === "pause reported first") pause();
  rec.taskRan(task, 1150, 1250);
  rec.taskRan(CELL_TASK, 0, 1300);
  rec.blocked(0, 1300);
  if (order === "pause reported last") expect(pause()).toBe(true);
  rec.taskSettled(task, "fulfilled", 1, 1250);
  clock.t = 1300;
  rec.cellEnded(1300);
  return rec.snapshot(1300);
}

describe("debugger pauses on the timeline", () => {
  it.each(["pause reported last", "pause reported first"] as const)("%s: busy and blocked exclude the pause, and it is marked", (order) => {
    const m = record(order);
    expect(m.counters.mainBusyMs).toBe(300); // 0–100 and 1100–1300
    expect(m.blocked).toEqual([
      { start: 0, end: 100 },
      { start: 1100, end: 1300 },
    ]);
    expect(m.cellRuns).toEqual([
      [0, 100],
      [1100, 1300],
    ]);
    expect(m.paused).toEqual([{ start: 100, end: 1100 }]);
    expect(m.counters.pausedMs).toBe(1000);
    expect(m.tasks[0]?.busyMs).toBe(100);
  });

  it("drops a blocked piece shorter than 50 ms and cuts a task's drawn runs", () => {
    const rec = new TimelineRecorder({ cell: 1, now: () => 0 });
    const t = rec.taskCreated("timeout", "setTimeout 0ms", { at: 0 });
    rec.taskRan(t, 10, 600);
    rec.blocked(10, 600);
    rec.paused(30, 580);
    const m = rec.snapshot(600);
    expect(m.blocked).toEqual([]);
    expect(m.tasks[0]?.runs).toEqual([
      [10, 30],
      [580, 600],
    ]);
    expect(m.tasks[0]?.busyMs).toBe(40);
  });

  it("a pause already known is not news", () => {
    const rec = new TimelineRecorder({ cell: 1, now: () => 0 });
    expect(rec.paused(10, 20)).toBe(true);
    expect(rec.paused(10, 20)).toBe(false);
    expect(rec.paused(30, 30)).toBe(false);
    expect(rec.snapshot(40).counters.pausedMs).toBe(10);
  });

  it("a timeline without pauses has no pause fields (committed drawings do not change)", () => {
    const rec = new TimelineRecorder({ cell: 1, now: () => 0 });
    rec.taskRan(CELL_TASK, 0, 10);
    const m = rec.snapshot(10);
    expect(m.paused).toBeUndefined();
    expect(m.counters.pausedMs).toBeUndefined();
  });

  it("both renderers mark the pause and say it is not busy", () => {
    const m = record("pause reported last");
    const html = renderHtml(m);
    expect(html).toContain("paused 1 s in the debugger, not counted as busy");
    expect(html).toContain("paused in the debugger 1 s at 100 ms");
    const text = renderText(m);
    expect(text).toContain("paused 1 s in the debugger, not counted as busy");
    expect(text).toMatch(/main thread .*:{10,}/);
  });

  it("the Chrome trace shows the pause on the main thread", () => {
    const events = chromeTrace(record("pause reported last")).traceEvents;
    expect(events.filter((e) => e.cat === "paused").map((e) => [e.name, e.ts, e.dur, e.tid])).toEqual([["paused in the debugger", 100_000, 1_000_000, 0]]);
  });
});

describe("BusyUnion.cut", () => {
  const cases: { name: string; stretches: [number, number][]; hole: [number, number]; total: number }[] = [
    { name: "a hole inside one interval splits it", stretches: [[0, 100]], hole: [20, 70], total: 50 },
    { name: "a hole across several intervals", stretches: [[0, 10], [20, 30], [40, 50]], hole: [5, 45], total: 10 },
    { name: "a hole outside every interval changes nothing", stretches: [[0, 10]], hole: [20, 30], total: 10 },
  ];
  it.each(cases)("$name", ({ stretches, hole, total }) => {
    const u = new BusyUnion();
    for (const [s, e] of stretches) u.add(s, e);
    u.cut(...hole);
    expect(u.totalMs).toBe(total);
  });
});
