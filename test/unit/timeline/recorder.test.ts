import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { CELL_TASK } from "../../../src/timeline/model";
import { previewError, previewValue } from "../../../src/timeline/preview";
import { TimelineRecorder } from "../../../src/timeline/recorder";
import { FakeClock } from "./scenarios";

function make(opts: Partial<ConstructorParameters<typeof TimelineRecorder>[0]> = {}): { rec: TimelineRecorder; clock: FakeClock } {
  const clock = new FakeClock();
  return { rec: new TimelineRecorder({ cell: 7, now: clock.now, ...opts }), clock };
}

describe("TimelineRecorder", () => {
  it("gives positive sequential ids and reads the injected clock when no time is passed", () => {
    const { rec, clock } = make();
    clock.t = 5;
    const a = rec.taskCreated("async", "a()");
    clock.t = 8;
    const b = rec.taskCreated("io", "GET /");
    clock.t = 20;
    rec.taskSettled(a, "fulfilled", 42);
    const m = rec.snapshot();
    expect([a, b]).toEqual([1, 2]);
    expect(m.startedAt).toBe(0);
    expect(m.snapshotAt).toBe(20);
    expect(m.tasks[0]).toMatchObject({ id: 1, createdAt: 5, settledAt: 20, state: "fulfilled", valuePreview: "42", cell: 7 });
    expect(m.tasks[1]).toMatchObject({ id: 2, kind: "io", state: "pending" });
  });

  it("ignores unknown ids and keeps the first settle", () => {
    const { rec } = make();
    const id = rec.taskCreated("async", "f()", { at: 0 });
    expect(() => {
      rec.taskSettled(99, "fulfilled", 1, 1);
      rec.taskRan(99, 0, 1);
      rec.awaited(99, 0);
      rec.timerFired(99, 1);
      rec.markUnhandled(99);
      rec.taskStarted(-5, 1);
    }).not.toThrow();
    rec.taskSettled(id, "rejected", new Error("first"), 10);
    rec.taskSettled(id, "fulfilled", 2, 20);
    expect(rec.snapshot(30).tasks[0]).toMatchObject({ state: "rejected", settledAt: 10, error: "Error: first" });
  });

  it("records the creator, the first awaiter and gather membership", () => {
    const { rec } = make();
    const f = rec.taskCreated("async", "f()", { at: 0, line: 3, parentId: CELL_TASK });
    const g = rec.taskCreated("io", "GET /x", { at: 1, parentId: f });
    rec.awaited(g, f, 12);
    rec.awaited(g, CELL_TASK, 99);
    const all = rec.gather("all", [f, g], { at: 2 });
    const m = rec.snapshot(3);
    expect(m.tasks[0]).toMatchObject({ parentId: CELL_TASK, line: 3, gatheredBy: all });
    expect(m.tasks[1]).toMatchObject({ parentId: f, awaitedBy: { id: f, line: 12 }, gatheredBy: all });
    expect(m.tasks[2]).toMatchObject({ kind: "all", label: "Promise.all [2]", children: [f, g], childCount: 2 });
  });

  it("flags tasks that outlived the cell, were never awaited, or rejected unhandled, once the cell ended", () => {
    const { rec } = make();
    const lost = rec.taskCreated("async", "lost()", { at: 0 });
    const kept = rec.taskCreated("async", "kept()", { at: 0 });
    rec.awaited(kept, CELL_TASK, 2);
    const timer = rec.taskCreated("timeout", "setTimeout 10ms", { at: 0, delayMs: 10 });
    expect(rec.snapshot(1).tasks.every((t) => Object.keys(t.flags).length === 0)).toBe(true);
    rec.taskSettled(kept, "fulfilled", undefined, 5);
    rec.cellEnded(5);
    rec.taskSettled(lost, "rejected", new Error("x"), 8);
    rec.markUnhandled(lost);
    const [l, k, t] = rec.snapshot(9).tasks;
    expect(l?.flags).toEqual({ outlived: true, neverAwaited: true, unhandled: true });
    expect(k?.flags).toEqual({});
    expect(t?.flags).toEqual({ outlived: true });
    void timer;
  });

  it("keeps at most maxTasks in detail and counts the rest per (kind, label) under negative ids", () => {
    const { rec } = make({ maxTasks: 10 });
    const ids: number[] = [];
    for (let i = 0; i < 16; i++) ids.push(rec.taskCreated("io", i < 13 ? "fetch" : "other", { at: i }));
    expect(ids.slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ids.slice(10)).toEqual([-1, -1, -1, -2, -2, -2]);
    rec.taskSettled(-1, "fulfilled", undefined, 50);
    rec.taskSettled(-1, "rejected", new Error("x"), 60);
    rec.taskRan(-1, 1, 3);
    const m = rec.snapshot(70);
    expect(m.tasks).toHaveLength(10);
    expect(m.counters).toMatchObject({ tasks: 16, aggregated: 6 });
    expect(m.aggregates).toEqual([
      { kind: "io", label: "fetch", count: 3, pending: 1, fulfilled: 1, rejected: 1, cancelled: 0, firstCreatedAt: 10, lastSettledAt: 60, busyMs: 2 },
      { kind: "io", label: "other", count: 3, pending: 3, fulfilled: 0, rejected: 0, cancelled: 0, firstCreatedAt: 13, busyMs: 0 },
    ]);
  });

  it("bounds the aggregate buckets too: distinct labels past the cap share one '(other tasks)' bucket", () => {
    const { rec } = make({ maxTasks: 1 });
    for (let i = 0; i < 1000; i++) rec.taskCreated("io", `GET /${i}`, { at: i });
    const m = rec.snapshot(1000);
    expect(m.aggregates.length).toBeLessThanOrEqual(200);
    expect(m.aggregates.at(-1)).toMatchObject({ label: "(other tasks)" });
    expect(m.aggregates.reduce((n, a) => n + a.count, 0)).toBe(999);
  });

  it("merges runs past maxRunsPerTask into the last one and keeps busyMs exact", () => {
    const { rec } = make({ maxRunsPerTask: 4 });
    const id = rec.taskCreated("async", "loop()", { at: 0 });
    for (let i = 0; i < 100; i++) rec.taskRan(id, i * 10, i * 10 + 1);
    const t = rec.snapshot(1000).tasks[0];
    expect(t?.runs).toHaveLength(4);
    expect(t?.runs.at(-1)).toEqual([30, 991]);
    expect(t?.busyMs).toBe(100);
    expect(t?.startedAt).toBe(0);
  });

  it("lists timer firings that came late, and moves an interval's due time on", () => {
    const { rec } = make({ lateThresholdMs: 10 });
    const t = rec.taskCreated("timeout", "setTimeout 100ms", { at: 0, delayMs: 100 });
    const iv = rec.taskCreated("interval", "setInterval 50ms", { at: 0, delayMs: 50 });
    rec.timerFired(t, 104); // 4 ms late: on time
    rec.timerFired(iv, 50);
    rec.timerFired(iv, 130); // due 100: 30 ms late
    rec.timerFired(iv, 181); // due 180: on time
    rec.taskSettled(iv, "cancelled", undefined, 200);
    const m = rec.snapshot(200);
    expect(m.tasks[0]).toMatchObject({ dueAt: 100, startedAt: 104 });
    expect(m.tasks[0]?.lateMs).toBeUndefined();
    expect(m.tasks[1]).toMatchObject({ dueAt: 50, startedAt: 50, lateMs: 30, state: "cancelled" });
    expect(m.lateTimers).toEqual([{ taskId: iv, dueAt: 100, firedAt: 130 }]);
  });

  it("lists blocked stretches up to the cap and counts the rest", () => {
    const { rec } = make({ maxBlocked: 2 });
    rec.blocked(0, 60, 3);
    rec.blocked(100, 200, undefined, 4);
    rec.blocked(300, 380);
    const m = rec.snapshot(400);
    expect(m.blocked).toEqual([{ start: 0, end: 60, line: 3 }, { start: 100, end: 200, taskId: 4 }]);
    expect(m.counters).toMatchObject({ blockedDropped: 1, blockedDroppedMs: 80 });
  });

  it("is settled once the cell ended and every task settled; an interval keeps it unsettled until cleared", () => {
    const { rec } = make();
    const f = rec.taskCreated("async", "f()", { at: 0 });
    const iv = rec.taskCreated("interval", "setInterval 10ms", { at: 0, delayMs: 10 });
    rec.taskSettled(f, "fulfilled", undefined, 5);
    expect(rec.isSettled()).toBe(false);
    rec.cellEnded(5);
    expect(rec.isSettled()).toBe(false);
    rec.taskSettled(iv, "cancelled", undefined, 50);
    expect(rec.isSettled()).toBe(true);
  });

  it("has activity only when the cell started a task and something waited at least minMs (main-thread stretches not counted), or is pending, rejected, blocked or late", () => {
    const quick = make().rec;
    const q = quick.taskCreated("async", "q()", { at: 0 });
    quick.taskSettled(q, "fulfilled", undefined, 2);
    quick.cellEnded(2);
    expect(quick.hasActivity(20)).toBe(false);
    expect(quick.hasActivity(1)).toBe(true);

    const slow = make().rec;
    slow.taskCreated("io", "GET /", { at: 0 });
    expect(slow.hasActivity(20)).toBe(true);

    const blocked = make().rec;
    const quickTimer = blocked.taskCreated("timeout", "setTimeout 1ms", { at: 0, delayMs: 1 });
    blocked.taskSettled(quickTimer, "fulfilled", undefined, 1);
    blocked.blocked(0, 80);
    expect(blocked.hasActivity(1000)).toBe(true);

    // `await Promise.resolve(41)` on a loaded machine: the awaited promise settles when the cell's own 17 ms of
    // synchronous code have run. That is the cell's code, not async activity: no card. A 20 ms wait beside 5 ms
    // of code is.
    const resolved = make().rec;
    const r = resolved.taskCreated("await", "Promise.resolve(41)", { at: 1 });
    resolved.taskRan(0, 0, 17.5);
    resolved.taskSettled(r, "fulfilled", undefined, 18.5);
    resolved.cellEnded(18.5);
    expect(resolved.hasActivity(10)).toBe(false);
    const waited = make().rec;
    const w = waited.taskCreated("timeout", "sleep(20)", { at: 1 });
    waited.taskRan(0, 0, 5);
    waited.taskSettled(w, "fulfilled", undefined, 21);
    waited.cellEnded(21);
    expect(waited.hasActivity(10)).toBe(true);

    // A fresh kernel's first cell: its own code ran 16 of a 20 ms sleep's 20 ms, and the timer fired on time. It
    // still waited for the clock by design: a card. A 5 ms timer is below the threshold, as before.
    const firstCell = make().rec;
    const sleep = firstCell.taskCreated("timeout", "setTimeout 20ms", { at: 1, delayMs: 20 });
    firstCell.taskRan(0, 0, 17);
    firstCell.timerFired(sleep, 21);
    firstCell.taskSettled(sleep, "fulfilled", undefined, 21.2);
    firstCell.cellEnded(21.5);
    expect(firstCell.hasActivity(10)).toBe(true);
    const shortTimer = make().rec;
    const short = shortTimer.taskCreated("timeout", "setTimeout 5ms", { at: 1, delayMs: 5 });
    shortTimer.taskRan(0, 0, 5.8);
    shortTimer.timerFired(short, 6.1);
    shortTimer.taskSettled(short, "fulfilled", undefined, 6.2);
    shortTimer.cellEnded(6.5);
    expect(shortTimer.hasActivity(10)).toBe(false);

    // A first import that compiles a local module blocks for a while but starts nothing asynchronous: no card.
    const syncOnly = make().rec;
    syncOnly.blocked(0, 250);
    syncOnly.cellEnded(250);
    expect(syncOnly.hasActivity(10)).toBe(false);
  });

  it("counts internal promises and the peak number of tasks in flight (gathers excluded)", () => {
    const { rec } = make();
    rec.countInternalPromise();
    rec.countInternalPromise();
    const a = rec.taskCreated("async", "a()", { at: 0 });
    const b = rec.taskCreated("async", "b()", { at: 0 });
    rec.gather("race", [a, b], { at: 0 });
    rec.taskSettled(a, "fulfilled", undefined, 1);
    rec.taskCreated("async", "c()", { at: 2 });
    expect(rec.snapshot(3).counters).toMatchObject({ hiddenPromises: 2, peakConcurrency: 2 });
  });

  it("produces plain JSON data: a JSON round trip gives the same model", () => {
    const { rec } = make();
    const a = rec.taskCreated("timeout", "setTimeout 5ms", { at: 0, delayMs: 5, line: 1 });
    rec.timerFired(a, 30);
    rec.taskRan(a, 30, 31);
    rec.taskSettled(a, "fulfilled", { big: "object" }, 31);
    rec.blocked(30, 90, 2);
    rec.cellEnded(100);
    const m = rec.snapshot(100);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });

  it("caps a snapshot at maxTasks, keeping pending and rejected tasks first", () => {
    const { rec } = make();
    for (let i = 0; i < 20; i++) {
      const id = rec.taskCreated("io", `GET /${i % 2}`, { at: i });
      if (i !== 7 && i !== 15) rec.taskSettled(id, i === 3 ? "rejected" : "fulfilled", undefined, i + 1);
    }
    const m = rec.snapshot(30, 5);
    expect(m.tasks.map((t) => t.id)).toEqual([1, 2, 4, 8, 16]);
    expect(m.counters.aggregated).toBe(15);
    expect(m.aggregates.reduce((n, a) => n + a.count, 0)).toBe(15);
  });

  it("stays cheap and bounded for a million awaits past the cap", () => {
    const { rec } = make();
    const t0 = performance.now();
    for (let i = 0; i < 1_000_000; i++) {
      const id = rec.taskCreated("await", "await tick()", { at: i });
      rec.awaited(id, CELL_TASK, 4);
      rec.taskRan(id, i, i + 0.001);
      rec.taskSettled(id, "fulfilled", i, i + 0.5);
    }
    const ms = performance.now() - t0;
    console.log(`[timeline] 1,000,000 awaits recorded in ${ms.toFixed(0)} ms`);
    const m = rec.snapshot(2_000_000);
    expect(m.tasks).toHaveLength(5000);
    expect(m.aggregates).toEqual([expect.objectContaining({ label: "await tick()", count: 995_000, pending: 0 })]);
  });
});

describe("value previews", () => {
  it.each([
    [undefined, undefined],
    [42, "42"],
    ["hi", '"hi"'],
    [10n, "10n"],
    [null, "null"],
    [[1, 2, 3], "Array(3)"],
    [{ a: 1 }, "{…}"],
    [new Map([[1, 2]]), "Map (1)"],
    [new (class User {})(), "User {…}"],
    [function named() {}, "[Function named]"],
  ])("previewValue(%o) is %o", (value, expected) => {
    expect(previewValue(value)).toBe(expected);
  });

  it("previews errors from another realm and thrown non-errors", () => {
    expect(previewError(runInNewContext("new TypeError('bad port')"))).toBe("TypeError: bad port");
    expect(previewError("plain string")).toBe("plain string");
    expect(previewError(7)).toBe("thrown 7");
    expect(previewValue("x".repeat(500))?.length).toBeLessThanOrEqual(60);
  });

  it("survives values whose getters throw", () => {
    const hostile = new Proxy({}, { get: () => { throw new Error("no"); } });
    expect(previewValue(hostile)).toBe("(unreadable)");
    expect(previewError(hostile)).toBe("(unreadable error)");
  });
});
