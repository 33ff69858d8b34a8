// What really ran at once, from a timeline model: the header's "peak concurrency" and "concurrency saved", and a
// gather's "N at once". Both count *operations* — what the event loop waits on — not every task, so that an async
// call and the sleep it awaits are one unit, and tasks queued behind a semaphore do not count while they wait.
//
// An operation is a timer (setTimeout, setInterval, setImmediate, sleep), an I/O request or a worker job, in
// flight from its creation to its settling (or to now while pending); a worker job whose run on its thread is
// recorded is in flight while it runs there (not while it waits for a free thread). An operation created by another operation
// while that one was in flight counts as part of it (library internals of a request). A task the timeline cannot
// see into — an async call, named task or gathered promise with nothing recorded beneath it — counts as one
// operation (`Promise.all([fetch(a), fetch(b)])` when fetch is not traced). Async calls with tasks beneath them,
// awaits of unknown promises and gathers are never operations: they are in flight through what they wait on.

import { subtract, union, unionLength } from "./intervals";
import { CELL_TASK, isTimerKind, type Task, type TaskKind, type TimelineModel } from "./model";

const OPERATION_KINDS: ReadonlySet<TaskKind> = new Set<TaskKind>(["timeout", "interval", "immediate", "io", "worker"]);

/** The model's tasks indexed for the questions below (built once per render). */
export class TaskIndex {
  readonly byId = new Map<number, Task>();
  readonly children = new Map<number, Task[]>();
  /** Operations, each with its in-flight interval. */
  readonly operations = new Map<number, [number, number]>();
  /** Every main-thread stretch: the cell's runs, every task's runs, blocked stretches (a union). */
  readonly busy: [number, number][];

  constructor(
    readonly model: TimelineModel,
    readonly now: number,
  ) {
    for (const t of model.tasks) this.byId.set(t.id, t);
    for (const t of model.tasks) {
      const parent = displayParent(t, this.byId);
      if (parent === undefined) continue;
      const list = this.children.get(parent);
      if (list === undefined) this.children.set(parent, [t]);
      else list.push(t);
    }
    for (const t of model.tasks) {
      if (this.isOperation(t)) this.operations.set(t.id, threadRun(t) ?? this.lifetime(t));
    }
    this.busy = union([...model.cellRuns, ...model.tasks.flatMap((t) => t.runs), ...model.blocked.map((b): [number, number] => [b.start, b.end])]);
  }

  /** From creation to settling, or to now while pending. */
  lifetime(t: Task): [number, number] {
    return [t.createdAt, t.settledAt ?? Math.max(this.now, t.createdAt)];
  }

  /** The task and everything beneath it (gathered by it, or created by it), cycles broken. */
  subtree(root: Task): Task[] {
    const out: Task[] = [];
    const seen = new Set<number>();
    const stack = [root];
    while (stack.length > 0) {
      const t = stack.pop() as Task;
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      out.push(t);
      for (const c of this.children.get(t.id) ?? []) stack.push(c);
    }
    return out;
  }

  private isOperation(t: Task): boolean {
    if (OPERATION_KINDS.has(t.kind)) return !this.insideOperation(t);
    // A task the timeline cannot see into — an async call, a named task or a gathered promise with nothing recorded
    // beneath it — counts as one operation. Awaits of unknown promises never do: in a semaphore they wait for
    // another task's code, which the timeline cannot tell from waiting on the outside world.
    const opaque = t.kind === "async" || t.kind === "user" || t.kind === "promise";
    return opaque && (this.children.get(t.id) ?? []).length === 0 && !this.insideOperation(t);
  }

  /** Created by an operation (directly or through its creations) while that operation was in flight. */
  private insideOperation(t: Task): boolean {
    let p = t.parentId !== undefined ? this.byId.get(t.parentId) : undefined;
    for (let guard = 0; p !== undefined && guard < 64; guard++) {
      if (OPERATION_KINDS.has(p.kind)) {
        const [s, e] = this.lifetime(p);
        if (t.createdAt >= s && t.createdAt <= e) return true;
      }
      p = p.parentId !== undefined ? this.byId.get(p.parentId) : undefined;
    }
    return false;
  }
}

/** A worker job's run on its thread, when the recording has it (a job waiting in the pool's queue or a thread
 *  starting up is not running). */
function threadRun(t: Task): [number, number] | undefined {
  const run = t.kind === "worker" ? t.threadRun : undefined;
  return run !== undefined && run[1] >= run[0] ? run : undefined;
}

function displayParent(t: Task, byId: ReadonlyMap<number, Task>): number | undefined {
  if (t.gatheredBy !== undefined && byId.has(t.gatheredBy)) return t.gatheredBy;
  if (t.parentId !== undefined && t.parentId !== CELL_TASK && byId.has(t.parentId)) return t.parentId;
  return undefined;
}

