// The story of a timeline in numbers, shared by the HTML and text renderers: the time axis and the header's
// figures. Each figure has one definition, written in `DEFINITIONS` (the chip's tooltip) and in docs/timeline.md,
// so that a learner can check it by hand against the bars.

import { TaskIndex, gatherSaving, peakConcurrency, type GatherSaving } from "./concurrency";
import { formatApproxMs, formatMs } from "./format";
import { union } from "./intervals";
import type { TimelineModel } from "./model";

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
  /** Time stopped in the debugger (not part of busy or blocked time). */
  pausedMs: number;
  /** The most operations (timers, I/O requests, worker jobs) in flight at once; see concurrency.ts. */
  peakConcurrency: number;
  tasks: number;
  pending: number;
  rejected: number;
  cancelled: number;
  savedMs: number;
  /** Each fulfilled Promise.all/allSettled's saving (what `savedMs` sums), for the tooltip's arithmetic. */
  savings: (GatherSaving & { label: string })[];
  lateTimers: number;
  maxLateMs: number;
  warnings: number;
  index: TaskIndex;
}

export type Tone = "plain" | "good" | "warn" | "bad";

/** One header item: `wall 900 ms`, `concurrency saved ~600 ms`, with its definition as a tooltip. */
export interface HeaderPart {
  key: keyof typeof DEFINITIONS;
  text: string;
  tone: Tone;
  tip: string;
}

/** What each header figure means, word for word the tooltip (and docs/timeline.md). No " — " in them: a title with
 *  one is a task row's tooltip ("label — kind"), which the JupyterLab tests look for. */
export const DEFINITIONS = {
  wall:
    "Wall time: from the cell's start to the last thing that happened in its run: its own code ending, the last task settling, the last run of its code. While something is pending it runs to now (\"so far\"). A timer cancelled before it fired ends where it was cancelled.",
  saved:
    "Concurrency saved: for each Promise.all/allSettled that fulfilled, the time its tasks' work overlapped: Σ of each task's time at work (its timers until due, its worker runs, its code, its requests in flight: no longer than the fastest gathered request) minus the time at least one of them was at work (about the gather's wall time). Summed over gathers; nothing for race/any, a rejected or still-pending gather.",
  busy:
    "Main thread busy: the time JavaScript ran on the main thread (the union of every recorded run: the cell's code, callbacks, continuations after an await, and blocked stretches), and its share of the wall time.",
  peak:
    "Peak concurrency: the most operations in flight at one instant. An operation is a timer (setTimeout, setInterval, setImmediate, sleep), an I/O request or a worker job; an async call is in flight through what it awaits, so Promise.all of three calls that each await one sleep counts 3. Tasks waiting for each other (a semaphore queue) do not count.",
  tasks:
    "Tasks: every task recorded (async calls, awaits, timers, gathers, requests, jobs). Pending: not settled when drawn. Rejected: settled with an error, whether handled or not.",
  blocked:
    "Main thread blocked: the sum of synchronous runs of 50 ms or more. Nothing else (timers, I/O callbacks, awaits) can run during them.",
  paused:
    "Paused in the debugger: the time the main thread was stopped at a breakpoint, a step or an exception. Not counted as busy or blocked: nothing ran.",
  late: "Late timers: timer firings that came 10 ms or more after they were due (usually because the main thread was busy), and the worst lateness.",
  warnings: "Warnings the cell produced: forgotten awaits, lost updates across an await, a blocked event loop. Each names its line and row.",
} as const;

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
    // A pending timer's due time widens the axis (its due mark shows) but is not wall time yet. A settled or
    // cancelled timer's due time does neither: an interrupted `sleep(60_000)` must not stretch the axis to 1 min.
    if (t.dueAt !== undefined && t.state === "pending") dueEnd = Math.max(dueEnd, t.dueAt);
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
  for (const p of model.paused ?? []) end = Math.max(end, p.end);
  const busyRuns = unionRuns(runs);
  for (const [, e] of busyRuns) end = Math.max(end, e);
  const running = pending > 0 || model.endedAt === undefined;
  if (running) end = Math.max(end, now);
  const axisEnd = Math.max(end, dueEnd, model.startedAt + 1);
  let busyMs = aggregatedBusy;
  for (const [s, e] of busyRuns) busyMs += e - s;
  // The recorder's exact union of every stretch, however short (a storm of 0.1 ms continuations draws no runs;
  // merged runs past a cap would overstate it). Models from before it existed use the drawn runs.
  if (model.counters.mainBusyMs !== undefined) busyMs = model.counters.mainBusyMs;
  const index = new TaskIndex(model, now);
  const savings: TimelineFacts["savings"] = [];
  for (const t of model.tasks) {
    const saving = gatherSaving(index, t);
    if (saving !== undefined && saving.savedMs > 0) savings.push({ ...saving, label: t.label });
  }
  return {
    axisStart: model.startedAt,
    axisEnd,
    wallMs: end - model.startedAt,
    running,
    busyMs,
    busyRuns,
    blockedMs,
    pausedMs: model.counters.pausedMs ?? 0,
    peakConcurrency: peakConcurrency(index),
    tasks: model.counters.tasks,
    pending,
    rejected,
    cancelled,
    savedMs: savings.reduce((sum, g) => sum + g.savedMs, 0),
    savings,
    lateTimers: model.lateTimers.length + model.counters.lateDropped,
    maxLateMs,
    warnings: model.warnings?.length ?? 0,
    index,
  };
}

