// Records the asynchronous tasks one cell run starts, for its timeline. The runtime's instrumentation calls the
// event methods (they are on the hot path: no stack traces, no throwing, O(1) work and no allocation beyond the
// task's own record); `snapshot()` turns what was recorded into a plain `TimelineModel`. Memory is bounded: at
// most `maxTasks` tasks are kept in detail, later ones are only counted per (kind, label); runs, blocked
// stretches and late timers have caps too. The clock is injected so that tests are deterministic.

import { capModel } from "./cap";
import { MainThreadLog } from "./main-thread";
import {
  MAX_GATHER_CHILDREN,
  gatherLabel,
  isTimerKind,
  type GatherKind,
  type InnerWait,
  type Task,
  type TaskKind,
  type TimelineModel,
  type TimelineWarning,
} from "./model";
import { TaskCounts } from "./task-counts";
import { NONE, TaskBuckets, TaskRecord, type SettledState, type TaskCreateOptions } from "./task-records";

export type { SettledState, TaskCreateOptions } from "./task-records";

export interface RecorderOptions {
  /** The execution count of the cell this recorder belongs to. */
  cell: number;
  /** A `performance.now()`-like clock in ms. */
  now: () => number;
  /** When the cell started (default: `now()` at construction). */
  startedAt?: number;
  /** Tasks kept in detail; later ones are aggregated per (kind, label). Default 5,000. */
  maxTasks?: number;
  /** Runs kept per task; beyond, a new run is merged into the last one (`busyMs` stays exact). Default 64. */
  maxRunsPerTask?: number;
  /** Blocked stretches and late timers listed; beyond, only counted. Default 500 each. */
  maxBlocked?: number;
  maxLateTimers?: number;
  /** A timer firing at least this late (ms) is listed as late. Default 10. */
  lateThresholdMs?: number;
  /** CPU cores available to worker threads, copied into the model for the header. */
  cores?: number;
}

const MAX_LABEL = 200;
/** A run cut by a debugger pause keeps drawn pieces at least this long (as the tracer draws runs ≥ 0.5 ms). */
const MIN_DRAWN_PIECE_MS = 0.5;

/** One cell run's task recorder. Ids are positive for detailed tasks and negative for aggregated ones; `0` is
 *  the cell body. Every method ignores ids it does not know. */
export class TimelineRecorder {
  readonly cell: number;
  readonly startedAt: number;
  private endedAt = NaN;
  private readonly clock: () => number;
  private readonly maxTasks: number;
  private readonly maxRuns: number;
  private readonly lateThreshold: number;

  private readonly records: TaskRecord[] = [];
  private readonly buckets = new TaskBuckets();
  /** Busy time, cell runs, blocked stretches, late timers and debugger pauses. */
  private readonly thread: MainThreadLog;
  private readonly warnings: TimelineWarning[] = [];

  private readonly counts = new TaskCounts();
  private hidden = 0;
  private internal = 0;
  private readonly innerWaits = new Map<number, InnerWait>();
  private nextWait = 1;
  private readonly cores: number | undefined;

  constructor(opts: RecorderOptions) {
    this.cores = opts.cores;
    this.cell = opts.cell;
    this.clock = opts.now;
    this.startedAt = opts.startedAt ?? opts.now();
    this.maxTasks = opts.maxTasks ?? 5000;
    this.maxRuns = opts.maxRunsPerTask ?? 64;
    this.thread = new MainThreadLog(opts.maxBlocked ?? 500, opts.maxLateTimers ?? 500);
    this.lateThreshold = opts.lateThresholdMs ?? 10;
  }

  /** A task began to exist (an async call, a timer scheduled, a request sent); returns its id. */
  taskCreated(kind: TaskKind, label: string, opts?: TaskCreateOptions): number {
    const at = opts?.at ?? this.clock();
    if (label.length > MAX_LABEL) label = label.slice(0, MAX_LABEL - 1) + "…";
    this.counts.created(kind);
    if (this.records.length >= this.maxTasks) return this.buckets.add(kind, label, at);
    const id = this.records.length + 1;
    const delay = opts?.delayMs ?? NONE;
    const rec = new TaskRecord(id, kind, label, opts?.cell ?? this.cell, opts?.line ?? NONE, opts?.parentId ?? NONE, at, delay);
    if (isTimerKind(kind)) rec.dueAt = rec.nextDueAt = kind === "immediate" ? at : at + Math.max(delay, 0);
    this.records.push(rec);
    return id;
  }

  /** The task's code first got the main thread (for most kinds the creation; for timers use `timerFired`). */
  taskStarted(id: number, t: number = this.clock()): void {
    const rec = this.records[id - 1];
    if (rec !== undefined && Number.isNaN(rec.startedAt)) rec.startedAt = t;
  }

