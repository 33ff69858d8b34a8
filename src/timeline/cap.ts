// Caps a timeline model's size: keeps at most `maxTasks` tasks in detail (the telling ones first: pending,
// rejected, flagged, late, gathers) and folds the rest into per-(kind, label) aggregates; optionally merges
// each task's runs down to `maxRunsPerTask`. Pure: returns a new model, shares untouched parts.

import type { Task, TaskAggregate, TimelineModel } from "./model";

export interface CapOptions {
  maxTasks: number;
  maxRunsPerTask?: number;
}

function telling(t: Task): boolean {
  return (
    t.state === "pending" ||
    t.state === "rejected" ||
    t.children !== undefined ||
    t.lateMs !== undefined ||
    t.flags.unhandled === true ||
    t.flags.neverAwaited === true
  );
}

/** A model with at most `opts.maxTasks` detailed tasks (ids kept, order by id) and runs merged to the cap. */
export function capModel(model: TimelineModel, opts: CapOptions): TimelineModel {
  let tasks = model.tasks;
  let aggregates = model.aggregates;
  let aggregated = model.counters.aggregated;
  if (tasks.length > opts.maxTasks) {
    const keep = new Set<Task>();
    for (const t of tasks) if (keep.size < opts.maxTasks && telling(t)) keep.add(t);
    for (const t of tasks) if (keep.size < opts.maxTasks) keep.add(t);
    const folded = new Map<string, TaskAggregate>();
    for (const a of aggregates) folded.set(a.kind + "\u0000" + a.label, { ...a });
    for (const t of tasks) {
      if (keep.has(t)) continue;
      foldInto(folded, t);
      aggregated++;
    }
    tasks = tasks.filter((t) => keep.has(t));
    aggregates = [...folded.values()];
  }
  const maxRuns = opts.maxRunsPerTask;
  if (maxRuns !== undefined) {
    tasks = tasks.map((t) => (t.runs.length > maxRuns ? { ...t, runs: mergeRuns(t.runs, maxRuns) } : t));
  }
  if (tasks === model.tasks && aggregates === model.aggregates) return model;
  return { ...model, tasks, aggregates, counters: { ...model.counters, aggregated } };
}

function foldInto(folded: Map<string, TaskAggregate>, t: Task): void {
  const key = t.kind + "\u0000" + t.label;
  let a = folded.get(key);
  if (a === undefined) {
    a = { kind: t.kind, label: t.label, count: 0, pending: 0, fulfilled: 0, rejected: 0, cancelled: 0, firstCreatedAt: t.createdAt, busyMs: 0 };
    folded.set(key, a);
  }
  a.count++;
  a[t.state]++;
  a.busyMs += t.busyMs;
  if (t.createdAt < a.firstCreatedAt) a.firstCreatedAt = t.createdAt;
  if (t.settledAt !== undefined && !(a.lastSettledAt !== undefined && a.lastSettledAt >= t.settledAt)) a.lastSettledAt = t.settledAt;
}

/** Merges sorted runs into at most `max` by closing the smallest gaps between them. */
export function mergeRuns(runs: readonly [number, number][], max: number): [number, number][] {
  if (runs.length <= max) return runs.map(([s, e]) => [s, e]);
  const gapAt = (i: number): number => (runs[i] as [number, number])[0] - (runs[i - 1] as [number, number])[1];
  const order: number[] = [];
  for (let i = 1; i < runs.length; i++) order.push(i);
  order.sort((a, b) => gapAt(a) - gapAt(b) || a - b);
  const close = new Uint8Array(runs.length);
  for (const i of order.slice(0, runs.length - Math.max(max, 1))) close[i] = 1;
  const out: [number, number][] = [];
  for (let i = 0; i < runs.length; i++) {
    const [s, e] = runs[i] as [number, number];
    const last = out[out.length - 1];
    if (close[i] === 1 && last !== undefined) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
