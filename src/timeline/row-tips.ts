// The plain-text tooltips of the timeline's rows: what a task is, when it was made, due, fired and settled, how
// long it held the main thread, who awaited it, and for a gather how its saving was reckoned (to check by hand).

import { type TaskIndex, gatherSaving, peakBeneath } from "./concurrency";
import { formatMs, oneLine } from "./format";
import {
  CELL_TASK,
  isTimerKind,
  type Task,
  type TaskAggregate,
  type TaskKind,
  type TaskState,
  type TimelineModel,
  type TimelineWarning,
} from "./model";

/** What a tooltip reads besides its task. */
export interface TipContext {
  model: TimelineModel;
  now: number;
  index: TaskIndex;
  warnings: ReadonlyMap<number, TimelineWarning[]>;
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

function countLine(c: Record<TaskState, number>): string {
  return `${c.fulfilled} fulfilled, ${c.rejected} rejected, ${c.pending} pending, ${c.cancelled} cancelled`;
}

/** A folded `label ×N` row's tooltip: its span, counts, main-thread time and up to three distinct errors. */
export function foldedTip(tasks: Task[], start: number, end: number, counts: Record<TaskState, number>, busy: number, ctx: TipContext): string {
  const first = tasks[0] as Task;
  const errors = [...new Set(tasks.flatMap((t) => (t.error === undefined ? [] : [t.error])))];
  return [
    `${first.label} ×${tasks.length} — ${KIND_NAMES[first.kind]}`,
    `${formatMs(start - ctx.model.startedAt)} → ${formatMs(end - ctx.model.startedAt)}`,
    countLine(counts),
    `main thread ${formatMs(busy)} in all`,
    ...errors.slice(0, 3).map((e) => `✗ ${oneLine(e, 120)}`),
  ].join("\n");
}

/** The tooltip of a row of tasks aggregated past the recorder's or the cap's limit. */
export function aggregateTip(a: TaskAggregate, counts: Record<TaskState, number>): string {
  return `${a.label} ×${a.count} — ${KIND_NAMES[a.kind]}, aggregated\n${countLine(counts)}\nmain thread ${formatMs(a.busyMs)}`;
}

/** A single task's row tooltip. */
export function taskTip(t: Task, ctx: TipContext): string {
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
function savingLine(g: Task, ctx: TipContext): string {
  const saving = gatherSaving(ctx.index, g);
  if (saving !== undefined) {
    return `one after another ≈ ${formatMs(saving.sequentialMs)}, at once ${formatMs(saving.togetherMs)} at work (wall ${formatMs(saving.wallMs)}): saved ${formatMs(saving.savedMs)}`;
  }
  if (g.kind === "race" || g.kind === "any") return `saves nothing: Promise.${g.kind} does not wait for all its tasks`;
  if (g.state === "pending") return "saved nothing yet: still pending";
  if (g.state === "rejected") return "saved nothing: it rejected, so its work was not all done";
  return "saved nothing";
}
