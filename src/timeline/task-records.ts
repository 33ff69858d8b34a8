// The recorder's storage of tasks: a mutable `TaskRecord` per task kept in detail, and past the cap a `Bucket` per
// (kind, label) that only counts (`TaskBuckets`). Both turn into the model's plain data (`Task`, `TaskAggregate`)
// for a snapshot. Records are filled in place on the hot path: numbers with NaN / `NONE` for "not yet".

import {
  isAwaitableKind,
  type Task,
  type TaskAggregate,
  type TaskKind,
  type TaskState,
} from "./model";
import { cut } from "./pauses";
import { previewError, previewValue } from "./preview";

/** "Not set" for the integer fields of a record (line, parent, awaiter, gather, thread). */
export const NONE = -1;
const MAX_BUCKETS = 200;
const OTHER = "(other tasks)";

/** States a task can settle in. */
export type SettledState = Exclude<TaskState, "pending">;

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

/** One task kept in detail. */
export class TaskRecord {
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

  /** Settles a pending task at `t` (keeping a short preview of `value`); false when it had settled already. */
  settle(state: SettledState, value: unknown, t: number): boolean {
    if (this.state !== "pending") return false;
    this.state = state;
    this.settledAt = t;
    if (state === "fulfilled") this.valuePreview = previewValue(value);
    else if (state === "rejected") this.error = previewError(value);
    return true;
  }

  /** Keeps the first awaiter (a task id or `CELL_TASK`) and the line of its `await`. */
  awaitedOnce(byId: number, line: number | undefined): void {
    if (this.awaitedBy !== NONE) return;
    this.awaitedBy = byId;
    this.awaitedLine = line ?? NONE;
  }

  /** A worker job's code ran on worker thread `thread` from `start` to `end`, using `cpuMs` of CPU. */
  ranOnWorker(thread: number, start: number, end: number, cpuMs: number | undefined): void {
    this.thread = thread;
    this.threadStart = start;
    this.threadEnd = end;
    if (cpuMs !== undefined) this.cpuMs = cpuMs;
    if (Number.isNaN(this.startedAt)) this.startedAt = start;
  }

  /** Keeps a run; past `maxRuns` runs, or when it starts before the last one ended, it is merged into the last. */
  addRun(start: number, end: number, maxRuns: number): void {
    const runs = this.runs ?? (this.runs = []);
    const n = runs.length;
    if (n > 0 && (n >= 2 * maxRuns || start <= (runs[n - 1] as number))) {
      if (end > (runs[n - 1] as number)) runs[n - 1] = end;
    } else {
      runs.push(start, end);
    }
  }

  /** Cuts `hole` (a debugger pause) out of the runs, and the time cut out of `busyMs`. */
  cutRuns(hole: [number, number][]): void {
    if (this.runs === null) return;
    const runs: number[] = [];
    for (let i = 0; i + 1 < this.runs.length; i += 2) {
      const [s, e] = [this.runs[i] as number, this.runs[i + 1] as number];
      const pieces = cut(s, e, hole);
      this.busyMs -= e - s - pieces.reduce((sum, [ps, pe]) => sum + pe - ps, 0);
      for (const [ps, pe] of pieces) runs.push(ps, pe);
    }
    if (this.busyMs < 0) this.busyMs = 0;
    this.runs = runs;
  }

