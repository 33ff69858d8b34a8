// Turns a timeline model into the rows both renderers draw: a tree (gather children beneath their gather,
// created tasks beneath their creator), identical siblings folded into one `label ×N` row, each row with its
// bar extent, timer wait and late segments, main-thread runs (merged to the drawing resolution), notes and a
// tooltip. Bounded: at most `maxRows` rows; the rest are counted.

import { mergeRuns } from "./cap";
import { TaskIndex, gatherSaving, peakBeneath } from "./concurrency";
import { formatApproxMs, formatMs } from "./format";
import { isTimerKind, type LateTimer, type Task, type TaskKind, type TaskState, type TimelineModel, type TimelineWarning } from "./model";
import { aggregateTip, foldedTip, taskTip, type TipContext } from "./row-tips";
import { type Node, buildTree, countNodes } from "./row-tree";
import { unionRuns } from "./summary";
import { warningsByTask } from "./warnings";

export type NoteKind = "error" | "pending" | "late" | "flag" | "info" | "blocked" | "good" | "warning";

/** A warning's short note on its row. */
export const WARNING_NOTES: Record<TimelineWarning["kind"], string> = {
  "floating-promise": "warning: forgotten await",
  "lost-update": "warning: lost update",
  blocked: "warning: blocked the event loop",
};

export interface Note {
  kind: NoteKind;
  text: string;
}

export interface Row {
  depth: number;
  kind: TaskKind;
  label: string;
  /** How many tasks the row stands for (1, or N for a folded `label ×N` row). */
  count: number;
  /** Colour state: the task's; for folded rows pending if any is pending, else the most common settled state. */
  state: TaskState;
  counts: Record<TaskState, number>;
  gather: boolean;
  /** The row's extent (creation → settle, or → now while pending). */
  start: number;
  end: number;
  /** Where the state-coloured bar starts: the creation, or for timers the first firing (before it, `waits`). */
  barStart: number;
  /** Timers: created → due (waiting for the timer). */
  waits: [number, number][];
  /** Timers: due → fired, for firings that came late. */
  lates: [number, number][];
  runs: [number, number][];
  notes: Note[];
  /** Plain-text tooltip (lines separated by `\n`). */
  tip: string;
  /** Folded from the recorder's or the cap's aggregates (no per-task detail left). */
  aggregated: boolean;
}

export interface RowOptions {
  /** Identical siblings fold into one row from this many on. Default 8. */
  foldMin?: number;
  maxRows?: number;
  /** Runs drawn per row. Default 24. */
  maxRunsPerRow?: number;
  /** Indentation stops at this depth. Default 6. */
  maxDepth?: number;
  /** The model's task index, when the caller has one already. */
  index?: TaskIndex;
}

export interface RowsResult {
  rows: Row[];
  /** Tasks not drawn because of `maxRows`. */
  hiddenTasks: number;
}

export function buildRows(model: TimelineModel, now: number, axisStart: number, axisEnd: number, opts: RowOptions = {}): RowsResult {
  const foldMin = opts.foldMin ?? 8;
  const maxRows = opts.maxRows ?? 300;
  const maxRuns = opts.maxRunsPerRow ?? 24;
  const maxDepth = opts.maxDepth ?? 6;
  const resolution = (axisEnd - axisStart) / 600;
  const lates = new Map<number, LateTimer[]>();
  for (const l of model.lateTimers) {
    const list = lates.get(l.taskId);
    if (list === undefined) lates.set(l.taskId, [l]);
    else list.push(l);
  }
  const roots = buildTree(model.tasks);
  const rows: Row[] = [];
  let hidden = 0;
  const byId = new Map<number, Task>();
  for (const t of model.tasks) byId.set(t.id, t);
  const index = opts.index ?? new TaskIndex(model, now);
  const warnings = warningsByTask(model);
  const ctx = { model, now, lates, resolution, maxRuns, byId, index, warnings };

  const emit = (siblings: Node[], depth: number): void => {
    const groups = new Map<string, Node[]>();
    for (const n of siblings) {
      const g = groups.get(n.key);
      if (g === undefined) groups.set(n.key, [n]);
      else g.push(n);
    }
    for (const n of siblings) {
      const group = groups.get(n.key) as Node[];
      const folded = group.length >= foldMin;
      if (folded && group[0] !== n) continue;
      const members = folded ? group : [n];
      const children = folded ? members.flatMap((m) => m.children) : n.children;
      if (rows.length >= maxRows) {
        hidden += members.length + countNodes(children);
        continue;
      }
      rows.push(folded ? foldedRow(members.map((m) => m.task), depth, ctx) : taskRow(n.task, depth, ctx));
      emit(children, Math.min(depth + 1, maxDepth));
    }
  };
  emit(roots, 0);
  for (const a of model.aggregates) {
    if (rows.length >= maxRows) {
      hidden += a.count;
      continue;
    }
    const counts = { pending: a.pending, fulfilled: a.fulfilled, rejected: a.rejected, cancelled: a.cancelled };
    const end = a.pending > 0 ? now : (a.lastSettledAt ?? a.firstCreatedAt);
    const notes = countNotes(counts);
    notes.push({ kind: "info", text: "aggregated (over the task cap)" });
    rows.push({
      depth: 0,
      kind: a.kind,
      label: a.label,
      count: a.count,
      state: colourState(counts),
      counts,
      gather: false,
      start: a.firstCreatedAt,
      end,
      barStart: a.firstCreatedAt,
      waits: [],
      lates: [],
      runs: [],
      notes,
      tip: aggregateTip(a, counts),
      aggregated: true,
    });
  }
  return { rows, hiddenTasks: hidden };
}