/** The most intervals open at one instant (an interval ending when another starts does not overlap it). */
export function peakOverlap(intervals: Iterable<[number, number]>): number {
  const events: [number, number][] = [];
  for (const [s, e] of intervals) {
    if (e <= s) continue;
    events.push([s, 1], [e, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, d] of events) {
    open += d;
    if (open > peak) peak = open;
  }
  return peak;
}

/** Peak concurrency: the most operations in flight at once in the whole cell run. */
export function peakConcurrency(index: TaskIndex): number {
  return peakOverlap(index.operations.values());
}

/** The most operations in flight at once beneath one task (a gather's "N at once"). */
export function peakBeneath(index: TaskIndex, root: Task): number {
  const spans: [number, number][] = [];
  for (const t of index.subtree(root)) {
    const op = index.operations.get(t.id);
    if (op !== undefined) spans.push(op);
  }
  return peakOverlap(spans);
}

/** How long a gathered task would take alone: the union, within its lifetime, of the time its code and the code
 *  of the tasks beneath it ran on the main thread, the time the timers beneath it (itself, when it is one) waited
 *  until due — their delay; lateness is waiting for the main thread —, the time its worker jobs ran on their
 *  threads (not queueing or a thread's start-up), and the time the other operations beneath it
 *  were in flight while the main thread was not running someone else's code (their completion could not be
 *  handled then, so that time is not counted as theirs). */
export function workAlone(index: TaskIndex, task: Task): number {
  return unionLength(workSpans(index, task));
}

/** When a task was at work (see `workAlone`), as a sorted union of spans. */
export function workSpans(index: TaskIndex, task: Task): [number, number][] {
  return work(index, task).spans;
}

/** The task's work spans, and whether they are all requests in flight (no code, timers or worker runs). */
function work(index: TaskIndex, task: Task): { spans: [number, number][]; requestsOnly: boolean } {
  const [from, to] = index.lifetime(task);
  const clip = ([s, e]: [number, number]): [number, number] => [Math.max(s, from), Math.min(e, to)];
  const own: [number, number][] = [];
  const waits: [number, number][] = [];
  const flights: [number, number][] = [];
  for (const t of index.subtree(task)) {
    for (const r of t.runs) own.push(clip(r));
    const op = index.operations.get(t.id);
    if (op === undefined) continue;
    if (isTimerKind(t.kind) && t.dueAt !== undefined) waits.push(clip([op[0], Math.min(op[1], t.dueAt)]));
    else if (threadRun(t) !== undefined) waits.push(clip(op)); // ran on another thread: parallel to the main one
    else flights.push(clip(op));
  }
  const othersBusy = subtract(index.busy, own);
  const spans = union([...own, ...waits, ...subtract(flights, othersBusy)]);
  return { spans, requestsOnly: own.length === 0 && waits.length === 0 && flights.length > 0 };
}

export interface GatherSaving {
  /** Σ of each gathered task's time alone: how long running them one after another would take. */
  sequentialMs: number;
  /** How long at least one of them was at work (the union of their work): their time together. */
  togetherMs: number;
  /** The gather's wall time: from its first task's creation to its settling. */
  wallMs: number;
  /** `sequentialMs − togetherMs`, never below 0: the time their work overlapped. */
  savedMs: number;
}

/** A `Promise.all`/`allSettled` that fulfilled: the time its tasks' work overlapped — what running them at once
 *  saved over one after another. Tasks that are only requests in flight count no longer than the fastest of them. Stretches where none of them was at work (a worker thread starting up, waiting for
 *  the main thread) count in neither, as they would be paid one after another too. Undefined for other gathers:
 *  race/any do not wait for all, a rejected `all` did not finish its work (the sequential version fails as
 *  early), and a pending gather has saved nothing yet. */
export function gatherSaving(index: TaskIndex, g: Task): GatherSaving | undefined {
  if ((g.kind !== "all" && g.kind !== "allSettled") || g.children === undefined) return undefined;
  if (g.state !== "fulfilled" || g.settledAt === undefined) return undefined;
  let first = g.createdAt;
  const all: [number, number][] = [];
  const alone: { ms: number; requestsOnly: boolean }[] = [];
  for (const id of g.children) {
    const c = index.byId.get(id);
    if (c === undefined) continue;
    const w = work(index, c);
    alone.push({ ms: unionLength(w.spans), requestsOnly: w.requestsOnly });
    all.push(...w.spans);
    first = Math.min(first, c.createdAt);
  }
  // Requests in flight together slow each other down (one main thread, one connection pool, one server), so their
  // time in flight overstates their time alone: each counts no longer than the fastest gathered request.
  const fastest = Math.min(...alone.filter((a) => a.requestsOnly).map((a) => a.ms));
  const sequentialMs = alone.reduce((sum, a) => sum + (a.requestsOnly ? Math.min(a.ms, fastest) : a.ms), 0);
  const togetherMs = unionLength(all);
  return { sequentialMs, togetherMs, wallMs: g.settledAt - first, savedMs: Math.max(0, sequentialMs - togetherMs) };
}
