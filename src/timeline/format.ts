// Small formatting helpers shared by the timeline renderers: durations, axis ticks, escaping.

/** `0.4 ms`, `12 ms`, `900 ms`, `1.25 s`, `2 min 5 s`. */
export function formatMs(ms: number): string {
  const a = Math.abs(ms);
  if (a < 10) return `${trim(ms.toFixed(1))} ms`;
  if (a < 1000) return `${Math.round(ms)} ms`;
  if (a < 60_000) return `${trim((ms / 1000).toFixed(a < 10_000 ? 2 : 1))} s`;
  const min = Math.floor(a / 60_000);
  return `${ms < 0 ? "-" : ""}${min} min ${Math.round((a - min * 60_000) / 1000)} s`;
}

/** `~600 ms`: two significant digits, for figures that are estimates. */
export function formatApproxMs(ms: number): string {
  if (ms < 10) return `~${formatMs(ms)}`;
  const digits = Math.floor(Math.log10(ms)) + 1;
  const unit = 10 ** Math.max(digits - 2, 0);
  return `~${formatMs(Math.round(ms / unit) * unit)}`;
}

function trim(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/** Tick positions (ms from the axis start) at a 1/2/5 × 10^k step giving at most `maxTicks` intervals. */
export function axisTicks(spanMs: number, maxTicks: number): number[] {
  const raw = spanMs / Math.max(maxTicks, 1);
  const pow = 10 ** Math.floor(Math.log10(raw > 0 ? raw : 1));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: number[] = [];
  for (let t = 0; t <= spanMs + step * 1e-9; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  return ticks;
}

/** A tick label: `0`, `250 ms`, `1.5 s`. */
export function tickLabel(ms: number): string {
  return ms === 0 ? "0" : formatMs(ms);
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "\n": "&#10;" };

/** Escapes text for HTML content and double-quoted attributes (newlines become `&#10;`, kept in tooltips). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'\n]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Collapses whitespace runs (newlines included) to single spaces and clips to `max` characters. */
export function oneLine(s: string, max: number, ellipsis = "…"): string {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? flat.slice(0, Math.max(max - ellipsis.length, 0)) + ellipsis : flat;
}

export interface AxisMark {
  /** ms from the axis start. */
  t: number;
  label: string;
}

/** The gridlines a renderer draws, each with a label that fits, and the labelled axis end. Labels are laid out
 *  on a track `width` units wide with `charWidth` units per character (plus `pad`): a tick label starts at its
 *  tick, the end label ends at the right edge, and a tick whose label would touch its neighbour or the end label
 *  is dropped with its gridline — so there is never a gridline without a label. */
export function axisLayout(spanMs: number, maxTicks: number, width: number, charWidth: number, pad: number): { ticks: AxisMark[]; end: AxisMark } {
  const end: AxisMark = { t: spanMs, label: tickLabel(spanMs) };
  const endLeft = width - (end.label.length * charWidth + pad);
  const ticks: AxisMark[] = [];
  let free = -Infinity;
  for (const t of axisTicks(spanMs, maxTicks)) {
    if (t >= spanMs - spanMs * 1e-9) break;
    const label = tickLabel(t);
    const x = (t / spanMs) * width;
    const right = x + label.length * charWidth + pad;
    if (x < free || right > endLeft) continue;
    ticks.push({ t, label });
    free = right + pad;
  }
  return { ticks, end };
}
