// Timeline model → `text/html`. Only `div`/`span`/`details`/`summary` with inline `style` and `title`: no
// `<svg>`, `<style>`, `<script>`, CSS variables, ids or classes, and only style properties and values that
// JupyterLab's sanitizer keeps (checked by a test), so the drawing is the same in trusted and untrusted
// notebooks. Bars are placed in percent of a shared time axis; every text from user code is escaped.

import { escapeHtml, formatMs, oneLine, tickLabel, axisTicks } from "./format";
import type { TaskState, TimelineModel } from "./model";
import { buildRows, coarseRuns, type Note, type Row } from "./rows";
import { headerParts, timelineFacts, type TimelineFacts, type Tone } from "./summary";

export interface HtmlOptions {
  /** Rows drawn at most (the rest are counted in the footer). Default 200. */
  maxRows?: number;
}

const LABEL_W = 196;
const DUR_LEFT = 200;
const DUR_W = 64;
const TRACK_LEFT = 276;
const ROW_H = 18;
const TICKS = 6;
/** Rows stop being drawn past this many bytes, so that the output stays under 200 KB. */
const BYTE_BUDGET = 150_000;
const AXIS_H = 18;
const SANS = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif";
const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, Liberation Mono, monospace";

interface Look {
  fill: string;
  border: string;
  run: string;
  text: string;
}

const LOOK: Record<TaskState, Look> = {
  fulfilled: { fill: "#aceebb", border: "1px solid #4ac26b", run: "#1a7f37", text: "#116329" },
  rejected: { fill: "#ffcecb", border: "1px solid #ff8182", run: "#cf222e", text: "#a40e26" },
  pending: { fill: "linear-gradient(90deg, #80ccff, #ddf4ff)", border: "1px dashed #0969da", run: "#0550ae", text: "#0550ae" },
  cancelled: { fill: "#eaeef2", border: "1px dashed #8c959f", run: "#6e7781", text: "#57606a" },
};

const TONE: Record<Tone, string> = {
  plain: "background:#f6f8fa;border:1px solid #d0d7de;color:#1f2328",
  good: "background:#dafbe1;border:1px solid #4ac26b;color:#116329",
  warn: "background:#fff8c5;border:1px solid #d4a72c;color:#7d4e00",
  bad: "background:#ffebe9;border:1px solid #ff8182;color:#a40e26",
};

const NOTE_COLOUR: Record<Note["kind"], string> = {
  error: "#a40e26",
  pending: "#0550ae",
  late: "#bc4c00",
  flag: "#7d4e00",
  info: "#57606a",
  blocked: "#a40e26",
  good: "#116329",
};

const BLOCKED_FILL = "background:#cf222e;background:linear-gradient(90deg, #cf222e 50%, #ffaba8 50%);background-size:6px";

export function renderHtml(model: TimelineModel, now: number = model.snapshotAt, opts: HtmlOptions = {}): string {
  const f = timelineFacts(model, now);
  const span = f.axisEnd - f.axisStart;
  const x = (t: number): number => clampPct(((t - f.axisStart) / span) * 100);
  const { rows, hiddenTasks } = buildRows(model, now, f.axisStart, f.axisEnd, { maxRows: opts.maxRows ?? 200 });

  const body: string[] = [];
  body.push(axisRow(span));
  let bytes = 0;
  let drawn = 0;
  let notDrawn = hiddenTasks;
  for (const r of rows) {
    if (bytes > BYTE_BUDGET) {
      notDrawn += r.count;
      continue;
    }
    const html = taskRow(r, x, now);
    bytes += html.length;
    drawn++;
    body.push(html);
  }
  const lane = mainLane(model, f, x);
  if (lane !== "") body.push(lane);
  const height = AXIS_H + drawn * ROW_H + (lane !== "" ? ROW_H + 6 : 0);

  const out: string[] = [];
  out.push(`<div style="font-family:${SANS};font-size:12px;line-height:1.4;color:#1f2328;background:#ffffff;border:1px solid #d0d7de;border-radius:6px;padding:8px 10px;margin:4px 0;overflow:hidden">`);
  out.push(header(model, f));
  out.push(`<div style="position:relative;font-family:${MONO};font-size:12px;overflow:hidden">`);
  out.push(gridLayer(span, x, height, model, f));
  out.push(body.join(""));
  out.push(`</div>`);
  out.push(legend(model, f, rows));
  out.push(problems(model, rows));
  out.push(footer(model, notDrawn));
  out.push(`</div>`);
  return out.join("");
}