interface Ctx extends TipContext {
  lates: Map<number, LateTimer[]>;
  resolution: number;
  maxRuns: number;
  byId: ReadonlyMap<number, Task>;
}

function taskRow(t: Task, depth: number, ctx: Ctx): Row {
  const end = t.settledAt ?? Math.max(ctx.now, t.createdAt);
  const counts = { pending: 0, fulfilled: 0, rejected: 0, cancelled: 0 };
  counts[t.state] = 1;
  const waits: [number, number][] = [];
  const lates: [number, number][] = [];
  if (isTimerKind(t.kind) && t.dueAt !== undefined && t.dueAt > t.createdAt) waits.push([t.createdAt, Math.min(t.dueAt, end)]);
  for (const l of ctx.lates.get(t.id) ?? []) lates.push([l.dueAt, l.firedAt]);
  const notes: Note[] = [];
  if (t.state === "rejected") notes.push({ kind: "error", text: t.error ?? "rejected" });
  if (t.state === "pending") notes.push({ kind: "pending", text: "pending" });
  if (t.state === "cancelled") notes.push({ kind: "info", text: "cancelled" });
  if (t.flags.unhandled) notes.push({ kind: "error", text: "unhandled rejection" });
  if (t.flags.outlived) notes.push({ kind: "flag", text: "outlived its cell" });
  if (t.flags.neverAwaited) notes.push({ kind: "flag", text: "never awaited" });
  if (t.lateMs !== undefined) notes.push({ kind: "late", text: `fired +${formatMs(t.lateMs)} late` });
  if (t.children !== undefined) {
    // "N at once" counts operations in flight together beneath the gather (a semaphore of 2 → 2), not its tasks.
    const atOnce = peakBeneath(ctx.index, t);
    const saving = gatherSaving(ctx.index, t);
    const saved = saving !== undefined && saving.savedMs >= 1 ? `: saved ${formatApproxMs(saving.savedMs)}` : "";
    if (atOnce > 1 || saved !== "") notes.push({ kind: saved !== "" ? "good" : "info", text: `${atOnce} at once${saved}` });
  }
  for (const w of ctx.warnings.get(t.id) ?? []) notes.push({ kind: "warning", text: WARNING_NOTES[w.kind] });
  return {
    depth,
    kind: t.kind,
    label: t.label,
    count: 1,
    state: t.state,
    counts,
    gather: t.children !== undefined,
    start: t.createdAt,
    end,
    barStart: isTimerKind(t.kind) ? (t.startedAt ?? Math.max(t.dueAt ?? t.createdAt, t.createdAt)) : t.createdAt,
    waits,
    lates,
    runs: drawRuns(t.runs, ctx),
    notes,
    tip: taskTip(t, ctx),
    aggregated: false,
  };
}

function foldedRow(tasks: Task[], depth: number, ctx: Ctx): Row {
  const first = tasks[0] as Task;
  const counts = { pending: 0, fulfilled: 0, rejected: 0, cancelled: 0 };
  let start = Infinity;
  let end = -Infinity;
  let busy = 0;
  let lateCount = 0;
  const runs: [number, number][] = [];
  const lates: [number, number][] = [];
  for (const t of tasks) {
    counts[t.state]++;
    start = Math.min(start, t.createdAt);
    end = Math.max(end, t.settledAt ?? Math.max(ctx.now, t.createdAt));
    busy += t.busyMs;
    for (const r of t.runs) runs.push(r);
    for (const l of ctx.lates.get(t.id) ?? []) {
      lates.push([l.dueAt, l.firedAt]);
      lateCount++;
    }
  }
  const notes = countNotes(counts);
  if (lateCount > 0) notes.push({ kind: "late", text: `${lateCount} fired late` });
  const tip = foldedTip(tasks, start, end, counts, busy, ctx);
  return {
    depth,
    kind: first.kind,
    label: first.label,
    count: tasks.length,
    state: colourState(counts),
    counts,
    gather: tasks.some((t) => t.children !== undefined),
    start,
    end,
    barStart: start,
    waits: [],
    lates: unionRuns(lates).slice(0, ctx.maxRuns),
    runs: drawRuns(runs, ctx),
    notes,
    tip,
    aggregated: false,
  };
}

/** A folded row's colour: pending while any is; else the most common settled state (the notes count the rest). */
function colourState(c: Record<TaskState, number>): TaskState {
  if (c.pending > 0) return "pending";
  if (c.fulfilled >= c.rejected && c.fulfilled >= c.cancelled) return "fulfilled";
  return c.rejected >= c.cancelled ? "rejected" : "cancelled";
}

function countNotes(c: Record<TaskState, number>): Note[] {
  const notes: Note[] = [];
  if (c.rejected > 0) notes.push({ kind: "error", text: `${c.rejected} rejected` });
  if (c.pending > 0) notes.push({ kind: "pending", text: `${c.pending} pending` });
  if (c.cancelled > 0) notes.push({ kind: "info", text: `${c.cancelled} cancelled` });
  return notes;
}

/** Runs merged where closer than the drawing resolution, then capped. */
function drawRuns(runs: [number, number][], ctx: Ctx): [number, number][] {
  return coarseRuns(runs, ctx.resolution, ctx.maxRuns);
}

/** The union of `runs`, joined across gaps below `resolution` and merged down to at most `max`. */
export function coarseRuns(runs: [number, number][], resolution: number, max: number): [number, number][] {
  if (runs.length === 0) return [];
  const merged: [number, number][] = [];
  for (const [s, e] of unionRuns(runs)) {
    const last = merged[merged.length - 1];
    if (last !== undefined && s - last[1] < resolution) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return mergeRuns(merged, max);
}