  /** The task's code held the main thread from `start` to `end` (`id` 0: the cell body). With `draw` false the
   *  stretch counts in the busy times but is not kept as a run (a stretch too short to see). */
  taskRan(id: number, start: number, end: number, draw = true): void {
    const pauses = this.thread.pauses;
    if (!pauses.empty && pauses.overlaps(start, end)) {
      for (const [s, e] of pauses.outside(start, end)) this.taskRan(id, s, e, draw && e - s >= MIN_DRAWN_PIECE_MS);
      return;
    }
    const ms = end > start ? end - start : 0;
    this.thread.busy.add(start, end);
    if (id > 0) {
      const rec = this.records[id - 1];
      if (rec === undefined) return;
      if (Number.isNaN(rec.startedAt)) rec.startedAt = start;
      rec.busyMs += ms;
      if (draw) rec.addRun(start, end, this.maxRuns);
    } else if (id < 0) {
      const b = this.buckets.get(id);
      if (b !== undefined) b.busyMs += ms;
    } else if (draw) {
      this.thread.cellRan(start, end);
    }
  }

  /** A worker job's code ran on worker thread `thread` (1-based) from `start` to `end`, using `cpuMs` of CPU. */
  workerRan(id: number, thread: number, start: number, end: number, cpuMs?: number): void {
    this.records[id - 1]?.ranOnWorker(thread, start, end, cpuMs);
  }

  /** A timer, immediate or await made by library or runtime code on the cell's behalf: counted, not drawn. */
  countInternal(): void {
    this.internal++;
  }

  /** An await inside a function of a promise nothing else knows: counted, not drawn, but remembered while pending
   *  (a deadlock message names it). Returns a key for `innerWaitSettled`, 0 past 1,000 pending. */
  innerWait(by: number, line: number, label: string, at: number = this.clock()): number {
    this.internal++;
    if (this.innerWaits.size >= 1000) return 0;
    const key = this.nextWait++;
    this.innerWaits.set(key, { by, line, label, since: at });
    return key;
  }

  innerWaitSettled(key: number): void {
    this.innerWaits.delete(key);
  }

  /** The task settled; `value` is the fulfilled value or the rejection reason (only a short preview is kept). */
  taskSettled(id: number, state: SettledState, value?: unknown, t: number = this.clock()): void {
    if (id > 0) {
      const rec = this.records[id - 1];
      if (rec === undefined || !rec.settle(state, value, t)) return;
      this.counts.settled(rec.kind, state, t - rec.createdAt);
    } else if (id < 0) {
      const b = this.buckets.get(id);
      if (b === undefined || !b.settle(state, t)) return;
      this.counts.settled(b.kind, state, t - b.firstCreatedAt);
    }
  }

  /** `byId` (a task id, or `CELL_TASK`) awaited — or `.then`-ed — task `id` at `line`. The first awaiter is kept. */
  awaited(id: number, byId: number, line?: number): void {
    this.records[id - 1]?.awaitedOnce(byId, line);
  }

  /** A `Promise.all/allSettled/race/any` over `childIds`; returns the gather's own task id. */
  gather(kind: GatherKind, childIds: readonly number[], opts?: TaskCreateOptions): number {
    // A gather's bar spans its group: it starts with its first child (five fetches made, then gathered, are one
    // stretch of concurrent work from the first request on), unless the caller says otherwise.
    let at = opts?.at ?? this.clock();
    for (const c of childIds) {
      const child = this.records[c - 1];
      if (child !== undefined && child.createdAt < at) at = child.createdAt;
    }
    const id = this.taskCreated(kind, gatherLabel(kind, childIds.length), { ...opts, at });
    const rec = this.records[id - 1];
    if (rec === undefined) return id;
    rec.childCount = childIds.length;
    rec.children = childIds.length > MAX_GATHER_CHILDREN ? childIds.slice(0, MAX_GATHER_CHILDREN) : childIds.slice();
    for (const c of childIds) {
      const child = this.records[c - 1];
      if (child !== undefined && child.gatheredBy === NONE) child.gatheredBy = id;
    }
    return id;
  }

  /** The main thread was held from `start` to `end` by one synchronous run (callers report runs ≥ 50 ms). */
  blocked(start: number, end: number, line?: number, taskId?: number): void {
    this.thread.addBlocked(start, end, line, taskId);
  }

  /** The main thread was stopped in the debugger from `start` to `end` (reported after it resumed). The pause is
   *  cut out of what was recorded around it — busy time, runs, blocked stretches — and out of what is recorded
   *  later, and listed for the timeline to mark. Returns false when it is not news (empty, or already known). */
  paused(start: number, end: number): boolean {
    const hole = this.thread.pause(start, end);
    if (hole === null) return false;
    for (const rec of this.records) rec.cutRuns(hole);
    return true;
  }

