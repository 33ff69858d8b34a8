// Timeline model → `text/html`. Only `div`/`span`/`details`/`summary` with inline `style` and `title`: no
// `<svg>`, `<style>`, `<script>`, CSS variables, ids or classes, and only style properties and values that
// JupyterLab's sanitizer keeps (checked by a test), so the drawing is the same in trusted and untrusted
// notebooks. Bars are placed in percent of a shared time axis; every text from user code is escaped.

import { axisLayout, escapeHtml, formatMs, oneLine, type AxisMark } from "./format";
import { workerLanesHtml } from "./lanes";
import type { TimelineModel } from "./model";
import { BLOCKED_FILL, PAUSED_FILL, LOOK, NOTE_COLOUR, footer, legend, noteText, notesBelow, problems, warningList, type PlacedNote } from "./render-html-parts";
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
/** Layout assumptions for text placed on the track (checked by test/unit/timeline/layout.test.ts): the narrowest
 *  track the drawing is laid out for, and a generous width per character of the 11 px sans-serif text. */
export const TRACK_MIN_PX = 450;
export const CHAR_PX = 6.6;
const NOTE_PAD_PX = 10;
/** A note's distance from the drawing it follows (past the bar's right border and rejected cap) or precedes. */
const NOTE_GAP_RIGHT_PX = 6;
const NOTE_GAP_LEFT_PX = 3;
const SANS = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif";
const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, Liberation Mono, monospace";

const TONE: Record<Tone, string> = {
  plain: "background:#f6f8fa;border:1px solid #d0d7de;color:#1f2328",
  good: "background:#dafbe1;border:1px solid #4ac26b;color:#116329",
  warn: "background:#fff8c5;border:1px solid #d4a72c;color:#7d4e00",
  bad: "background:#ffebe9;border:1px solid #ff8182;color:#a40e26",
};

export function renderHtml(model: TimelineModel, now: number = model.snapshotAt, opts: HtmlOptions = {}): string {
  const f = timelineFacts(model, now);
  const span = f.axisEnd - f.axisStart;
  const x = (t: number): number => clampPct(((t - f.axisStart) / span) * 100);
  const { rows, hiddenTasks } = buildRows(model, now, f.axisStart, f.axisEnd, { maxRows: opts.maxRows ?? 200, index: f.index });
  const axis = axisLayout(span, TICKS, TRACK_MIN_PX, CHAR_PX, 6);

  const below: PlacedNote[] = [];
  const body: string[] = [];
  body.push(axisRow(span, axis));
  let bytes = 0;
  let drawn = 0;
  let notDrawn = hiddenTasks;
  for (const r of rows) {
    if (bytes > BYTE_BUDGET) {
      notDrawn += r.count;
      continue;
    }
    const html = taskRow(r, x, now, below);
    bytes += html.length;
    drawn++;
    body.push(html);
  }
  const lane = mainLane(model, f, x, below);
  if (lane !== "") body.push(lane);
  const workers = workerLanesHtml(model, x, { rowH: ROW_H, durLeft: DUR_LEFT, durW: DUR_W, trackLeft: TRACK_LEFT, sans: SANS, colour: LOOK });
  if (workers.html !== "") body.push(workers.html);
  const height = AXIS_H + drawn * ROW_H + (lane !== "" ? ROW_H + 6 : 0) + workers.height;

  const out: string[] = [];
  out.push(`<div style="font-family:${SANS};font-size:12px;line-height:1.4;color:#1f2328;background:#ffffff;border:1px solid #d0d7de;border-radius:6px;padding:8px 10px;margin:4px 0;overflow:hidden">`);
  out.push(header(model, f));
  out.push(`<div style="position:relative;font-family:${MONO};font-size:12px;overflow:hidden">`);
  out.push(gridLayer(axis.ticks, x, height, model, f));
  out.push(body.join(""));
  out.push(`</div>`);
  out.push(notesBelow(below));
  out.push(legend(model, f, rows));
  out.push(warningList(model));
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
    .map((p) => `<span title="${escapeHtml(p.tip)}" style="display:inline-block;margin:0 4px 3px 0;padding:0 7px;border-radius:9px;${TONE[p.tone]}">${escapeHtml(p.text)}</span>`)
    .join("");
  return (
    `<div style="margin:0 0 6px 0">` +
    `<span style="display:inline-block;margin:0 8px 3px 0;font-weight:600">Cell [${model.cell}] async timeline</span>` +
    chips +
    `</div>`
  );
}

