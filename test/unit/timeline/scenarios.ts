// The teaching scenarios, recorded with a fake clock the way the runtime's instrumentation would report them.
// Shared by the timeline tests and by `render-sample.ts` (which writes them to an HTML page to look at).

import { CELL_TASK, type TimelineModel } from "../../../src/timeline/model";
import { TimelineRecorder } from "../../../src/timeline/recorder";

/** A settable clock for the recorder. */
export class FakeClock {
  t = 0;
  readonly now = (): number => this.t;
}

function recorder(cell: number): { rec: TimelineRecorder; clock: FakeClock } {
  const clock = new FakeClock();
  return { rec: new TimelineRecorder({ cell, now: clock.now }), clock };
}

/** An async call that awaits `ms` of I/O: created, a short synchronous run, a wait, a short run, settled. */
function asyncCall(rec: TimelineRecorder, label: string, start: number, ms: number, line: number): number {
  const id = rec.taskCreated("async", label, { at: start, line, parentId: CELL_TASK });
  rec.taskRan(id, start, start + 0.4);
  rec.taskRan(id, start + ms - 0.3, start + ms);
  return id;
}

/** (a) `for (const id of [1, 2, 3]) users.push(await fetchUser(id))`: three 300 ms awaits, one after another. */
export function sequentialAwaits(): TimelineModel {
  const { rec, clock } = recorder(1);
  for (let i = 0; i < 3; i++) {
    const start = i * 300;
    rec.taskRan(CELL_TASK, start, start + 0.2);
    const id = asyncCall(rec, `fetchUser(${i + 1})`, start, 300, 2);
    rec.awaited(id, CELL_TASK, 2);
    rec.taskSettled(id, "fulfilled", { name: `user ${i + 1}` }, start + 300);
  }
  rec.taskRan(CELL_TASK, 900, 900.3);
  rec.cellEnded(900.3);
  clock.t = 1000;
  return rec.snapshot();
}

/** (b) `await Promise.all([fetchUser(1), fetchUser(2), fetchUser(3)])`: the same three calls, overlapping. */
export function gatheredAwaits(): TimelineModel {
  const { rec, clock } = recorder(2);
  rec.taskRan(CELL_TASK, 0, 1.4);
  const ids = [0, 1, 2].map((i) => asyncCall(rec, `fetchUser(${i + 1})`, i * 0.5, 300, 2));
  const all = rec.gather("all", ids, { at: 1.5, line: 2, parentId: CELL_TASK });
  rec.awaited(all, CELL_TASK, 2);
  ids.forEach((id, i) => rec.taskSettled(id, "fulfilled", { name: `user ${i + 1}` }, i * 0.5 + 300));
  rec.taskSettled(all, "fulfilled", [1, 2, 3], 301.2);
  rec.taskRan(CELL_TASK, 301.2, 301.5);
  rec.cellEnded(301.5);
  clock.t = 400;
  return rec.snapshot();
}

/** (c) Timer A's callback runs a 200 ms loop (the main thread is blocked), so timer B fires 50 ms late; the cell
 *  awaits `sleep(400)`. */
export function blockedTimers(): TimelineModel {
  const { rec, clock } = recorder(3);
  rec.taskRan(CELL_TASK, 0, 0.6);
  const a = rec.taskCreated("timeout", "setTimeout 100ms", { at: 0, delayMs: 100, line: 2, parentId: CELL_TASK });
  const b = rec.taskCreated("timeout", "setTimeout 250ms", { at: 0.1, delayMs: 250, line: 6, parentId: CELL_TASK });
  const sleep = rec.taskCreated("async", "sleep(400)", { at: 0.2, line: 7, parentId: CELL_TASK });
  const t = rec.taskCreated("timeout", "setTimeout 400ms", { at: 0.3, delayMs: 400, line: 7, parentId: sleep });
  rec.taskRan(sleep, 0.2, 0.5);
  rec.awaited(sleep, CELL_TASK, 7);
  rec.timerFired(a, 100);
  rec.taskRan(a, 100, 300);
  rec.blocked(100, 300, 4, a);
  rec.taskSettled(a, "fulfilled", undefined, 300);
  rec.timerFired(b, 300.1);
  rec.taskRan(b, 300.1, 300.6);
  rec.taskSettled(b, "fulfilled", undefined, 300.6);
  rec.timerFired(t, 400.3);
  rec.taskRan(t, 400.3, 400.4);
  rec.taskSettled(t, "fulfilled", undefined, 400.4);
  rec.taskRan(sleep, 400.4, 400.5);
  rec.taskSettled(sleep, "fulfilled", undefined, 400.5);
  rec.taskRan(CELL_TASK, 400.5, 400.8);
  rec.cellEnded(400.8);
  clock.t = 500;
  return rec.snapshot();
}

