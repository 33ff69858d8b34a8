// Cells from issue 16 whose true story is known, recorded with a fake clock in the shape the real kernel records
// them (checked against models dumped from the kernel: an async call's sleep is a timer beneath it, a semaphore's
// queue is an await of `new Promise` beneath the job). Shared by the definition and layout tests.

import { CELL_TASK, type TimelineModel } from "../../../src/timeline/model";
import { TimelineRecorder } from "../../../src/timeline/recorder";

function recorder(cell: number): TimelineRecorder {
  return new TimelineRecorder({ cell, now: () => 0, startedAt: 0 });
}

/** An async call `label` created at `at` that awaits `sleep(ms)`: returns [call id, sleep id]. */
function callAwaitingSleep(rec: TimelineRecorder, label: string, at: number, ms: number, parentId = CELL_TASK): [number, number] {
  const call = rec.taskCreated("async", label, { at, line: 1, parentId });
  const sleep = rec.taskCreated("timeout", `sleep(${ms})`, { at: at + 0.1, delayMs: ms, parentId: call });
  rec.awaited(sleep, call, 1);
  return [call, sleep];
}

function finish(rec: TimelineRecorder, ids: number[], at: number): void {
  for (const id of ids) {
    rec.timerFired(id, at);
    rec.taskSettled(id, "fulfilled", undefined, at);
  }
}

/** `await Promise.all([work(1), work(2), work(3)])`, each `work` awaiting `sleep(200)`. Truth: 3 at once; one after
 *  another would take 600 ms, together 200.2 ms: saved ≈ 400 ms. */
export function gatherOfThree(): TimelineModel {
  const rec = recorder(1);
  const pairs = [1, 2, 3].map((i) => callAwaitingSleep(rec, `work(${i})`, 0, 200));
  const all = rec.gather("all", pairs.map(([c]) => c), { at: 0.2, parentId: CELL_TASK });
  rec.awaited(all, CELL_TASK, 2);
  for (const [call, sleep] of pairs) {
    finish(rec, [sleep], 200.1);
    rec.taskSettled(call, "fulfilled", 1, 200.2);
  }
  rec.taskSettled(all, "fulfilled", [1, 2, 3], 200.2);
  rec.cellEnded(200.3);
  return rec.snapshot(200.3);
}

/** A semaphore of 2 over `jobs` jobs, each holding it for `sleep(100)`. Truth: 2 at once; one after another
 *  `jobs × 100` ms, together `jobs / 2 × 100` ms. */
export function semaphoreOfTwo(jobs = 10): TimelineModel {
  const rec = recorder(2);
  const calls: number[] = [];
  const sleeps: { call: number; start: number }[] = [];
  for (let i = 0; i < jobs; i++) {
    const call = rec.taskCreated("async", `job(${i})`, { at: 0.1 * i, line: 5, parentId: CELL_TASK });
    calls.push(call);
    const start = Math.floor(i / 2) * 100;
    if (i >= 2) {
      // Queued: awaits `new Promise` (resolved by another job's release) under `sem.acquire()`.
      const queued = rec.taskCreated("await", "new Promise<void>((r) => this.q.push(r))", { at: 0.1 * i, line: 2, parentId: call });
      const acquire = rec.taskCreated("await", "sem.acquire()", { at: 0.1 * i, line: 5, parentId: call });
      rec.awaited(queued, call, 2);
      rec.awaited(acquire, call, 5);
      rec.taskSettled(queued, "fulfilled", undefined, start);
      rec.taskSettled(acquire, "fulfilled", undefined, start);
    }
    sleeps.push({ call, start });
  }
  const all = rec.gather("all", calls, { at: 0.1 * jobs, parentId: CELL_TASK });
  rec.awaited(all, CELL_TASK, 6);
  for (const { call, start } of sleeps) {
    const sleep = rec.taskCreated("timeout", "sleep(100)", { at: start + 0.2, delayMs: 100, parentId: call });
    rec.awaited(sleep, call, 5);
    finish(rec, [sleep], start + 100.2);
    rec.taskSettled(call, "fulfilled", undefined, start + 100.3);
  }
  const end = (jobs / 2) * 100 + 0.3;
  rec.taskSettled(all, "fulfilled", [], end);
  rec.cellEnded(end + 0.1);
  return rec.snapshot(end + 0.1);
}