  /** The record as the model's plain `Task`; `ended` is when the cell's own code finished (NaN: not yet). */
  toTask(ended: number): Task {
    const runs: [number, number][] = [];
    if (this.runs !== null) for (let i = 0; i + 1 < this.runs.length; i += 2) runs.push([this.runs[i] as number, this.runs[i + 1] as number]);
    const t: Task = {
      id: this.id,
      kind: this.kind,
      label: this.label,
      cell: this.cell,
      createdAt: this.createdAt,
      state: this.state,
      runs,
      busyMs: this.busyMs,
      flags: {},
    };
    if (this.line !== NONE) t.line = this.line;
    if (this.parentId !== NONE) t.parentId = this.parentId;
    if (this.awaitedBy !== NONE) t.awaitedBy = this.awaitedLine === NONE ? { id: this.awaitedBy } : { id: this.awaitedBy, line: this.awaitedLine };
    if (this.gatheredBy !== NONE) t.gatheredBy = this.gatheredBy;
    if (this.children !== null) {
      t.children = this.children.slice();
      t.childCount = this.childCount;
    }
    if (!Number.isNaN(this.dueAt)) t.dueAt = this.dueAt;
    if (!Number.isNaN(this.startedAt)) t.startedAt = this.startedAt;
    if (!Number.isNaN(this.settledAt)) t.settledAt = this.settledAt;
    if (this.valuePreview !== undefined) t.valuePreview = this.valuePreview;
    if (this.error !== undefined) t.error = this.error;
    if (this.lateMs > 0) t.lateMs = this.lateMs;
    if (this.thread !== NONE) {
      t.thread = this.thread;
      t.threadRun = [this.threadStart, this.threadEnd];
      if (!Number.isNaN(this.cpuMs)) t.cpuMs = this.cpuMs;
    }
    if (!Number.isNaN(ended)) {
      if (Number.isNaN(this.settledAt) ? true : this.settledAt > ended || this.createdAt > ended) t.flags.outlived = true;
      if (isAwaitableKind(this.kind) && this.awaitedBy === NONE && this.gatheredBy === NONE) t.flags.neverAwaited = true;
    }
    if (this.unhandled) t.flags.unhandled = true;
    return t;
  }
}

/** The tasks of one (kind, label) past the cap: counts only. */
export class Bucket {
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

  /** One of its tasks settled at `t`; false when none was pending. */
  settle(state: SettledState, t: number): boolean {
    if (this.pending === 0) return false;
    this.pending--;
    this[state]++;
    if (!(this.lastSettledAt >= t)) this.lastSettledAt = t;
    return true;
  }

  toAggregate(): TaskAggregate {
    const a: TaskAggregate = {
      kind: this.kind,
      label: this.label,
      count: this.count,
      pending: this.pending,
      fulfilled: this.fulfilled,
      rejected: this.rejected,
      cancelled: this.cancelled,
      firstCreatedAt: this.firstCreatedAt,
      busyMs: this.busyMs,
    };
    if (!Number.isNaN(this.lastSettledAt)) a.lastSettledAt = this.lastSettledAt;
    return a;
  }
}

/** The buckets of the tasks past the cap, one per (kind, label), at most `MAX_BUCKETS` (the last one takes every
 *  later label as "(other tasks)"). Bucket `i` stands for all its tasks under the id `-(i + 1)`. */
export class TaskBuckets {
  private readonly list: Bucket[] = [];
  private readonly index = new Map<TaskKind, Map<string, number>>();

  get size(): number {
    return this.list.length;
  }

  /** The bucket of a negative id. */
  get(id: number): Bucket | undefined {
    return this.list[-id - 1];
  }

  /** Counts a task in its bucket (made at `at` if new) and returns the bucket's id. */
  add(kind: TaskKind, label: string, at: number): number {
    let byLabel = this.index.get(kind);
    if (byLabel === undefined) this.index.set(kind, (byLabel = new Map()));
    let index = byLabel.get(label);
    if (index === undefined) {
      if (this.list.length >= MAX_BUCKETS - 1 && label !== OTHER) return this.add("user", OTHER, at);
      index = this.list.length;
      this.list.push(new Bucket(kind, label, at));
      byLabel.set(label, index);
    }
    const b = this.list[index] as Bucket;
    b.count++;
    b.pending++;
    return -(index + 1);
  }

  aggregates(): TaskAggregate[] {
    return this.list.map((b) => b.toAggregate());
  }
}
