// The parts of the timeline's HTML around the chart: colours shared with the chart, the legend, the notes that
// did not fit beside their bars, the warnings and problems lists, and the footer. Same sanitizer-safe subset as
// render-html.ts (plain tags, inline styles, escaped user text).

import { escapeHtml, oneLine } from "./format";
import type { TaskState, TimelineModel } from "./model";
import type { Note, Row } from "./rows";
import type { TimelineFacts } from "./summary";
import { warningTask } from "./warnings";

const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, Liberation Mono, monospace";

export interface Look {
  fill: string;
  border: string;
  run: string;
  text: string;
}

export const LOOK: Record<TaskState, Look> = {
  fulfilled: { fill: "#aceebb", border: "1px solid #4ac26b", run: "#1a7f37", text: "#116329" },
  rejected: { fill: "#ffcecb", border: "1px solid #ff8182", run: "#cf222e", text: "#a40e26" },
  pending: { fill: "linear-gradient(90deg, #80ccff, #ddf4ff)", border: "1px dashed #0969da", run: "#0550ae", text: "#0550ae" },
  cancelled: { fill: "#eaeef2", border: "1px dashed #8c959f", run: "#6e7781", text: "#57606a" },
};

export const NOTE_COLOUR: Record<Note["kind"], string> = {
  error: "#a40e26",
  pending: "#0550ae",
  late: "#bc4c00",
  flag: "#7d4e00",
  info: "#57606a",
  blocked: "#a40e26",
  good: "#116329",
  warning: "#7d4e00",
};

/** A debugger pause on the main lane: pale blue, beneath the runs (nothing ran). */
export const PAUSED_FILL = "background:#ddf4ff;border:1px dashed #0969da";
export const BLOCKED_FILL = "background:#cf222e;background:linear-gradient(90deg, #cf222e 50%, #ffaba8 50%);background-size:6px";

/** A row's notes that did not fit beside its drawing, listed under the chart. */
export interface PlacedNote {
  row: string;
  notes: Note[];
}

/** A note as drawn: `✗` before an error, `⚠` before a warning, `▸` after pending. */
export function noteText(n: Note): string {
  const t = oneLine(n.text, 90);
  return n.kind === "error" ? `✗ ${t}` : n.kind === "pending" ? `${t} ▸` : n.kind === "warning" ? `⚠ ${t}` : t;
}

/** The notes that did not fit beside their bars (a clipped copy may be drawn there), in full. */
export function notesBelow(below: PlacedNote[]): string {
  if (below.length === 0) return "";
  const items = below.slice(0, 20).map((p) => {
    const notes = p.notes.map((n) => `<span style="color:${NOTE_COLOUR[n.kind]}">${escapeHtml(noteText(n))}</span>`).join(" · ");
    return `<div><span style="font-family:${MONO}">${escapeHtml(oneLine(p.row, 80))}</span>: ${notes}</div>`;
  });
  if (below.length > 20) items.push(`<div>… and ${below.length - 20} more</div>`);
  return `<div style="margin:4px 0 0 0;font-size:11px;color:#57606a">${items.join("")}</div>`;
}

/** The warnings the cell produced, each with its line and the row it is about. */
export function warningList(model: TimelineModel): string {
  const warnings = model.warnings ?? [];
  if (warnings.length === 0) return "";
  const items = warnings.slice(0, 20).map((w) => {
    const task = warningTask(model, w);
    const where = [w.line !== undefined ? `line ${w.line}` : "", task !== undefined ? `row ${oneLine(task.label, 60)}` : ""].filter((s) => s !== "").join(", ");
    return `<div>${where !== "" ? `<span style="font-family:${MONO}">${escapeHtml(where)}</span>: ` : ""}${escapeHtml(oneLine(w.message, 240))}</div>`;
  });
  if (warnings.length > 20) items.push(`<div>… and ${warnings.length - 20} more</div>`);
  return (
    `<details open style="margin:6px 0 0 0;font-size:11px">` +
    `<summary style="cursor:pointer;color:#7d4e00">${warnings.length} ${warnings.length === 1 ? "warning" : "warnings"}</summary>` +
    `<div style="padding:2px 0 0 14px">${items.join("")}</div></details>`
  );
}

function swatch(style: string, text: string): string {
  return `<span style="display:inline-block;margin:0 12px 2px 0;white-space:nowrap"><span style="display:inline-block;width:16px;height:9px;margin:0 4px 0 0;${style}"></span>${text}</span>`;
}