/** (d) The cell starts `watchQueue()` (never awaited; it sets a 200 ms interval) and a slow request, then ends
 *  at 5 ms. Drawn at 950 ms: both are still pending. */
export function pendingAfterCell(): { model: TimelineModel; recorder: TimelineRecorder } {
  const { rec, clock } = recorder(4);
  rec.taskRan(CELL_TASK, 0, 4.8);
  const watch = rec.taskCreated("async", "watchQueue()", { at: 0.5, line: 3, parentId: CELL_TASK });
  rec.taskRan(watch, 0.5, 1.5);
  const tick = rec.taskCreated("interval", "setInterval 200ms", { at: 1, delayMs: 200, line: 9, parentId: watch });
  const slow = rec.taskCreated("io", "GET /reports/2024", { at: 2, line: 4, parentId: CELL_TASK });
  rec.cellEnded(5);
  for (const t of [201, 401, 601, 801]) {
    rec.timerFired(tick, t);
    rec.taskRan(tick, t, t + 1.5);
  }
  void slow;
  clock.t = 950;
  return { model: rec.snapshot(), recorder: rec };
}

/** (e) `await loadConfig()` rejects with a TypeError at 120 ms; `saveLog()`, never awaited, rejects at 80 ms with
 *  nobody handling it. */
export function rejectedTask(): TimelineModel {
  const { rec, clock } = recorder(5);
  rec.taskRan(CELL_TASK, 0, 0.7);
  const save = rec.taskCreated("async", "saveLog()", { at: 0.1, line: 1, parentId: CELL_TASK });
  rec.taskRan(save, 0.1, 0.3);
  const load = rec.taskCreated("async", "loadConfig()", { at: 0.5, line: 2, parentId: CELL_TASK });
  rec.taskRan(load, 0.5, 0.6);
  rec.awaited(load, CELL_TASK, 2);
  const io = rec.taskCreated("io", "readFile config.json", { at: 0.55, line: 12, parentId: load });
  rec.awaited(io, load, 12);
  rec.taskSettled(io, "fulfilled", "{\"db\": {}}", 110);
  rec.taskSettled(save, "rejected", new Error("disk full"), 80);
  rec.markUnhandled(save);
  rec.taskRan(load, 110, 120);
  rec.taskSettled(load, "rejected", new TypeError("Cannot read properties of undefined (reading 'port')"), 120);
  rec.cellEnded(120.2);
  clock.t = 200;
  return rec.snapshot();
}

/** `n` fetches with `labels` distinct labels, all created by the cell, overlapping, a few rejected. */
export function manyTasks(n: number, labels: number): TimelineModel {
  const { rec, clock } = recorder(6);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = i * 0.25;
    const id = rec.taskCreated("io", `fetch /api/item/${i % labels}`, { at: start, line: 3, parentId: CELL_TASK });
    rec.taskRan(id, start, start + 0.05);
    ids.push(id);
  }
  const all = rec.gather("all", ids, { at: n * 0.25, line: 3, parentId: CELL_TASK });
  rec.awaited(all, CELL_TASK, 3);
  ids.forEach((id, i) => {
    const end = i * 0.25 + 200 + (i % 7) * 30;
    if (i % 97 === 5) rec.taskSettled(id, "rejected", new Error(`HTTP 503 for item ${i % labels}`), end);
    else rec.taskSettled(id, "fulfilled", { ok: true }, end);
  });
  rec.taskSettled(all, "rejected", new Error("HTTP 503"), n * 0.25 + 400);
  rec.cellEnded(n * 0.25 + 400);
  clock.t = n * 0.25 + 500;
  return rec.snapshot();
}