/** `await Promise.all([load(1), sleep(500)])` where load rejects at 100 ms (its own sleep(100)); the cell catches
 *  it. Truth: one after another it also fails at 100 ms: nothing saved. */
export function gatherFailingEarly(): TimelineModel {
  const rec = recorder(3);
  const [load, loadSleep] = callAwaitingSleep(rec, "load(1)", 0, 100);
  const sleep = rec.taskCreated("timeout", "sleep(500)", { at: 0.2, delayMs: 500, parentId: CELL_TASK });
  const all = rec.gather("all", [load, sleep], { at: 0.3, parentId: CELL_TASK });
  rec.awaited(all, CELL_TASK, 2);
  finish(rec, [loadSleep], 100.1);
  rec.taskSettled(load, "rejected", new Error("load 1"), 100.2);
  rec.taskSettled(all, "rejected", new Error("load 1"), 100.2);
  rec.cellEnded(100.5);
  finish(rec, [sleep], 500.2);
  return rec.snapshot(500.2);
}

/** Two jobs waiting for each other under a Promise.all, seen 6.4 s in (a deadlock). Truth: nothing finished,
 *  nothing saved. */
export function deadlockedGather(): TimelineModel {
  const rec = recorder(4);
  const a = rec.taskCreated("async", "first()", { at: 0, line: 3, parentId: CELL_TASK });
  const b = rec.taskCreated("async", "second()", { at: 0.1, line: 4, parentId: CELL_TASK });
  for (const [id, line] of [[a, 3], [b, 4]] as const) {
    const wait = rec.taskCreated("await", "otherDone", { at: 0.2, line, parentId: id });
    rec.awaited(wait, id, line);
  }
  const all = rec.gather("all", [a, b], { at: 0.3, parentId: CELL_TASK });
  rec.awaited(all, CELL_TASK, 5);
  return rec.snapshot(6400);
}

/** `await sleep(60_000)` interrupted at 2 s: the timer is cancelled and the cell ends. Truth: wall 2 s. */
export function interruptedSleep(): TimelineModel {
  const rec = recorder(5);
  const sleep = rec.taskCreated("timeout", "sleep(60000)", { at: 0.1, delayMs: 60_000, parentId: CELL_TASK });
  rec.awaited(sleep, CELL_TASK, 1);
  rec.taskSettled(sleep, "cancelled", undefined, 2000);
  rec.cellEnded(2000.5);
  return rec.snapshot(2000.5);
}

/** Two never-awaited tasks outliving their cell: `lateBoom(1)` rejects at 1.5 s with a long message, `tick()` ends
 *  at 0.9 s. Notes crowd the right edge. */
export function lateRejection(): TimelineModel {
  const rec = recorder(6);
  const boom = rec.taskCreated("async", "lateBoom(1)", { at: 0.5, line: 1, parentId: CELL_TASK });
  const tick = rec.taskCreated("async", "tick()", { at: 0.6, line: 2, parentId: CELL_TASK });
  rec.cellEnded(2);
  rec.taskSettled(tick, "fulfilled", undefined, 900);
  rec.taskSettled(boom, "rejected", new Error("late-boom-1: the report server said no"), 1500);
  rec.markUnhandled(boom);
  return rec.snapshot(1500);
}

/** A 9 s run: a sleep(9000). */
export function nineSeconds(): TimelineModel {
  const rec = recorder(7);
  const sleep = rec.taskCreated("timeout", "sleep(9000)", { at: 0.1, delayMs: 9000, parentId: CELL_TASK });
  rec.awaited(sleep, CELL_TASK, 1);
  finish(rec, [sleep], 9000.1);
  rec.cellEnded(9000.3);
  return rec.snapshot(9000.3);
}

/** A request with library-internal timers beneath it (a keep-alive timer created while it is in flight): one
 *  operation. Two such requests under Promise.all: 2 at once. */