/** Sorted, merged union of intervals. */
export function unionRuns(runs: [number, number][]): [number, number][] {
  return union(runs);
}

/** The header line's items, in order. Plain ASCII so that the text renderer can use them as they are. A saving
 *  is shown only when one happened (≥ 1 ms); peak concurrency only when an operation was seen. */
export function headerParts(f: TimelineFacts): HeaderPart[] {
  const parts: HeaderPart[] = [];
  const part = (key: HeaderPart["key"], text: string, tone: Tone, detail = ""): void => {
    parts.push({ key, text, tone, tip: detail === "" ? DEFINITIONS[key] : `${DEFINITIONS[key]}\n${detail}` });
  };
  part("wall", f.running ? `wall ${formatMs(f.wallMs)} so far` : `wall ${formatMs(f.wallMs)}`, "plain");
  if (f.savedMs >= 1) {
    const sums = f.savings.slice(0, 5).map((g) => `${g.label}: ${formatMs(g.sequentialMs)} one after another - ${formatMs(g.togetherMs)} at once = ${formatMs(g.savedMs)}`);
    if (f.savings.length > 5) sums.push(`… and ${f.savings.length - 5} more gathers`);
    part("saved", `concurrency saved ${formatApproxMs(f.savedMs)}`, "good", `Here: ${sums.join("; ")}.`);
  }
  const pct = f.wallMs > 0 ? Math.min(Math.round((100 * f.busyMs) / f.wallMs), 100) : 0;
  part("busy", `main thread busy ${formatMs(f.busyMs)} (${pct}%)`, "plain");
  if (f.peakConcurrency > 0) part("peak", `peak concurrency ${f.peakConcurrency}`, "plain");
  part(
    "tasks",
    `${f.tasks} ${f.tasks === 1 ? "task" : "tasks"}: ${f.pending} pending, ${f.rejected} rejected`,
    f.rejected > 0 ? "bad" : f.pending > 0 ? "warn" : "plain",
    f.cancelled > 0 ? `Cancelled: ${f.cancelled}.` : "",
  );
  if (f.blockedMs > 0) part("blocked", `main thread blocked ${formatMs(f.blockedMs)}`, "bad");
  if (f.pausedMs > 0) part("paused", `paused ${formatMs(f.pausedMs)} in the debugger, not counted as busy`, "plain");
  if (f.lateTimers > 0) {
    const n = f.lateTimers;
    part("late", `${n} late ${n === 1 ? "timer" : "timers"} (up to +${formatMs(f.maxLateMs)})`, "warn");
  }
  if (f.warnings > 0) part("warnings", `${f.warnings} ${f.warnings === 1 ? "warning" : "warnings"}`, "warn");
  return parts;
}
