// What really ran at once, from a timeline model: the header's "peak concurrency" and "concurrency saved", and a
// gather's "N at once". Both count *operations* — what the event loop waits on — not every task, so that an async
// call and the sleep it awaits are one unit, and tasks queued behind a semaphore do not count while they wait.
//
// An operation is a timer (setTimeout, setInterval, setImmediate, sleep), an I/O request or a worker job, in
// flight from its creation to its settling (or to now while pending). An operation created by another operation
// while that one was in flight counts as part of it (library internals of a request). A task the timeline cannot
// see into — an async call, named task or gathered promise with nothing recorded beneath it — counts as one
// operation (`Promise.all([fetch(a), fetch(b)])` when fetch is not traced). Async calls with tasks beneath them,
// awaits of unknown promises and gathers are never operations: they are in flight through what they wait on.

import { CELL_TASK, type Task, type TaskKind, type TimelineModel } from "./model";

const OPERATION_KINDS: ReadonlySet<TaskKind> = new Set<TaskKind>(["timeout", "interval", "immediate", "io", "worker"]);

/** The model's tasks indexed for the questions below (built once per render). */
export class TaskIndex {
  readonly byId = new Map<number, Task>();
  readonly children = new Map<number, Task[]>();
  /** Operations, each with its in-flight interval. */
  readonly operations = new Map<number, [number, number]>();

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
      if (this.isOperation(t)) this.operations.set(t.id, this.lifetime(t));
    }
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

/** How long a gathered task would take alone: the time the operations beneath it (itself, when it is one) were
 *  in flight or its code and theirs ran on the main thread — their union, within the task's own lifetime. */
export function workAlone(index: TaskIndex, task: Task): number {
  const [from, to] = index.lifetime(task);
  const spans: [number, number][] = [];
  for (const t of index.subtree(task)) {
    const op = index.operations.get(t.id);
    if (op !== undefined) spans.push([Math.max(op[0], from), Math.min(op[1], to)]);
    for (const [s, e] of t.runs) spans.push([Math.max(s, from), Math.min(e, to)]);
  }
  return unionLength(spans);
}

export interface GatherSaving {
  /** Σ of each gathered task's time alone: how long running them one after another would take. */
  sequentialMs: number;
  /** The gather's wall time: from its first task's creation to its settling. */
  wallMs: number;
  /** `sequentialMs − wallMs`, never below 0. */
  savedMs: number;
}

/** A `Promise.all`/`allSettled` that fulfilled: what running its tasks at once saved over one after another.
 *  Undefined for other gathers: race/any do not wait for all, a rejected `all` did not finish its work (the
 *  sequential version fails as early), and a pending gather has saved nothing yet. */
export function gatherSaving(index: TaskIndex, g: Task): GatherSaving | undefined {
  if ((g.kind !== "all" && g.kind !== "allSettled") || g.children === undefined) return undefined;
  if (g.state !== "fulfilled" || g.settledAt === undefined) return undefined;
  let sequentialMs = 0;
  let first = g.createdAt;
  for (const id of g.children) {
    const c = index.byId.get(id);
    if (c === undefined) continue;
    sequentialMs += workAlone(index, c);
    first = Math.min(first, c.createdAt);
  }
  const wallMs = g.settledAt - first;
  return { sequentialMs, wallMs, savedMs: Math.max(0, sequentialMs - wallMs) };
}

/** Σ over the cell's fulfilled gathers of their savings (a nested gather counts as one task of the outer one, with
 *  its own saving added once). */
export function concurrencySaved(index: TaskIndex): number {
  let saved = 0;
  for (const t of index.model.tasks) saved += gatherSaving(index, t)?.savedMs ?? 0;
  return saved;
}

/** The length of the union of intervals. */
export function unionLength(spans: [number, number][]): number {
  const sorted = spans.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let curS = NaN;
  let curE = NaN;
  for (const [s, e] of sorted) {
    if (Number.isNaN(curS) || s > curE) {
      if (!Number.isNaN(curS)) total += curE - curS;
      curS = s;
      curE = e;
    } else if (e > curE) curE = e;
  }
  if (!Number.isNaN(curS)) total += curE - curS;
  return total;
}
