// Records the asynchronous tasks one cell run starts, for its timeline. The runtime's instrumentation calls the
// event methods (they are on the hot path: no stack traces, no throwing, O(1) work and no allocation beyond the
// task's own record); `snapshot()` turns what was recorded into a plain `TimelineModel`. Memory is bounded: at
// most `maxTasks` tasks are kept in detail, later ones are only counted per (kind, label); runs, blocked
// stretches and late timers have caps too. The clock is injected so that tests are deterministic.

import { BusyUnion } from "./busy-union";
import { PausedTime, cut } from "./pauses";
import { capModel } from "./cap";
import {
  BLOCKED_MIN_MS,
  CELL_TASK,
  MAX_GATHER_CHILDREN,
  gatherLabel,
  isAwaitableKind,
  isGatherKind,
  isTimerKind,
  type BlockedStretch,
  type GatherKind,
  type InnerWait,
  type LateTimer,
  type Task,
  type TaskAggregate,
  type TaskKind,
  type TaskState,
  type TimelineModel,
  type TimelineWarning,
} from "./model";
import { previewError, previewValue } from "./preview";

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

export interface TaskCreateOptions {
  line?: number;
  /** The creating task's id (`CELL_TASK` for the cell body). */
  parentId?: number;
  /** Creation time (default: `now()`). */
  at?: number;
  /** Timers: the delay asked for (ms), so that the recorder knows when a firing is due. */
  delayMs?: number;
  /** The cell number, when not this recorder's (a task created on behalf of another cell). */
  cell?: number;
}

/** States a task can settle in. */
export type SettledState = Exclude<TaskState, "pending">;

const NONE = -1;
const MAX_LABEL = 200;
const MAX_BUCKETS = 200;
const MAX_CELL_RUNS = 256;
const OTHER = "(other tasks)";
/** A run cut by a debugger pause keeps drawn pieces at least this long (as the tracer draws runs ≥ 0.5 ms). */
const MIN_DRAWN_PIECE_MS = 0.5;

class TaskRecord {
  startedAt = NaN;
  settledAt = NaN;
  dueAt = NaN;
  /** Timers: when the next firing is due (intervals move it on). */
  nextDueAt = NaN;
  lateMs = 0;
  state: TaskState = "pending";
  valuePreview: string | undefined = undefined;
  error: string | undefined = undefined;
  awaitedBy = NONE;
  awaitedLine = NONE;
  gatheredBy = NONE;
  children: number[] | null = null;
  childCount = 0;
  unhandled = false;
  /** Flat [start0, end0, start1, end1, ...]. */
  runs: number[] | null = null;
  busyMs = 0;
  thread = NONE;
  threadStart = NaN;
  threadEnd = NaN;
  cpuMs = NaN;

  constructor(
    readonly id: number,
    readonly kind: TaskKind,
    readonly label: string,
    readonly cell: number,
    readonly line: number,
    readonly parentId: number,
    readonly createdAt: number,
    readonly delayMs: number,
  ) {}
}

class Bucket {
  count = 0;
  pending = 0;
  fulfilled = 0;
  rejected = 0;
  cancelled = 0;
  lastSettledAt = NaN;
  busyMs = 0;

  constructor(
    readonly kind: TaskKind,
    readonly label: string,
    readonly firstCreatedAt: number,
  ) {}
}

/** One cell run's task recorder. Ids are positive for detailed tasks and negative for aggregated ones; `0` is
 *  the cell body. Every method ignores ids it does not know. */
export class TimelineRecorder {
  readonly cell: number;
  readonly startedAt: number;
  private endedAt = NaN;
  private readonly clock: () => number;
  private readonly maxTasks: number;
  private readonly maxRuns: number;
  private readonly maxBlocked: number;
  private readonly maxLate: number;
  private readonly lateThreshold: number;

  private readonly records: TaskRecord[] = [];
  private readonly buckets: Bucket[] = [];
  private readonly bucketIndex = new Map<TaskKind, Map<string, number>>();
  private readonly blockedList: BlockedStretch[] = [];
  private readonly lateList: LateTimer[] = [];
  private readonly cellRuns: [number, number][] = [];
  private readonly warnings: TimelineWarning[] = [];

  private total = 0;
  private pendingAll = 0;
  private inFlight = 0;
  private peak = 0;
  private rejectedCount = 0;
  private longest = 0;
  private hidden = 0;
  private blockedDropped = 0;
  private blockedDroppedMs = 0;
  private lateDropped = 0;
  private internal = 0;
  private readonly innerWaits = new Map<number, InnerWait>();
  private nextWait = 1;
  private readonly busy = new BusyUnion();
  private readonly pauses = new PausedTime();
  private readonly cores: number | undefined;