function clampPct(p: number): number {
  return p < 0 ? 0 : p > 100 ? 100 : p;
}

function pct(p: number): string {
  return `${Math.round(p * 100) / 100}%`;
}

/** A width in percent, or 2px (1px for runs) when too thin to see. */
function widthOf(from: number, to: number, minPx: number): string {
  const w = to - from;
  return w < 0.25 ? `${minPx}px` : pct(w);
}

function header(model: TimelineModel, f: TimelineFacts): string {
  const chips = headerParts(f)
    .map((p) => `<span style="display:inline-block;margin:0 4px 3px 0;padding:0 7px;border-radius:9px;${TONE[p.tone]}">${escapeHtml(p.text)}</span>`)
    .join("");
  return (
    `<div style="margin:0 0 6px 0">` +
    `<span style="display:inline-block;margin:0 8px 3px 0;font-weight:600">Cell [${model.cell}] async timeline</span>` +
    chips +
    `</div>`
  );
}

function gridLayer(span: number, x: (t: number) => number, height: number, model: TimelineModel, f: TimelineFacts): string {
  const lines: string[] = [];
  for (const t of axisTicks(span, TICKS)) {
    lines.push(`<div style="position:absolute;left:${pct(x(f.axisStart + t))};top:0;width:0;height:${height}px;border-left:1px solid #eaeef2"></div>`);
  }
  if (model.endedAt !== undefined) {
    const at = formatMs(model.endedAt - model.startedAt);
    lines.push(
      `<div title="the cell's own code finished at ${escapeHtml(at)}" style="position:absolute;left:${pct(x(model.endedAt))};top:0;width:0;height:${height}px;border-left:1px dashed #0969da"></div>`,
    );
  }
  return `<div style="position:relative;height:0;margin-left:${TRACK_LEFT}px">${lines.join("")}</div>`;
}

function axisRow(span: number): string {
  // Labels sit right of their tick; one near the right edge sits left of it, unless that would crowd the last.
  const ticks: string[] = [];
  let last = -Infinity;
  for (const t of axisTicks(span, TICKS)) {
    const p = (t / span) * 100;
    const mark = `top:0;height:${AXIS_H - 4}px;line-height:${AXIS_H - 4}px;white-space:nowrap`;
    if (p <= 88) ticks.push(`<span style="position:absolute;left:${pct(p)};padding-left:3px;border-left:1px solid #afb8c1;${mark}">${tickLabel(t)}</span>`);
    else if (p - last >= 30) ticks.push(`<span style="position:absolute;right:${pct(100 - p)};padding-right:3px;border-right:1px solid #afb8c1;${mark}">${tickLabel(t)}</span>`);
    else ticks.push(`<span style="position:absolute;left:${pct(p)};border-left:1px solid #afb8c1;${mark}"></span>`);
    last = p;
  }
  return (
    `<div style="position:relative;height:${AXIS_H}px;color:#57606a;font-size:11px;font-family:${SANS}">` +
    `<span style="position:absolute;left:0;top:0">task</span>` +
    `<span style="position:absolute;left:${DUR_LEFT}px;top:0;width:${DUR_W}px;text-align:right">took</span>` +
    `<div style="margin-left:${TRACK_LEFT}px;position:relative;height:${AXIS_H}px;border-bottom:1px solid #d0d7de">${ticks.join("")}</div>` +
    `</div>`
  );
}

