// Turns a timeline model into the rows both renderers draw: a tree (gather children beneath their gather,
// created tasks beneath their creator), identical siblings folded into one `label ×N` row, each row with its
// bar extent, timer wait and late segments, main-thread runs (merged to the drawing resolution), notes and a
// tooltip. Bounded: at most `maxRows` rows; the rest are counted.

import { mergeRuns } from "./cap";
import { TaskIndex, gatherSaving, peakBeneath } from "./concurrency";
import { formatApproxMs, formatMs, oneLine } from "./format";
import { CELL_TASK, isTimerKind, type LateTimer, type Task, type TaskKind, type TaskState, type TimelineModel, type TimelineWarning } from "./model";
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

interface Node {
  task: Task;
  /** Siblings with the same key fold together: kind and label. */
  key: string;
  children: Node[];
}

const KIND_NAMES: Record<TaskKind, string> = {
  async: "async call",
  await: "await",
  promise: "promise",
  timeout: "setTimeout",
  interval: "setInterval",
  immediate: "setImmediate",
  all: "Promise.all",
  allSettled: "Promise.allSettled",
  race: "Promise.race",
  any: "Promise.any",
  io: "I/O request",
  worker: "worker job",
  user: "task",
};

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
      tip: `${a.label} ×${a.count} — ${KIND_NAMES[a.kind]}, aggregated\n${countLine(counts)}\nmain thread ${formatMs(a.busyMs)}`,
      aggregated: true,
    });
  }
  return { rows, hiddenTasks: hidden };
}

interface Ctx {
  model: TimelineModel;
  now: number;
  lates: Map<number, LateTimer[]>;
  resolution: number;
  maxRuns: number;
  byId: ReadonlyMap<number, Task>;
  index: TaskIndex;
  warnings: ReadonlyMap<number, TimelineWarning[]>;
}

function countNodes(nodes: Node[]): number {
  let n = 0;
  for (const c of nodes) n += 1 + countNodes(c.children);
  return n;
}

/** Display parent: the gather a task is a child of, else its creator; cycles are broken, unknown ids go to the root. */
function buildTree(tasks: Task[]): Node[] {
  const nodes = new Map<number, Node>();
  for (const t of tasks) nodes.set(t.id, { task: t, key: t.kind + "\u0000" + t.label, children: [] });
  const roots: Node[] = [];
  for (const t of tasks) {
    const node = nodes.get(t.id) as Node;
    const parent = parentOf(t, nodes);
    if (parent === undefined || createsCycle(node, parent, nodes)) roots.push(node);
    else parent.children.push(node);
  }
  return roots;
}

function parentOf(t: Task, nodes: Map<number, Node>): Node | undefined {
  if (t.gatheredBy !== undefined && nodes.has(t.gatheredBy)) return nodes.get(t.gatheredBy);
  if (t.parentId !== undefined && t.parentId !== CELL_TASK) return nodes.get(t.parentId);
  return undefined;
}

// Tasks are attached in id order, so a cycle shows as the proposed parent's own ancestry reaching `node`.
function createsCycle(node: Node, parent: Node, nodes: Map<number, Node>): boolean {
  let p: Node | undefined = parent;
  for (let guard = 0; p !== undefined && guard < 10_000; guard++) {
    if (p === node) return true;
    p = parentOf(p.task, nodes);
  }
  return false;
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
  const errors = [...new Set(tasks.flatMap((t) => (t.error === undefined ? [] : [t.error])))];
  const tip = [
    `${first.label} ×${tasks.length} — ${KIND_NAMES[first.kind]}`,
    `${formatMs(start - ctx.model.startedAt)} → ${formatMs(end - ctx.model.startedAt)}`,
    countLine(counts),
    `main thread ${formatMs(busy)} in all`,
    ...errors.slice(0, 3).map((e) => `✗ ${oneLine(e, 120)}`),
  ].join("\n");
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

function countLine(c: Record<TaskState, number>): string {
  return `${c.fulfilled} fulfilled, ${c.rejected} rejected, ${c.pending} pending, ${c.cancelled} cancelled`;
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

function taskTip(t: Task, ctx: Ctx): string {
  const rel = (x: number): string => formatMs(x - ctx.model.startedAt);
  const lines = [`${t.label} — ${KIND_NAMES[t.kind]}${t.line !== undefined ? `, line ${t.line}` : ""}`];
  let when = `created at ${rel(t.createdAt)}`;
  if (t.dueAt !== undefined && isTimerKind(t.kind)) when += `, due at ${rel(t.dueAt)}`;
  if (t.startedAt !== undefined && isTimerKind(t.kind)) when += `, fired at ${rel(t.startedAt)}`;
  lines.push(when);
  if (t.settledAt !== undefined) lines.push(`${t.state} at ${rel(t.settledAt)} after ${formatMs(t.settledAt - t.createdAt)}`);
  else lines.push(`pending for ${formatMs(ctx.now - t.createdAt)} so far`);
  if (t.runs.length > 0 || t.busyMs > 0) {
    lines.push(`ran on the main thread ${formatMs(t.busyMs)} in ${t.runs.length} ${t.runs.length === 1 ? "stretch" : "stretches"}`);
  }
  if (t.awaitedBy !== undefined) {
    const by = t.awaitedBy.id === CELL_TASK ? "the cell" : `#${t.awaitedBy.id}`;
    lines.push(`awaited by ${by}${t.awaitedBy.line !== undefined ? ` at line ${t.awaitedBy.line}` : ""}`);
  }
  if (t.childCount !== undefined) {
    lines.push(`gathers ${t.childCount} ${t.childCount === 1 ? "task" : "tasks"}; at most ${peakBeneath(ctx.index, t)} operations in flight at once beneath it`);
    lines.push(savingLine(t, ctx));
  }
  for (const w of ctx.warnings.get(t.id) ?? []) lines.push(`⚠ ${w.line !== undefined ? `line ${w.line}: ` : ""}${oneLine(w.message, 200)}`);
  if (t.valuePreview !== undefined) lines.push(`→ ${oneLine(t.valuePreview, 80)}`);
  if (t.error !== undefined) lines.push(`✗ ${oneLine(t.error, 160)}`);
  return lines.join("\n");
}

/** How the gather's saving was reckoned, so that it can be checked by hand. */
function savingLine(g: Task, ctx: Ctx): string {
  const saving = gatherSaving(ctx.index, g);
  if (saving !== undefined) {
    return `one after another ≈ ${formatMs(saving.sequentialMs)}, at once ${formatMs(saving.togetherMs)} at work (wall ${formatMs(saving.wallMs)}): saved ${formatMs(saving.savedMs)}`;
  }
  if (g.kind === "race" || g.kind === "any") return `saves nothing: Promise.${g.kind} does not wait for all its tasks`;
  if (g.state === "pending") return "saved nothing yet: still pending";
  if (g.state === "rejected") return "saved nothing: it rejected, so its work was not all done";
  return "saved nothing";
}
