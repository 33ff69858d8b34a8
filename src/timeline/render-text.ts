// Timeline model → `text/plain`, for `jupyter console` and other text frontends: the same header facts and
// rows as the HTML, drawn in pure ASCII at most 100 columns wide (user labels and error texts aside, which
// are shown as they are, clipped). `[====]` fulfilled, `[===!` rejected, `[===>` pending (to now), `[---x`
// cancelled, `{====}` a gather, `....` waiting for a timer, `~` fired late, `#` main thread blocked, `:` paused in the debugger.

import { workerLanesText } from "./lanes";
import { axisLayout, formatMs, oneLine } from "./format";
import type { TaskState, TimelineModel } from "./model";
import { buildRows, type Note, type Row } from "./rows";
import { headerParts, timelineFacts, type TimelineFacts } from "./summary";
import { warningTask } from "./warnings";

export interface TextOptions {
  maxRows?: number;
}

export const TEXT_WIDTH = 100;
const LABEL_W = 24;
const DUR_W = 8;
const BAR_W = 56;
const BAR_COL = LABEL_W + 1 + DUR_W + 1;
/** The bar column plus the spare columns after it, where notes may go. */
const CANVAS_W = TEXT_WIDTH - BAR_COL;

const END_CHAR: Record<TaskState, string> = { fulfilled: "]", rejected: "!", pending: ">", cancelled: "x" };
const SOLO_CHAR: Record<TaskState, string> = { fulfilled: "|", rejected: "!", pending: ">", cancelled: "x" };

export function renderText(model: TimelineModel, now: number = model.snapshotAt, opts: TextOptions = {}): string {
  const f = timelineFacts(model, now);
  const span = f.axisEnd - f.axisStart;
  const col = (t: number): number => Math.min(BAR_W - 1, Math.max(0, Math.round(((t - f.axisStart) / span) * (BAR_W - 1))));
  const { rows, hiddenTasks } = buildRows(model, now, f.axisStart, f.axisEnd, { maxRows: opts.maxRows ?? 80, index: f.index });

  const lines: string[] = [];
  lines.push(...wrapParts([`cell [${model.cell}]`, ...headerParts(f).map((p) => p.text)], " | "));
  lines.push(...axisLines(span));
  const overflowNotes: string[] = [];
  for (const r of rows) lines.push(rowLine(r, col, now, overflowNotes));
  const lane = mainLane(model, f, col, overflowNotes);
  if (lane !== undefined) lines.push(lane);
  lines.push(...workerLanesText(model, col, { label: LABEL_W, dur: DUR_W, canvas: CANVAS_W }));
  lines.push(...wrapParts(legend(model, f, rows), "  "));
  if (overflowNotes.length > 0) {
    lines.push("notes:");
    for (const n of overflowNotes.slice(0, 20)) lines.push(clip(`  ${n}`));
    if (overflowNotes.length > 20) lines.push(`  ... and ${overflowNotes.length - 20} more`);
  }
  lines.push(...warningLines(model));
  lines.push(...problemLines(model));
  const bits: string[] = [];
  if (hiddenTasks > 0) bits.push(`${hiddenTasks} more tasks not drawn`);
  if (model.counters.aggregated > 0) bits.push(`${model.counters.aggregated} tasks aggregated over the cap`);
  if (model.counters.hiddenPromises > 0) bits.push(`${model.counters.hiddenPromises} internal promises not shown`);
  const internal = model.counters.internalTasks ?? 0;
  if (internal > 0) bits.push(`${internal} library timers/awaits folded into their tasks`);
  if (bits.length > 0) lines.push(...wrapParts(bits, " | "));
  return lines.map((l) => l.replace(/\s+$/, "")).join("\n");
}

function clip(s: string): string {
  return s.length > TEXT_WIDTH ? s.slice(0, TEXT_WIDTH - 3) + "..." : s;
}

/** Joins parts with `sep`, starting a new line instead of passing `TEXT_WIDTH`. */
function wrapParts(parts: string[], sep: string): string[] {
  const out: string[] = [];
  let line = "";
  for (const p of parts.map((s) => clip(s))) {
    if (line === "") line = p;
    else if (line.length + sep.length + p.length <= TEXT_WIDTH) line += sep + p;
    else {
      out.push(line);
      line = "  " + p;
    }
  }
  if (line !== "") out.push(line);
  return out;
}