function taskRow(r: Row, x: (t: number) => number, now: number): string {
  const look = LOOK[r.state];
  const parts: string[] = [];
  for (const [s, e] of r.waits) {
    parts.push(`<div style="position:absolute;left:${pct(x(s))};width:${widthOf(x(s), x(e), 1)};top:8px;height:2px;background:#8c959f"></div>`);
  }
  const bs = x(r.barStart);
  const be = x(r.end);
  if (r.barStart <= r.end) {
    let style = `position:absolute;left:${pct(bs)};width:${widthOf(bs, be, 2)};`;
    if (r.gather) {
      const dashed = r.state === "pending" ? "dashed" : "solid";
      style += `top:2px;height:10px;border:2px ${dashed} ${look.run};border-radius:3px;background:transparent`;
    } else {
      style += `top:3px;height:10px;background:${look.fill};border:${look.border};border-radius:2px`;
      if (r.state === "pending") style += ";border-right:0";
      if (r.state === "rejected") style += ";border-right:3px solid #cf222e";
    }
    parts.push(`<div style="${style}"></div>`);
  }
  for (const [s, e] of r.lates) {
    parts.push(`<div style="position:absolute;left:${pct(x(s))};width:${widthOf(x(s), x(e), 2)};top:2px;height:14px;background:#fb8500;opacity:0.85"></div>`);
  }
  if (!r.gather && r.count === 1) {
    for (const [s, e] of r.runs) {
      parts.push(`<div style="position:absolute;left:${pct(x(s))};width:${widthOf(x(s), x(e), 1)};top:4px;height:10px;background:${look.run}"></div>`);
    }
  }
  const notes = r.notes.filter((n) => n.kind !== "pending" || r.count === 1);
  const first = Math.min(r.barStart <= r.end ? bs : 100, ...r.lates.map(([s]) => x(s)));
  if (notes.length > 0) parts.push(noteSpan(notes, first, be));

  const label = escapeHtml(oneLine(r.label, 120)) + (r.count > 1 ? `<span style="color:#57606a"> ×${r.count}</span>` : "");
  const took = r.state === "pending" && r.count === 1 ? `${formatMs(now - r.start)}+` : formatMs(r.end - r.start);
  const weight = r.gather ? "font-weight:600;" : "";
  return (
    `<div title="${escapeHtml(r.tip)}" style="position:relative;height:${ROW_H}px;line-height:${ROW_H}px;white-space:nowrap">` +
    `<span style="position:absolute;left:0;top:0;width:${LABEL_W - r.depth * 14}px;margin-left:${r.depth * 14}px;overflow:hidden;text-overflow:ellipsis;${weight}">${label}</span>` +
    `<span style="position:absolute;left:${DUR_LEFT}px;top:0;width:${DUR_W}px;text-align:right;color:#57606a">${escapeHtml(took)}</span>` +
    `<div style="margin-left:${TRACK_LEFT}px;position:relative;height:${ROW_H}px">${parts.join("")}</div>` +
    `</div>`
  );
}

/** Notes go after the bar, or before it when they would pass the right edge, or inside a bar spanning both.
 *  Widths are estimated for a 450 px track (a narrow notebook); a white backing keeps them readable over lines. */
function noteSpan(notes: Note[], start: number, end: number): string {
  const plain = notes.map(noteText).join(" · ");
  const text = notes.map((n) => `<span style="color:${NOTE_COLOUR[n.kind]}">${escapeHtml(noteText(n))}</span>`).join(" · ");
  const need = ((plain.length * 6 + 12) / 450) * 100;
  const chip = `top:0;height:${ROW_H}px;padding:0 4px;background:#ffffff;font-family:${SANS};font-size:11px`;
  if (end + need <= 100) return `<span style="position:absolute;left:${pct(end)};margin-left:2px;${chip}">${text}</span>`;
  if (start - need >= 0) return `<span style="position:absolute;right:${pct(100 - start)};margin-right:2px;${chip}">${text}</span>`;
  return `<span style="position:absolute;left:${pct(start)};margin-left:6px;${chip}">${text}</span>`;
}