export function requestsWithInternals(): TimelineModel {
  const rec = recorder(8);
  const ids: number[] = [];
  for (const i of [1, 2]) {
    const req = rec.taskCreated("io", `GET /item/${i}`, { at: i * 0.1, line: 1, parentId: CELL_TASK });
    const keepAlive = rec.taskCreated("timeout", "setTimeout 3000ms", { at: i * 0.1 + 1, delayMs: 3000, parentId: req });
    rec.taskSettled(keepAlive, "cancelled", undefined, 50);
    rec.taskSettled(req, "fulfilled", { ok: true }, 60 + i);
    ids.push(req);
  }
  const all = rec.gather("all", ids, { at: 0.3, parentId: CELL_TASK });
  rec.awaited(all, CELL_TASK, 1);
  rec.taskSettled(all, "fulfilled", [], 62);
  rec.cellEnded(62.1);
  return rec.snapshot(62.1);
}

/** `await Promise.all([crunch(), sleep(100)])` where `crunch` computes for 200 ms before its first await. Truth:
 *  one after another 300 ms, together 200 ms (the sleep waited while crunch ran, then fired 100 ms late). */
export function sleepBesideCpu(): TimelineModel {
  const rec = recorder(9);
  const crunch = rec.taskCreated("async", "crunch()", { at: 0, line: 1, parentId: CELL_TASK });
  rec.taskRan(crunch, 0, 200);
  rec.blocked(0, 200, 1);
  rec.taskSettled(crunch, "fulfilled", 42, 200);
  const sleep = rec.taskCreated("timeout", "sleep(100)", { at: 0, delayMs: 100, parentId: CELL_TASK });
  const all = rec.gather("all", [crunch, sleep], { at: 0, parentId: CELL_TASK });
  rec.awaited(all, CELL_TASK, 2);
  finish(rec, [sleep], 200.2);
  rec.taskSettled(all, "fulfilled", [], 200.3);
  rec.cellEnded(200.4);
  return rec.snapshot(200.4);
}

/** `await Promise.all([1, 2, 3, 4].map(() => runInWorker(spin, 300)))` on a pool of two threads that take 400 ms to
 *  start: each job's run on its thread is recorded (`threadRun`, the recording side's field). Truth: 2 at once;
 *  one after another 400 + 4 × 300 ms (start-up once), together 400 + 600 ms: saved ~600 ms. */
export function workerJobs(): TimelineModel {
  const rec = recorder(10);
  const runs: [number, number][] = [
    [400, 700],
    [401, 701],
    [700, 1000],
    [701, 1001],
  ];
  const ids = runs.map(() => rec.taskCreated("worker", "spin(300) on a worker", { at: 0, line: 2, parentId: CELL_TASK }));
  const all = rec.gather("all", ids, { at: 0.1, parentId: CELL_TASK });
  rec.awaited(all, CELL_TASK, 2);
  ids.forEach((id, i) => rec.taskSettled(id, "fulfilled", 300, (runs[i] as [number, number])[1] + 0.5));
  rec.taskSettled(all, "fulfilled", [], 1001.6);
  rec.cellEnded(1001.7);
  const model = rec.snapshot(1001.7);
  model.tasks.forEach((t, i) => {
    if (i < runs.length) Object.assign(t, { thread: (i % 2) + 1, threadRun: runs[i] });
  });
  return model;
}

/** `await Promise.all(urls.map(fetch))`: five requests made together, finishing at 50, 60, 70, 80, 90 ms as they
 *  slow each other down. Alone each would take about the fastest one's 50 ms: 250 ms one after another. */
export function fiveRequests(): TimelineModel {
  const rec = recorder(11);
  const ids = [50, 60, 70, 80, 90].map((end, i) => {
    const id = rec.taskCreated("io", `fetch GET /item/${i + 1}`, { at: 0, line: 1, parentId: CELL_TASK });
    rec.taskSettled(id, "fulfilled", { ok: true }, end);
    return id;
  });
  const all = rec.gather("all", ids, { at: 0, parentId: CELL_TASK });
  rec.awaited(all, CELL_TASK, 1);
  rec.taskSettled(all, "fulfilled", [], 90);
  rec.cellEnded(90.1);
  return rec.snapshot(90.1);
}