/** Labels over the ruler: every `+` has its label starting above it, and the axis end's label ends above the
 *  closing `|` (see `axisLayout`). */
function axisLines(span: number): string[] {
  const labels = Array<string>(CANVAS_W).fill(" ");
  const ruler = Array<string>(BAR_W).fill("-");
  const short = (s: string): string => s.replace(" ", "");
  const { ticks, end } = axisLayout(span, 6, BAR_W, 1, 1);
  for (const t of ticks) {
    const c = Math.round((t.t / span) * (BAR_W - 1));
    ruler[c] = "+";
    const text = short(t.label);
    for (let i = 0; i < text.length; i++) labels[c + i] = text[i] as string;
  }
  const endText = short(end.label);
  for (let i = 0; i < endText.length; i++) labels[BAR_W - endText.length + i] = endText[i] as string;
  ruler[0] = "|";
  ruler[BAR_W - 1] = "|";
  const head = "task".padEnd(LABEL_W) + " " + "took".padStart(DUR_W) + " ";
  return [clip(head + labels.join("")), " ".repeat(BAR_COL) + ruler.join("")];
}

function rowLine(r: Row, col: (t: number) => number, now: number, overflow: string[]): string {
  const bar = Array<string>(CANVAS_W).fill(" ");
  for (const [s, e] of r.waits) for (let c = col(s); c <= col(e); c++) bar[c] = ".";
  for (const [s, e] of r.lates) for (let c = col(s); c <= col(e); c++) bar[c] = "~";
  if (r.barStart <= r.end) {
    const cs = col(r.barStart);
    const ce = col(r.end);
    if (cs === ce) bar[cs] = r.gather && r.state === "fulfilled" ? "|" : SOLO_CHAR[r.state];
    else {
      const fill = r.state === "cancelled" ? "-" : "=";
      bar[cs] = r.gather ? "{" : "[";
      for (let c = cs + 1; c < ce; c++) bar[c] = fill;
      bar[ce] = r.gather && r.state === "fulfilled" ? "}" : END_CHAR[r.state];
    }
  }
  const indent = "  ".repeat(r.depth);
  const suffix = r.count > 1 ? ` x${r.count}` : "";
  const label = indent + oneLine(r.label, Math.max(LABEL_W - indent.length - suffix.length, 4), "...") + suffix;
  const took = r.state === "pending" && r.count === 1 ? `${formatMs(now - r.start)}+` : formatMs(r.end - r.start);
  const notes = r.notes.map(noteText).join(", ");
  const placed = placeNote(bar, notes, col(r.start), col(r.end));
  const unseen = r.notes.filter((n) => n.kind === "late" || n.kind === "info" || n.kind === "good" || n.kind === "warning");
  if (!placed && unseen.length > 0) overflow.push(`${oneLine(r.label, 40, "...")}${suffix}: ${unseen.map(noteText).join(", ")}`);
  return clip(label.padEnd(LABEL_W).slice(0, LABEL_W) + " " + took.padStart(DUR_W) + " " + bar.join(""));
}

/** Only what this timeline shows. */
function legend(model: TimelineModel, f: TimelineFacts, rows: Row[]): string[] {
  const items: string[] = [];
  if (f.tasks > f.pending + f.rejected + f.cancelled) items.push("[==] fulfilled");
  if (f.rejected > 0) items.push("[==! rejected");
  if (f.pending > 0) items.push("[==> pending (to now)");
  if (f.cancelled > 0) items.push("[--x cancelled");
  if (rows.some((r) => r.gather)) items.push("{==} Promise.all/race/... (its tasks beneath)");
  if (rows.some((r) => r.waits.length > 0)) items.push("... waiting for a timer");
  if (f.lateTimers > 0) items.push("~~ timer fired late");
  if (f.busyRuns.length > 0) items.push("- main thread running JS");
  if (model.blocked.length > 0) items.push("# main thread blocked");
  if ((model.paused?.length ?? 0) > 0) items.push(": paused in the debugger (not busy)");
  return items;
}

