// Parallelism made visible: one lane per worker thread under the main-thread lane, each worker job drawn where its
// code ran on that thread, so two jobs at once on two threads sit side by side beside the event loop's
// interleaving. A caption gives CPU time against wall time and the cores available. Pure: model in, markup out;
// the renderers call `workerLanesHtml` / `workerLanesText` after their main-thread lane.
import { escapeHtml, formatMs } from "./format";
import type { TaskState, TimelineModel } from "./model";

export interface LaneJob {
  taskId: number;
  label: string;
  start: number;
  end: number;
  state: TaskState;
  cpuMs?: number;
}

export interface WorkerLane {
  thread: number;
  jobs: LaneJob[];
}

/** CPU time of the worker jobs against the wall time they spanned, and the cores there are. */
export interface Parallelism {
  threads: number;
  cpuMs: number;
  /** first job start → last job end, on the worker threads */
  wallMs: number;
  cores?: number;
}

export function workerLanes(model: TimelineModel): WorkerLane[] {
  const lanes = new Map<number, LaneJob[]>();
  for (const t of model.tasks) {
    if (t.thread === undefined || t.threadRun === undefined) continue;
    const job: LaneJob = { taskId: t.id, label: t.label, start: t.threadRun[0], end: t.threadRun[1], state: t.state };
    if (t.cpuMs !== undefined) job.cpuMs = t.cpuMs;
    const jobs = lanes.get(t.thread) ?? [];
    jobs.push(job);
    lanes.set(t.thread, jobs);
  }
  return [...lanes.entries()].sort(([a], [b]) => a - b).map(([thread, jobs]) => ({ thread, jobs }));
}

export function parallelism(lanes: readonly WorkerLane[], cores: number | undefined): Parallelism | undefined {
  if (lanes.length === 0) return undefined;
  let first = Infinity;
  let last = -Infinity;
  let cpuMs = 0;
  for (const lane of lanes) {
    for (const j of lane.jobs) {
      first = Math.min(first, j.start);
      last = Math.max(last, j.end);
      cpuMs += j.cpuMs ?? j.end - j.start;
    }
  }
  return { threads: lanes.length, cpuMs, wallMs: Math.max(0, last - first), ...(cores !== undefined ? { cores } : {}) };
}

/** `workers: CPU 590 ms in 305 ms of wall time (1.9× at once) on 2 threads · 2 cores` */
export function parallelismCaption(p: Parallelism): string {
  const ratio = p.wallMs > 0 ? ` (${(p.cpuMs / p.wallMs).toFixed(1)}× at once)` : "";
  const cores = p.cores !== undefined ? ` · ${p.cores} ${p.cores === 1 ? "core" : "cores"}` : "";
  return `workers: CPU ${formatMs(p.cpuMs)} in ${formatMs(p.wallMs)} of wall time${ratio} on ${p.threads} ${p.threads === 1 ? "thread" : "threads"}${cores}`;
}

export interface HtmlLaneLayout {
  rowH: number;
  durLeft: number;
  durW: number;
  trackLeft: number;
  sans: string;
  colour: Record<TaskState, { fill: string; border: string; text: string }>;
}

/** The worker lanes as HTML rows (empty when no job ran on a worker), and the height they take. */
export function workerLanesHtml(model: TimelineModel, x: (t: number) => number, layout: HtmlLaneLayout): { html: string; height: number } {
  const lanes = workerLanes(model);
  const p = parallelism(lanes, model.cores);
  if (p === undefined) return { html: "", height: 0 };
  const rows: string[] = [`<div style="height:${layout.rowH}px;line-height:${layout.rowH}px;font-family:${layout.sans};color:#57606a;white-space:nowrap">${escapeHtml(parallelismCaption(p))}</div>`];
  for (const lane of lanes) {
    const bars = lane.jobs.map((j) => {
      const look = layout.colour[j.state];
      const cpu = j.cpuMs !== undefined ? `, CPU ${formatMs(j.cpuMs)}` : "";
      const title = `${j.label}: ran on worker ${lane.thread} for ${formatMs(j.end - j.start)}${cpu}`;
      const w = x(j.end) - x(j.start);
      return `<div title="${escapeHtml(title)}" style="position:absolute;left:${pct(x(j.start))};width:${w < 0.25 ? "2px" : pct(w)};top:3px;height:12px;background:${look.fill};border:${look.border}"></div>`;
    });
    const busy = lane.jobs.reduce((sum, j) => sum + (j.end - j.start), 0);
    rows.push(
      `<div style="position:relative;height:${layout.rowH}px;line-height:${layout.rowH}px;white-space:nowrap">` +
        `<span style="position:absolute;left:0;top:0;font-family:${layout.sans};color:#57606a">worker ${lane.thread}</span>` +
        `<span style="position:absolute;left:${layout.durLeft}px;top:0;width:${layout.durW}px;text-align:right;color:#57606a">${escapeHtml(formatMs(busy))}</span>` +
        `<div style="margin-left:${layout.trackLeft}px;position:relative;height:${layout.rowH}px">${bars.join("")}</div>` +
        `</div>`,
    );
  }
  return { html: rows.join(""), height: rows.length * layout.rowH };
}

/** The worker lanes as text lines: `worker 1   300 ms   ====`, after a caption line. */
export function workerLanesText(model: TimelineModel, col: (t: number) => number, widths: { label: number; dur: number; canvas: number }): string[] {
  const lanes = workerLanes(model);
  const p = parallelism(lanes, model.cores);
  if (p === undefined) return [];
  const lines = [parallelismCaption(p)];
  for (const lane of lanes) {
    const bar = Array<string>(widths.canvas).fill(" ");
    for (const j of lane.jobs) {
      const mark = j.state === "rejected" ? "!" : j.state === "pending" ? ">" : "=";
      for (let c = col(j.start); c <= col(j.end); c++) bar[c] = mark;
    }
    const busy = lane.jobs.reduce((sum, j) => sum + (j.end - j.start), 0);
    lines.push((`worker ${lane.thread}`.padEnd(widths.label) + " " + formatMs(busy).padStart(widths.dur) + " " + bar.join("")).replace(/\s+$/, ""));
  }
  return lines;
}

function pct(p: number): string {
  return `${Math.round(p * 100) / 100}%`;
}