function noteText(n: Note): string {
  const t = oneLine(n.text, 90);
  return n.kind === "error" ? `✗ ${t}` : n.kind === "pending" ? `${t} ▸` : t;
}

function mainLane(model: TimelineModel, f: TimelineFacts, x: (t: number) => number): string {
  if (f.busyRuns.length === 0 && model.blocked.length === 0) return "";
  const parts: string[] = [];
  for (const [s, e] of coarseRuns(f.busyRuns, (f.axisEnd - f.axisStart) / 600, 200)) {
    parts.push(`<div style="position:absolute;left:${pct(x(s))};width:${widthOf(x(s), x(e), 1)};top:5px;height:8px;background:#57606a"></div>`);
  }
  let biggest: { start: number; end: number } | undefined;
  for (const b of model.blocked) {
    if (biggest === undefined || b.end - b.start > biggest.end - biggest.start) biggest = b;
    const title = `main thread blocked ${formatMs(b.end - b.start)} at ${formatMs(b.start - model.startedAt)}${b.line !== undefined ? `, line ${b.line}` : ""}: timers, I/O callbacks and awaits all waited`;
    parts.push(
      `<div title="${escapeHtml(title)}" style="position:absolute;left:${pct(x(b.start))};width:${widthOf(x(b.start), x(b.end), 2)};top:2px;height:12px;${BLOCKED_FILL};border:1px solid #cf222e"></div>`,
    );
  }
  if (biggest !== undefined) {
    parts.push(noteSpan([{ kind: "blocked", text: `blocked ${formatMs(biggest.end - biggest.start)}` }], x(biggest.start), x(biggest.end)));
  }
  const title = `main thread: dark = running JavaScript (${formatMs(f.busyMs)} in all), red stripes = blocked ≥ 50 ms`;
  return (
    `<div title="${escapeHtml(title)}" style="position:relative;height:${ROW_H}px;line-height:${ROW_H}px;white-space:nowrap;margin-top:6px;border-top:1px solid #d0d7de;padding-top:0">` +
    `<span style="position:absolute;left:0;top:0;font-family:${SANS};color:#57606a">main thread</span>` +
    `<span style="position:absolute;left:${DUR_LEFT}px;top:0;width:${DUR_W}px;text-align:right;color:#57606a">${escapeHtml(formatMs(f.busyMs))}</span>` +
    `<div style="margin-left:${TRACK_LEFT}px;position:relative;height:${ROW_H}px">${parts.join("")}</div>` +
    `</div>`
  );
}

function swatch(style: string, text: string): string {
  return `<span style="display:inline-block;margin:0 12px 2px 0;white-space:nowrap"><span style="display:inline-block;width:16px;height:9px;margin:0 4px 0 0;${style}"></span>${text}</span>`;
}

/** Only what this timeline shows. */
function legend(model: TimelineModel, f: TimelineFacts, rows: Row[]): string {
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
  if (model.endedAt !== undefined) items.push(swatch(`height:12px;width:0;border-left:1px dashed #0969da`, "the cell's own code finished"));
  return `<div style="margin:8px 0 0 0;color:#57606a;font-size:11px">${items.join("")}</div>`;
}

function problems(model: TimelineModel, rows: Row[]): string {
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

function footer(model: TimelineModel, hiddenTasks: number): string {
  const bits: string[] = [];
  if (hiddenTasks > 0) bits.push(`${hiddenTasks} more ${hiddenTasks === 1 ? "task" : "tasks"} not drawn`);
  if (model.counters.aggregated > 0) bits.push(`${model.counters.aggregated} tasks aggregated over the cap`);
  if (model.counters.hiddenPromises > 0) bits.push(`${model.counters.hiddenPromises} internal promises not shown`);
  if (model.counters.blockedDropped > 0) bits.push(`${model.counters.blockedDropped} more blocked stretches`);
  if (bits.length === 0) return "";
  return `<div style="margin:4px 0 0 0;color:#57606a;font-size:11px">${escapeHtml(bits.join(" · "))}</div>`;
}