function noteText(n: Note): string {
  return n.kind === "error" ? `! ${n.text}` : n.text;
}

/** Writes the note after the bar, or before it; false when neither side has room. */
function placeNote(bar: string[], note: string, start: number, end: number): boolean {
  if (note === "") return true;
  const text = oneLine(note, CANVAS_W, "...");
  let last = bar.length - 1;
  while (last >= 0 && bar[last] === " ") last--;
  let first = 0;
  while (first < bar.length && bar[first] === " ") first++;
  const after = Math.max(last, end) + 2;
  if (after + text.length <= bar.length) {
    for (let i = 0; i < text.length; i++) bar[after + i] = text[i] as string;
    return true;
  }
  const before = Math.min(first, start) - 1 - text.length;
  if (before >= 0) {
    for (let i = 0; i < text.length; i++) bar[before + i] = text[i] as string;
    return true;
  }
  return false;
}

function mainLane(model: TimelineModel, f: TimelineFacts, col: (t: number) => number, overflow: string[]): string | undefined {
  const paused = model.paused ?? [];
  if (f.busyRuns.length === 0 && model.blocked.length === 0 && paused.length === 0) return undefined;
  const bar = Array<string>(CANVAS_W).fill(" ");
  for (const p of paused) for (let c = col(p.start); c <= col(p.end); c++) bar[c] = ":";
  for (const [s, e] of f.busyRuns) for (let c = col(s); c <= col(e); c++) bar[c] = "-";
  let biggest: { start: number; end: number } | undefined;
  for (const b of model.blocked) {
    for (let c = col(b.start); c <= col(b.end); c++) bar[c] = "#";
    if (biggest === undefined || b.end - b.start > biggest.end - biggest.start) biggest = b;
  }
  if (biggest !== undefined) {
    const note = `blocked ${formatMs(biggest.end - biggest.start)}`;
    const [s, e] = [col(biggest.start), col(biggest.end)];
    const inside = ` ${note} `;
    if (e - s + 1 >= inside.length + 4) {
      const at = s + Math.floor((e - s + 1 - inside.length) / 2);
      for (let i = 0; i < inside.length; i++) bar[at + i] = inside[i] as string;
    } else if (!placeNote(bar, note, s, e)) overflow.push(`main thread: ${note}`);
  }
  return clip("main thread".padEnd(LABEL_W) + " " + formatMs(f.busyMs).padStart(DUR_W) + " " + bar.join("")).replace(/\s+$/, "");
}

function warningLines(model: TimelineModel): string[] {
  const warnings = model.warnings ?? [];
  if (warnings.length === 0) return [];
  const out = warnings.slice(0, 10).map((w) => {
    const task = warningTask(model, w);
    const where = [w.line !== undefined ? `line ${w.line}` : "", task !== undefined ? `row ${oneLine(task.label, 30, "...")}` : ""].filter((x) => x !== "").join(", ");
    return clip(`  ${where !== "" ? `${where}: ` : ""}${oneLine(w.message, 200, "...")}`);
  });
  if (warnings.length > 10) out.push(`  ... and ${warnings.length - 10} more`);
  return [`warnings (${warnings.length}):`, ...out];
}

function problemLines(model: TimelineModel): string[] {
  const out: string[] = [];
  let count = 0;
  for (const t of model.tasks) {
    const what: string[] = [];
    if (t.state === "rejected") what.push(`rejected: ${t.error ?? ""}`);
    if (t.flags.unhandled) what.push("nobody handled the rejection");
    if (t.flags.neverAwaited) what.push("never awaited");
    if (t.state === "pending" && t.flags.outlived) what.push("still pending after the cell finished");
    if (what.length === 0) continue;
    if (++count > 10) continue;
    const where = t.line !== undefined ? ` (line ${t.line})` : "";
    out.push(clip(`  ${oneLine(t.label, 40, "...")}${where}: ${oneLine(what.join("; "), 100, "...")}`));
  }
  if (count === 0) return [];
  if (count > 10) out.push(`  ... and ${count - 10} more`);
  return [`problems (${count}):`, ...out];
}