  /** A timer's callback is about to run. Late firings (fired − due ≥ threshold) are listed. */
  timerFired(id: number, t: number = this.clock()): void {
    const rec = this.records[id - 1];
    if (rec === undefined) return;
    if (Number.isNaN(rec.startedAt)) rec.startedAt = t;
    const late = t - rec.nextDueAt;
    if (late >= this.lateThreshold) {
      if (late > rec.lateMs) rec.lateMs = late;
      this.thread.addLate(id, rec.nextDueAt, t);
    }
    if (rec.kind === "interval") rec.nextDueAt = t + Math.max(rec.delayMs, 1);
  }

  /** The task rejected and no handler was attached (seen by the runtime's `unhandledRejection`). */
  markUnhandled(id: number): void {
    const rec = this.records[id - 1];
    if (rec !== undefined) rec.unhandled = true;
  }

  /** The cell produced a warning (a forgotten await, a lost update, a blocked loop); at most 100 are kept. */
  warning(w: TimelineWarning): void {
    if (this.warnings.length < 100) this.warnings.push({ ...w });
  }

  /** A promise the runtime made for its own plumbing: counted, not drawn. */
  countInternalPromise(): void {
    this.hidden++;
  }

  /** The cell's own code finished (its last top-level statement, or its top-level await, settled). */
  cellEnded(t: number = this.clock()): void {
    if (Number.isNaN(this.endedAt)) this.endedAt = t;
  }

  /** The cell's code finished and every task it started settled (intervals count until cleared). */
  isSettled(): boolean {
    return !Number.isNaN(this.endedAt) && this.counts.pending === 0;
  }

  /** Whether a timeline is worth showing: something pending, rejected, blocked or late, or a task that waited
   *  at least `minMs` (main-thread stretches inside it not counted). */
  hasActivity(minMs: number): boolean {
    // A cell that started nothing asynchronous (a first import that compiles a module, a plain loop) gets no card.
    const c = this.counts;
    if (c.total === 0) return false;
    return (
      c.pending > 0 ||
      c.rejected > 0 ||
      this.thread.stalled ||
      (c.longest >= minMs && this.waitedAtLeast(minMs))
    );
  }

  /** Whether a task waited at least `minMs` for something other than the main thread: its time from creation to
   *  settling, less the main-thread stretches inside it. An `await Promise.resolve(41)` settles when the cell's own
   *  synchronous code has finished, so on a loaded machine its 15 ms are the cell's code, not async activity. A timer
   *  set for `minMs` or more waited for the clock by design, however much of its wait the main thread was busy (a
   *  fresh kernel's first cell may run 15 of a `sleep(20)`'s 20 ms). */
  private waitedAtLeast(minMs: number): boolean {
    if (this.buckets.size > 0) return true;
    for (const r of this.records) {
      if (Number.isNaN(r.settledAt)) continue;
      if ((r.kind === "timeout" || r.kind === "interval") && r.delayMs >= minMs && r.state === "fulfilled") return true;
      const duration = r.settledAt - r.createdAt;
      if (duration >= minMs && duration - this.thread.busy.overlap(r.createdAt, r.settledAt) >= minMs) return true;
    }
    return false;
  }

  /** The recorded timeline as plain data, with at most `maxTasks` tasks in detail (the rest aggregated). */
  snapshot(now: number = this.clock(), maxTasks: number = this.maxTasks): TimelineModel {
    const ended = this.endedAt;
    const tasks: Task[] = new Array<Task>(this.records.length);
    for (let i = 0; i < this.records.length; i++) tasks[i] = (this.records[i] as TaskRecord).toTask(ended);
    const model: TimelineModel = {
      version: 1,
      cell: this.cell,
      startedAt: this.startedAt,
      snapshotAt: now,
      tasks,
      aggregates: this.buckets.aggregates(),
      blocked: this.thread.blocked.slice(),
      lateTimers: this.thread.late.slice(),
      cellRuns: this.thread.cellRuns.map(([s, e]) => [s, e]),
      counters: {
        tasks: this.counts.total,
        aggregated: this.counts.total - this.records.length,
        hiddenPromises: this.hidden,
        peakConcurrency: this.counts.peak,
        internalTasks: this.internal,
        mainBusyMs: this.thread.busy.totalMs,
        blockedDropped: this.thread.blockedDropped,
        blockedDroppedMs: this.thread.blockedDroppedMs,
        lateDropped: this.thread.lateDropped,
      },
    };
    const pauses = this.thread.pauses;
    if (pauses.count > 0) {
      model.paused = pauses.list().map(([start, end]) => ({ start, end }));
      model.counters.pausedMs = pauses.totalMs;
    }
    if (!Number.isNaN(ended)) model.endedAt = ended;
    if (this.cores !== undefined) model.cores = this.cores;
    if (this.innerWaits.size > 0) model.innerWaits = [...this.innerWaits.values()].map((w) => ({ ...w }));
    if (this.warnings.length > 0) model.warnings = this.warnings.map((w) => ({ ...w }));
    return tasks.length > maxTasks ? capModel(model, { maxTasks }) : model;
  }
}