  constructor(opts: RecorderOptions) {
    this.cores = opts.cores;
    this.cell = opts.cell;
    this.clock = opts.now;
    this.startedAt = opts.startedAt ?? opts.now();
    this.maxTasks = opts.maxTasks ?? 5000;
    this.maxRuns = opts.maxRunsPerTask ?? 64;
    this.maxBlocked = opts.maxBlocked ?? 500;
    this.maxLate = opts.maxLateTimers ?? 500;
    this.lateThreshold = opts.lateThresholdMs ?? 10;
  }

  /** A task began to exist (an async call, a timer scheduled, a request sent); returns its id. */
  taskCreated(kind: TaskKind, label: string, opts?: TaskCreateOptions): number {
    const at = opts?.at ?? this.clock();
    if (label.length > MAX_LABEL) label = label.slice(0, MAX_LABEL - 1) + "…";
    this.total++;
    this.pendingAll++;
    if (!isGatherKind(kind) && ++this.inFlight > this.peak) this.peak = this.inFlight;
    if (this.records.length >= this.maxTasks) return this.overflow(kind, label, at);
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
    if (!this.pauses.empty && this.pauses.overlaps(start, end)) {
      for (const [s, e] of this.pauses.outside(start, end)) this.taskRan(id, s, e, draw && e - s >= MIN_DRAWN_PIECE_MS);
      return;
    }
    const ms = end > start ? end - start : 0;
    this.busy.add(start, end);
    if (id > 0) {
      const rec = this.records[id - 1];
      if (rec === undefined) return;
      if (Number.isNaN(rec.startedAt)) rec.startedAt = start;
      rec.busyMs += ms;
      if (!draw) return;
      const runs = rec.runs ?? (rec.runs = []);
      const n = runs.length;
      if (n > 0 && (n >= 2 * this.maxRuns || start <= (runs[n - 1] as number))) {
        if (end > (runs[n - 1] as number)) runs[n - 1] = end;
      } else {
        runs.push(start, end);
      }
    } else if (id < 0) {
      const b = this.buckets[-id - 1];
      if (b !== undefined) b.busyMs += ms;
    } else if (draw && this.cellRuns.length < MAX_CELL_RUNS) {
      this.cellRuns.push([start, end]);
    }
  }