/** Only what this timeline shows. */
export function legend(model: TimelineModel, f: TimelineFacts, rows: Row[]): string {
  const has = (p: (r: Row) => boolean): boolean => rows.some(p);
  const items: string[] = [];
  if (f.tasks > f.pending + f.rejected + f.cancelled) items.push(swatch(`background:${LOOK.fulfilled.fill};border:${LOOK.fulfilled.border}`, "fulfilled"));
  if (f.rejected > 0) items.push(swatch(`background:${LOOK.rejected.fill};border:${LOOK.rejected.border};border-right:3px solid #cf222e`, "rejected"));
  if (f.pending > 0) items.push(swatch(`background:${LOOK.pending.fill};border:${LOOK.pending.border};border-right:0`, "pending (drawn to now)"));
  if (f.cancelled > 0) items.push(swatch(`background:${LOOK.cancelled.fill};border:${LOOK.cancelled.border}`, "cancelled"));
  if (has((r) => r.gather)) items.push(swatch(`border:2px solid #1a7f37;border-radius:3px;height:6px;width:12px`, "Promise.all/race/… (its tasks beneath)"));
  if (has((r) => r.runs.length > 0 && r.count === 1)) items.push(swatch(`background:#1a7f37;width:4px`, "its code running on the main thread"));
  if (has((r) => r.waits.length > 0)) items.push(swatch(`height:0;border-top:2px solid #8c959f;margin-bottom:3px`, "waiting for a timer"));
  if (f.lateTimers > 0) items.push(swatch(`background:#fb8500`, "timer fired late"));
  if (model.blocked.length > 0) items.push(swatch(`${BLOCKED_FILL};border:1px solid #cf222e`, "main thread blocked (nothing else can run)"));
  if ((model.paused?.length ?? 0) > 0) items.push(swatch(PAUSED_FILL, "paused in the debugger (not busy)"));
  if (model.endedAt !== undefined) items.push(swatch(`height:12px;width:0;border-left:1px dashed #0969da`, "the cell's own code finished"));
  return `<div style="margin:8px 0 0 0;color:#57606a;font-size:11px">${items.join("")}</div>`;
}

export function problems(model: TimelineModel, rows: Row[]): string {
  const items: string[] = [];
  let count = 0;
  for (const t of model.tasks) {
    const what: string[] = [];
    if (t.state === "rejected") what.push(`rejected: ${oneLine(t.error ?? "", 160)}`);
    if (t.flags.unhandled) what.push("nobody handled the rejection");
    if (t.flags.neverAwaited) what.push("never awaited");
    if (t.state === "pending" && t.flags.outlived) what.push("still pending after the cell finished");
    if (what.length === 0) continue;
    if (++count > 20) continue;
    const where = t.line !== undefined ? ` (line ${t.line})` : "";
    items.push(`<div><span style="font-family:${MONO}">${escapeHtml(oneLine(t.label, 80))}</span>${escapeHtml(where)}: ${escapeHtml(what.join("; "))}</div>`);
  }
  if (count === 0) return "";
  if (count > 20) items.push(`<div>… and ${count - 20} more</div>`);
  const open = rows.some((r) => r.counts.rejected > 0) ? " open" : "";
  return (
    `<details${open} style="margin:6px 0 0 0;font-size:11px">` +
    `<summary style="cursor:pointer;color:#a40e26">${count} ${count === 1 ? "problem" : "problems"}</summary>` +
    `<div style="padding:2px 0 0 14px">${items.join("")}</div></details>`
  );
}

export function footer(model: TimelineModel, hiddenTasks: number): string {
  const bits: string[] = [];
  if (hiddenTasks > 0) bits.push(`${hiddenTasks} more ${hiddenTasks === 1 ? "task" : "tasks"} not drawn`);
  if (model.counters.aggregated > 0) bits.push(`${model.counters.aggregated} tasks aggregated over the cap`);
  if (model.counters.hiddenPromises > 0) bits.push(`${model.counters.hiddenPromises} internal promises not shown`);
  const internal = model.counters.internalTasks ?? 0;
  if (internal > 0) bits.push(`${internal} library timers/awaits folded into their tasks`);
  if (model.counters.blockedDropped > 0) bits.push(`${model.counters.blockedDropped} more blocked stretches`);
  if (bits.length === 0) return "";
  return `<div style="margin:4px 0 0 0;color:#57606a;font-size:11px">${escapeHtml(bits.join(" · "))}</div>`;
}