/** A gridline at every labelled tick (the axis end is the track's right edge), and the cell-ended line. */
function gridLayer(ticks: AxisMark[], x: (t: number) => number, height: number, model: TimelineModel, f: TimelineFacts): string {
  const lines: string[] = [];
  for (const t of ticks) {
    lines.push(`<div style="position:absolute;left:${pct(x(f.axisStart + t.t))};top:0;width:0;height:${height}px;border-left:1px solid #eaeef2"></div>`);
  }
  if (model.endedAt !== undefined) {
    const at = formatMs(model.endedAt - model.startedAt);
    lines.push(
      `<div title="the cell's own code finished at ${escapeHtml(at)}" style="position:absolute;left:${pct(x(model.endedAt))};top:0;width:0;height:${height}px;border-left:1px dashed #0969da"></div>`,
    );
  }
  return `<div style="position:relative;height:0;margin-left:${TRACK_LEFT}px">${lines.join("")}</div>`;
}

/** Every tick label starts at its tick; the axis end's label ends at the right edge (see `axisLayout`). */
function axisRow(span: number, axis: { ticks: AxisMark[]; end: AxisMark }): string {
  const mark = `top:0;height:${AXIS_H - 4}px;line-height:${AXIS_H - 4}px;white-space:nowrap`;
  const ticks = axis.ticks.map((t) => `<span style="position:absolute;left:${pct((t.t / span) * 100)};padding-left:3px;border-left:1px solid #afb8c1;${mark}">${t.label}</span>`);
  ticks.push(`<span title="the axis ends at ${escapeHtml(axis.end.label)}" style="position:absolute;right:0;padding-right:3px;border-right:1px solid #afb8c1;${mark}">${axis.end.label}</span>`);
  return (
    `<div style="position:relative;height:${AXIS_H}px;color:#57606a;font-size:11px;font-family:${SANS}">` +
    `<span style="position:absolute;left:0;top:0">task</span>` +
    `<span style="position:absolute;left:${DUR_LEFT}px;top:0;width:${DUR_W}px;text-align:right">took</span>` +
    `<div style="margin-left:${TRACK_LEFT}px;position:relative;height:${AXIS_H}px;border-bottom:1px solid #d0d7de">${ticks.join("")}</div>` +
    `</div>`
  );
}