  /** A worker job's code ran on worker thread `thread` (1-based) from `start` to `end`, using `cpuMs` of CPU. */
  workerRan(id: number, thread: number, start: number, end: number, cpuMs?: number): void {
    const rec = this.records[id - 1];
    if (rec === undefined) return;
    rec.thread = thread;
    rec.threadStart = start;
    rec.threadEnd = end;
    if (cpuMs !== undefined) rec.cpuMs = cpuMs;
    if (Number.isNaN(rec.startedAt)) rec.startedAt = start;
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
      if (rec === undefined || rec.state !== "pending") return;
      rec.state = state;
      rec.settledAt = t;
      if (state === "fulfilled") rec.valuePreview = previewValue(value);
      else if (state === "rejected") rec.error = previewError(value);
      this.settledCounts(rec.kind, state, t - rec.createdAt);
    } else if (id < 0) {
      const b = this.buckets[-id - 1];
      if (b === undefined || b.pending === 0) return;
      b.pending--;
      b[state]++;
      if (!(b.lastSettledAt >= t)) b.lastSettledAt = t;
      this.settledCounts(b.kind, state, t - b.firstCreatedAt);
    }
  }

  /** `byId` (a task id, or `CELL_TASK`) awaited — or `.then`-ed — task `id` at `line`. The first awaiter is kept. */
  awaited(id: number, byId: number, line?: number): void {
    const rec = this.records[id - 1];
    if (rec !== undefined && rec.awaitedBy === NONE) {
      rec.awaitedBy = byId;
      rec.awaitedLine = line ?? NONE;
    }
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
    if (!this.pauses.empty && this.pauses.overlaps(start, end)) {
      for (const [s, e] of this.pauses.outside(start, end)) if (e - s >= BLOCKED_MIN_MS) this.blocked(s, e, line, taskId);
      return;
    }
    if (this.blockedList.length >= this.maxBlocked) {
      this.blockedDropped++;
      this.blockedDroppedMs += end - start;
      return;
    }
    // Not added to the busy union: the runs inside it are (a held window found by the lag monitor is approximate).
    const b: BlockedStretch = { start, end };
    if (line !== undefined) b.line = line;
    if (taskId !== undefined && taskId !== CELL_TASK) b.taskId = taskId;
    this.blockedList.push(b);
  }

  /** The main thread was stopped in the debugger from `start` to `end` (reported after it resumed). The pause is
   *  cut out of what was recorded around it — busy time, runs, blocked stretches — and out of what is recorded
   *  later, and listed for the timeline to mark. Returns false when it is not news (empty, or already known). */
  paused(start: number, end: number): boolean {
    if (!this.pauses.add(start, end)) return false;
    this.busy.cut(start, end);
    const hole: [number, number][] = [[start, end]];
    for (const rec of this.records) {
      if (rec.runs === null) continue;
      const runs: number[] = [];
      for (let i = 0; i + 1 < rec.runs.length; i += 2) {
        const [s, e] = [rec.runs[i] as number, rec.runs[i + 1] as number];
        const pieces = cut(s, e, hole);
        rec.busyMs -= e - s - pieces.reduce((sum, [ps, pe]) => sum + pe - ps, 0);
        for (const [ps, pe] of pieces) runs.push(ps, pe);
      }
      if (rec.busyMs < 0) rec.busyMs = 0;
      rec.runs = runs;
    }
    const cellRuns = this.cellRuns.flatMap(([s, e]) => cut(s, e, hole));
    this.cellRuns.splice(0, this.cellRuns.length, ...cellRuns);
    const blocked = this.blockedList.flatMap((b) =>
      cut(b.start, b.end, hole)
        .filter(([s, e]) => e - s >= BLOCKED_MIN_MS)
        .map(([s, e]): BlockedStretch => ({ ...b, start: s, end: e })),
    );
    this.blockedList.splice(0, this.blockedList.length, ...blocked);
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
      if (this.lateList.length < this.maxLate) this.lateList.push({ taskId: id, dueAt: rec.nextDueAt, firedAt: t });
      else this.lateDropped++;
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
    return !Number.isNaN(this.endedAt) && this.pendingAll === 0;
  }

  /** Whether a timeline is worth showing: something pending, rejected, blocked or late, or a task that waited
   *  at least `minMs` (main-thread stretches inside it not counted). */
  hasActivity(minMs: number): boolean {
    // A cell that started nothing asynchronous (a first import that compiles a module, a plain loop) gets no card.
    if (this.total === 0) return false;
    return (
      this.pendingAll > 0 ||
      this.rejectedCount > 0 ||
      this.blockedList.length + this.blockedDropped > 0 ||
      this.lateList.length + this.lateDropped > 0 ||
      (this.longest >= minMs && this.waitedAtLeast(minMs))
    );
  }

  /** Whether a task waited at least `minMs` for something other than the main thread: its time from creation to
   *  settling, less the main-thread stretches inside it. An `await Promise.resolve(41)` settles when the cell's own
   *  synchronous code has finished, so on a loaded machine its 15 ms are the cell's code, not async activity. */
  private waitedAtLeast(minMs: number): boolean {
    if (this.buckets.length > 0) return true;
    for (const r of this.records) {
      if (Number.isNaN(r.settledAt)) continue;
      const duration = r.settledAt - r.createdAt;
      if (duration >= minMs && duration - this.busy.overlap(r.createdAt, r.settledAt) >= minMs) return true;
    }
    return false;
  }

  /** The recorded timeline as plain data, with at most `maxTasks` tasks in detail (the rest aggregated). */
  snapshot(now: number = this.clock(), maxTasks: number = this.maxTasks): TimelineModel {
    const ended = this.endedAt;
    const tasks: Task[] = new Array<Task>(this.records.length);
    for (let i = 0; i < this.records.length; i++) tasks[i] = this.toTask(this.records[i] as TaskRecord, ended);
    const aggregates: TaskAggregate[] = this.buckets.map((b) => {
      const a: TaskAggregate = {
        kind: b.kind,
        label: b.label,
        count: b.count,
        pending: b.pending,
        fulfilled: b.fulfilled,
        rejected: b.rejected,
        cancelled: b.cancelled,
        firstCreatedAt: b.firstCreatedAt,
        busyMs: b.busyMs,
      };
      if (!Number.isNaN(b.lastSettledAt)) a.lastSettledAt = b.lastSettledAt;
      return a;
    });
    const model: TimelineModel = {
      version: 1,
      cell: this.cell,
      startedAt: this.startedAt,
      snapshotAt: now,
      tasks,
      aggregates,
      blocked: this.blockedList.slice(),
      lateTimers: this.lateList.slice(),
      cellRuns: this.cellRuns.map(([s, e]) => [s, e]),
      counters: {
        tasks: this.total,
        aggregated: this.total - this.records.length,
        hiddenPromises: this.hidden,
        peakConcurrency: this.peak,
        internalTasks: this.internal,
        mainBusyMs: this.busy.totalMs,
        blockedDropped: this.blockedDropped,
        blockedDroppedMs: this.blockedDroppedMs,
        lateDropped: this.lateDropped,
      },
    };
    if (this.pauses.count > 0) {
      model.paused = this.pauses.list().map(([start, end]) => ({ start, end }));
      model.counters.pausedMs = this.pauses.totalMs;
    }
    if (!Number.isNaN(ended)) model.endedAt = ended;
    if (this.cores !== undefined) model.cores = this.cores;
    if (this.innerWaits.size > 0) model.innerWaits = [...this.innerWaits.values()].map((w) => ({ ...w }));
    if (this.warnings.length > 0) model.warnings = this.warnings.map((w) => ({ ...w }));
    return tasks.length > maxTasks ? capModel(model, { maxTasks }) : model;
  }

  private toTask(r: TaskRecord, ended: number): Task {
    const runs: [number, number][] = [];
    if (r.runs !== null) for (let i = 0; i + 1 < r.runs.length; i += 2) runs.push([r.runs[i] as number, r.runs[i + 1] as number]);
    const t: Task = {
      id: r.id,
      kind: r.kind,
      label: r.label,
      cell: r.cell,
      createdAt: r.createdAt,
      state: r.state,
      runs,
      busyMs: r.busyMs,
      flags: {},
    };
    if (r.line !== NONE) t.line = r.line;
    if (r.parentId !== NONE) t.parentId = r.parentId;
    if (r.awaitedBy !== NONE) t.awaitedBy = r.awaitedLine === NONE ? { id: r.awaitedBy } : { id: r.awaitedBy, line: r.awaitedLine };
    if (r.gatheredBy !== NONE) t.gatheredBy = r.gatheredBy;
    if (r.children !== null) {
      t.children = r.children.slice();
      t.childCount = r.childCount;
    }
    if (!Number.isNaN(r.dueAt)) t.dueAt = r.dueAt;
    if (!Number.isNaN(r.startedAt)) t.startedAt = r.startedAt;
    if (!Number.isNaN(r.settledAt)) t.settledAt = r.settledAt;
    if (r.valuePreview !== undefined) t.valuePreview = r.valuePreview;
    if (r.error !== undefined) t.error = r.error;
    if (r.lateMs > 0) t.lateMs = r.lateMs;
    if (r.thread !== NONE) {
      t.thread = r.thread;
      t.threadRun = [r.threadStart, r.threadEnd];
      if (!Number.isNaN(r.cpuMs)) t.cpuMs = r.cpuMs;
    }
    if (!Number.isNaN(ended)) {
      if (Number.isNaN(r.settledAt) ? true : r.settledAt > ended || r.createdAt > ended) t.flags.outlived = true;
      if (isAwaitableKind(r.kind) && r.awaitedBy === NONE && r.gatheredBy === NONE) t.flags.neverAwaited = true;
    }
    if (r.unhandled) t.flags.unhandled = true;
    return t;
  }

  private settledCounts(kind: TaskKind, state: SettledState, duration: number): void {
    this.pendingAll--;
    if (!isGatherKind(kind)) this.inFlight--;
    if (state === "rejected") this.rejectedCount++;
    if (duration > this.longest) this.longest = duration;
  }

  /** Past the cap: count the task in its (kind, label) bucket; the bucket's negative id stands for all of them. */
  private overflow(kind: TaskKind, label: string, at: number): number {
    let byLabel = this.bucketIndex.get(kind);
    if (byLabel === undefined) this.bucketIndex.set(kind, (byLabel = new Map()));
    let index = byLabel.get(label);
    if (index === undefined) {
      if (this.buckets.length >= MAX_BUCKETS - 1 && label !== OTHER) return this.overflow("user", OTHER, at);
      index = this.buckets.length;
      this.buckets.push(new Bucket(kind, label, at));
      byLabel.set(label, index);
    }
    const b = this.buckets[index] as Bucket;
    b.count++;
    b.pending++;
    return -(index + 1);
  }
}
