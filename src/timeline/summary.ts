// The story of a timeline in numbers, shared by the HTML and text renderers: the time axis, wall time,
// main-thread busy time, peak concurrency, pending/rejected counts, blocked and late time, and how much time
// concurrent gathers saved (the sum of their children's durations minus the gather's own wall time).

import { formatApproxMs, formatMs } from "./format";
import type { Task, TimelineModel } from "./model";

export interface TimelineFacts {
  axisStart: number;
  axisEnd: number;
  wallMs: number;
  /** Something is still pending, or the cell's own code has not finished. */
  running: boolean;
  /** The union of every main-thread run and blocked stretch (plus aggregated tasks' busy time). */
  busyMs: number;
  busyRuns: [number, number][];
  blockedMs: number;
  peakConcurrency: number;
  tasks: number;
  pending: number;
  rejected: number;
  cancelled: number;
  savedMs: number;
  lateTimers: number;
  maxLateMs: number;
}

export type Tone = "plain" | "good" | "warn" | "bad";

/** One header item: `wall 900 ms`, `concurrency saved ~600 ms`. */
export interface HeaderPart {
  text: string;
  tone: Tone;
}

export function timelineFacts(model: TimelineModel, now: number): TimelineFacts {
  let pending = 0;
  let rejected = 0;
  let cancelled = 0;
  let end = model.endedAt ?? model.startedAt;
  let dueEnd = end;
  const runs: [number, number][] = model.cellRuns.slice();
  for (const t of model.tasks) {
    if (t.state === "pending") pending++;
    else if (t.state === "rejected") rejected++;
    else if (t.state === "cancelled") cancelled++;
    end = Math.max(end, t.settledAt ?? t.createdAt, t.startedAt ?? end);
    // A pending timer's due time widens the axis (its due mark shows) but is not wall time yet.
    if (t.dueAt !== undefined) dueEnd = Math.max(dueEnd, t.dueAt);
    for (const r of t.runs) runs.push(r);
  }
  let aggregatedBusy = 0;
  for (const a of model.aggregates) {
    pending += a.pending;
    rejected += a.rejected;
    cancelled += a.cancelled;
    aggregatedBusy += a.busyMs;
    end = Math.max(end, a.lastSettledAt ?? a.firstCreatedAt);
  }
  let blockedMs = model.counters.blockedDroppedMs;
  for (const b of model.blocked) {
    blockedMs += b.end - b.start;
    runs.push([b.start, b.end]);
    end = Math.max(end, b.end);
  }
  let maxLateMs = 0;
  for (const l of model.lateTimers) {
    maxLateMs = Math.max(maxLateMs, l.firedAt - l.dueAt);
    end = Math.max(end, l.firedAt);
  }
  const busyRuns = unionRuns(runs);
  for (const [, e] of busyRuns) end = Math.max(end, e);
  const running = pending > 0 || model.endedAt === undefined;
  if (running) end = Math.max(end, now);
  const axisEnd = Math.max(end, dueEnd, model.startedAt + 1);
  let busyMs = aggregatedBusy;
  for (const [s, e] of busyRuns) busyMs += e - s;
  return {
    axisStart: model.startedAt,
    axisEnd,
    wallMs: end - model.startedAt,
    running,
    busyMs,
    busyRuns,
    blockedMs,
    peakConcurrency: model.counters.peakConcurrency,
    tasks: model.counters.tasks,
    pending,
    rejected,
    cancelled,
    savedMs: concurrencySaved(model, now),
    lateTimers: model.lateTimers.length + model.counters.lateDropped,
    maxLateMs,
  };
}

/** Σ over `Promise.all`/`allSettled` gathers of (children's durations − the gather's wall time), when > 0.
 *  Nested gathers add up correctly: an inner gather counts as one child of the outer. */
export function concurrencySaved(model: TimelineModel, now: number): number {
  const byId = new Map<number, Task>();
  for (const t of model.tasks) byId.set(t.id, t);
  let saved = 0;
  for (const g of model.tasks) saved += gatherSaved(g, byId, now);
  return saved;
}

/** One gather's saving (0 for race/any, which do not wait for all their tasks, and for non-gathers). */
export function gatherSaved(g: Task, byId: ReadonlyMap<number, Task>, now: number): number {
  if ((g.kind !== "all" && g.kind !== "allSettled") || g.children === undefined) return 0;
  let sum = 0;
  let first = g.createdAt;
  for (const id of g.children) {
    const c = byId.get(id);
    if (c === undefined) continue;
    sum += (c.settledAt ?? now) - c.createdAt;
    first = Math.min(first, c.createdAt);
  }
  const wall = (g.settledAt ?? now) - first;
  return sum > wall ? sum - wall : 0;
}

/** Sorted, merged union of intervals. */
export function unionRuns(runs: [number, number][]): [number, number][] {
  const sorted = runs.filter(([s, e]) => e >= s).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** The header line's items, in order. Plain ASCII so that the text renderer can use them as they are. */
export function headerParts(f: TimelineFacts): HeaderPart[] {
  const parts: HeaderPart[] = [];
  parts.push({ text: f.running ? `wall ${formatMs(f.wallMs)} so far` : `wall ${formatMs(f.wallMs)}`, tone: "plain" });
  if (f.savedMs >= 1) parts.push({ text: `concurrency saved ${formatApproxMs(f.savedMs)}`, tone: "good" });
  const pct = f.wallMs > 0 ? Math.round((100 * f.busyMs) / f.wallMs) : 0;
  parts.push({ text: `main thread busy ${formatMs(f.busyMs)} (${Math.min(pct, 100)}%)`, tone: "plain" });
  parts.push({ text: `peak concurrency ${f.peakConcurrency}`, tone: "plain" });
  parts.push({
    text: `${f.tasks} ${f.tasks === 1 ? "task" : "tasks"}: ${f.pending} pending, ${f.rejected} rejected`,
    tone: f.rejected > 0 ? "bad" : f.pending > 0 ? "warn" : "plain",
  });
  if (f.blockedMs > 0) parts.push({ text: `main thread blocked ${formatMs(f.blockedMs)}`, tone: "bad" });
  if (f.lateTimers > 0) {
    const n = f.lateTimers;
    parts.push({ text: `${n} late ${n === 1 ? "timer" : "timers"} (up to +${formatMs(f.maxLateMs)})`, tone: "warn" });
  }
  return parts;
}