function taskRow(r: Row, x: (t: number) => number, now: number, below: PlacedNote[]): string {
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
  // The row's own drawing — wait line, bar, late marks — is off limits to its notes.
  const from = Math.min(r.barStart <= r.end ? bs : 100, ...r.waits.map(([s]) => x(s)), ...r.lates.map(([s]) => x(s)));
  const to = Math.max(r.barStart <= r.end ? be : 0, ...r.waits.map(([, e]) => x(e)), ...r.lates.map(([, e]) => x(e)));
  if (notes.length > 0) parts.push(noteSpan(notes, { from, to, leftLimit: 0, rightLimit: 100 }, r.label, below));

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

/** The width a note's text takes on the track, by the layout assumption (`CHAR_PX` per character). */
export function notePx(text: string): number {
  return text.length * CHAR_PX + NOTE_PAD_PX;
}

/** Where a note may go, in percent of the track: the drawing it belongs to spans `from`–`to`, and the free space
 *  around it reaches `leftLimit` and `rightLimit` (the next thing drawn, or the track's edges). */
interface NoteRoom {
  from: number;
  to: number;
  leftLimit: number;
  rightLimit: number;
}

/** Notes go in the free space after the row's drawing, or before it — never over it. Space is reckoned on the
 *  narrowest track (`TRACK_MIN_PX`; on a wider one there is more). When neither side has room for the whole text,
 *  the larger side gets it clipped (`…`) if it has room for a few words, and the full note is listed below the
 *  chart. A white backing keeps notes readable over gridlines. */
function noteSpan(notes: Note[], { from, to, leftLimit, rightLimit }: NoteRoom, rowLabel: string, below: PlacedNote[]): string {
  const plain = notes.map(noteText).join(" · ");
  const text = notes.map((n) => `<span style="color:${NOTE_COLOUR[n.kind]}">${escapeHtml(noteText(n))}</span>`).join(" · ");
  const need = notePx(plain);
  // Bars are content-box: their borders (up to 1 px left, 1 px + the 3 px rejected cap right) lie past `to`.
  const rightPx = ((rightLimit - to) / 100) * TRACK_MIN_PX - NOTE_GAP_RIGHT_PX - 2;
  const leftPx = ((from - leftLimit) / 100) * TRACK_MIN_PX - NOTE_GAP_LEFT_PX - 2;
  const chip = `top:0;height:${ROW_H}px;padding:0 4px;background:#ffffff;font-family:${SANS};font-size:11px;overflow:hidden;text-overflow:ellipsis`;
  if (need <= rightPx) return `<span style="position:absolute;left:${pct(to)};margin-left:${NOTE_GAP_RIGHT_PX}px;${chip}">${text}</span>`;
  if (need <= leftPx) return `<span style="position:absolute;right:${pct(100 - from)};margin-right:${NOTE_GAP_LEFT_PX}px;${chip}">${text}</span>`;
  below.push({ row: rowLabel, notes });
  const room = Math.floor(Math.max(rightPx, leftPx));
  if (room < 60) return "";
  const title = ` title="${escapeHtml(plain)}"`;
  if (rightPx >= leftPx) return `<span${title} style="position:absolute;left:${pct(to)};margin-left:${NOTE_GAP_RIGHT_PX}px;width:${room - NOTE_PAD_PX}px;${chip}">${text}</span>`;
  return `<span${title} style="position:absolute;right:${pct(100 - from)};margin-right:${NOTE_GAP_LEFT_PX}px;width:${room - NOTE_PAD_PX}px;${chip}">${text}</span>`;
}

function mainLane(model: TimelineModel, f: TimelineFacts, x: (t: number) => number, below: PlacedNote[]): string {
  const paused = model.paused ?? [];
  if (f.busyRuns.length === 0 && model.blocked.length === 0 && paused.length === 0) return "";
  const parts: string[] = [];
  for (const p of paused) {
    const title = `paused in the debugger ${formatMs(p.end - p.start)} at ${formatMs(p.start - model.startedAt)}: nothing ran, not counted as busy or blocked`;
    parts.push(`<div title="${escapeHtml(title)}" style="position:absolute;left:${pct(x(p.start))};width:${widthOf(x(p.start), x(p.end), 2)};top:2px;height:12px;box-sizing:border-box;${PAUSED_FILL}"></div>`);
  }
  const drawn = coarseRuns(f.busyRuns, (f.axisEnd - f.axisStart) / 600, 200);
  for (const [s, e] of drawn) {
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
    // The note goes in the gap after (or before) the longest blocked stretch, clear of every run drawn.
    const spans = [...drawn, ...model.blocked.map((b): [number, number] => [b.start, b.end])].map(([s, e]): [number, number] => [x(s), x(e)]);
    let from = x(biggest.start);
    let to = x(biggest.end);
    for (const [s, e] of spans) {
      if (s <= to && e >= from) [from, to] = [Math.min(from, s), Math.max(to, e)];
    }
    let leftLimit = 0;
    let rightLimit = 100;
    for (const [s, e] of spans) {
      if (e < from) leftLimit = Math.max(leftLimit, e);
      if (s > to) rightLimit = Math.min(rightLimit, s);
    }
    parts.push(noteSpan([{ kind: "blocked", text: `blocked ${formatMs(biggest.end - biggest.start)}` }], { from, to, leftLimit, rightLimit }, "main thread", below));
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
