// The timeline accuracy suite's harness: runs a cell through the real kernel, gathers the truth the cell measured
// itself (lines `TRUTH {json}` on its stdout, on the kernel's own performance.now() clock — the clock the timeline
// uses, so no cross-process or wall-clock guess enters a comparison) and the timeline it drew (the JSON model and
// the rendered text header), and compares them figure by figure with the tolerances. A failure names the
// cell, the figure, the truth and what was drawn.
import { expect } from "vitest";
import type { Task, TimelineModel } from "../../../src/timeline/model.js";
import type { KernelClient, Received } from "../../helpers/kernel-client.js";

export const MIME = "application/vnd.tsloop.timeline.v1+json";

/** Helpers every case cell may call: `spin(ms)` holds the main thread, `truth({...})` prints measured facts. */
export const PRELUDE = `
function spin(ms: number): number { const end = performance.now() + ms; let n = 0; while (performance.now() < end) n++; return n; }
function truth(facts: Record<string, unknown>): void { console.log("TRUTH " + JSON.stringify(facts)); }
function now(): number { return performance.now(); }
`;

export interface Drawn {
  name: string;
  /** merged TRUTH objects, in the order printed */
  truth: Record<string, unknown>;
  /** the latest timeline the cell showed (the final one when it settled) */
  model: TimelineModel | undefined;
  /** its text/plain rendering; header = the lines before the axis */
  text: string;
  displays: Received[];
  updates: Received[];
  stdout: string;
  stderr: string;
  status: string;
  ename?: string;
}

export function displayIdOf(m: Received): string | undefined {
  return (m.content.transient as { display_id?: string } | undefined)?.display_id;
}

function isTimeline(m: Received): boolean {
  const data = m.content.data as Record<string, unknown> | undefined;
  return data !== undefined && MIME in data;
}

function isFinal(m: Received): boolean {
  return (m.content.metadata as { final?: boolean } | undefined)?.final === true;
}

export interface RunOptions {
  /** wait for the timeline's final drawing (every task settled); false: take the latest after the reply */
  settle?: boolean;
  /** wait until the cell printed this many TRUTH lines (late ones from timers) */
  truthLines?: number;
  timeoutMs?: number;
}

export async function runCell(kernel: KernelClient, name: string, code: string, opts: RunOptions = {}): Promise<Drawn> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const request = kernel.sendExecute(code, { timeoutMs });
  const result = await kernel.collect(request, timeoutMs);
  const ofCell = (m: Received) => m.channel === "iopub" && (m.parent_header as { msg_id?: string }).msg_id === request.msg_id;
  const shown = kernel.messages.find((m) => ofCell(m) && m.header.msg_type === "display_data" && isTimeline(m));
  const id = shown ? displayIdOf(shown) : undefined;
  const sameDisplay = (m: Received) => ofCell(m) && m.header.msg_type === "update_display_data" && displayIdOf(m) === id;
  if (id !== undefined && opts.settle !== false) await kernel.waitFor((m) => sameDisplay(m) && isFinal(m), timeoutMs, `the final timeline of «${name}»`);
  const stdoutOf = () =>
    kernel.messages
      .filter((m) => ofCell(m) && m.header.msg_type === "stream" && m.content.name === "stdout")
      .map((m) => String(m.content.text))
      .join("");
  if (opts.truthLines !== undefined) {
    const want = opts.truthLines;
    await kernel.waitFor(() => (stdoutOf().match(/^TRUTH /gm) ?? []).length >= want, timeoutMs, `${want} TRUTH lines from «${name}»`).catch(() => undefined);
  }
  const updates = kernel.messages.filter(sameDisplay);
  const latest = updates[updates.length - 1] ?? shown;
  const data = latest?.content.data as Record<string, unknown> | undefined;
  const stdout = stdoutOf();
  const truth: Record<string, unknown> = {};
  for (const line of stdout.split("\n")) if (line.startsWith("TRUTH ")) Object.assign(truth, JSON.parse(line.slice(6)) as object);
  const reply = result.reply.content as { status: string; ename?: string };
  return {
    name,
    truth,
    model: data?.[MIME] as TimelineModel | undefined,
    text: String(data?.["text/plain"] ?? ""),
    displays: shown ? [shown] : [],
    updates,
    stdout,
    stderr: result.outputs.stderr,
    status: reply.status,
    ...(reply.ename !== undefined ? { ename: reply.ename } : {}),
  };
}

/** Collects figure mismatches of one cell and fails once with all of them. */
export class Check {
  readonly failures: string[] = [];
  constructor(readonly drawn: Drawn) {}

  private fail(figure: string, truth: unknown, drawn: unknown): void {
    this.failures.push(`cell «${this.drawn.name}»: ${figure}: truth ${fmt(truth)}, drawn ${fmt(drawn)}`);
  }

  get model(): TimelineModel {
    const m = this.drawn.model;
    if (m === undefined) throw new Error(`cell «${this.drawn.name}» drew no timeline; stdout:\n${this.drawn.stdout}\nstderr:\n${this.drawn.stderr}`);
    return m;
  }

  num(key: string): number {
    const v = this.drawn.truth[key];
    if (typeof v !== "number") throw new Error(`cell «${this.drawn.name}» printed no numeric truth "${key}": ${JSON.stringify(this.drawn.truth)}`);
    return v;
  }

  /** A time on the bar: within 5 ms or 5 % of `spanMs` (the bar's length), whichever is larger. */
  time(figure: string, truth: number, drawn: number | undefined, spanMs = 0): void {
    const tol = Math.max(5, 0.05 * spanMs);
    if (drawn === undefined || Math.abs(drawn - truth) > tol) this.fail(`${figure} (±${tol.toFixed(1)} ms)`, truth, drawn);
  }

  /** A bar's start and end against the measured ones. */
  bar(figure: string, task: Task | undefined, start: number, end: number): void {
    if (task === undefined) return this.fail(`${figure}: the bar`, "drawn", "missing");
    this.time(`${figure} start`, start, task.createdAt, end - start);
    this.time(`${figure} end`, end, task.settledAt, end - start);
  }

  /** Busy and other durations: within 10 % (and at least 3 ms, for short ones). */
  duration(figure: string, truth: number, drawn: number | undefined, rel = 0.1): void {
    const tol = Math.max(3, rel * truth);
    if (drawn === undefined || Math.abs(drawn - truth) > tol) this.fail(`${figure} (±${tol.toFixed(1)} ms)`, truth, drawn);
  }

  exact(figure: string, truth: unknown, drawn: unknown): void {
    if (JSON.stringify(truth) !== JSON.stringify(drawn)) this.fail(figure, truth, drawn);
  }

  that(figure: string, ok: boolean, truth: unknown, drawn: unknown): void {
    if (!ok) this.fail(figure, truth, drawn);
  }

  /** Asserts no mismatch was collected. */
  done(): void {
    expect(this.failures, this.failures.join("\n")).toEqual([]);
  }
}

function fmt(v: unknown): string {
  return typeof v === "number" ? `${Math.round(v * 10) / 10}` : JSON.stringify(v);
}

/** The header figures as the text rendering states them (the first lines, before the axis). */
export interface Header {
  wallMs?: number;
  savedMs: number;
  busyMs?: number;
  blockedMs: number;
  peak?: number;
  lateTimers: number;
  warnings?: number;
  raw: string;
}

export function header(text: string): Header {
  const head = text.split("\n").slice(0, 3).join(" ");
  const ms = (re: RegExp): number | undefined => {
    const m = re.exec(head);
    if (!m) return undefined;
    const n = Number(m[1]);
    return m[2] === "s" ? n * 1000 : m[2] === "min" ? n * 60_000 : n;
  };
  const count = (re: RegExp): number | undefined => {
    const m = re.exec(head);
    return m ? Number(m[1]) : undefined;
  };
  const out: Header = {
    savedMs: ms(/saved ~?([\d.]+) (ms|s)\b/) ?? 0,
    blockedMs: ms(/blocked ([\d.]+) (ms|s)\b/) ?? 0,
    lateTimers: count(/(\d+) late timers?/) ?? 0,
    raw: head,
  };
  const wall = ms(/wall ([\d.]+) (ms|s)\b/);
  if (wall !== undefined) out.wallMs = wall;
  const busy = ms(/busy ([\d.]+) (ms|s)\b/);
  if (busy !== undefined) out.busyMs = busy;
  const peak = count(/peak concurrency (\d+)/);
  if (peak !== undefined) out.peak = peak;
  const warnings = count(/(\d+) warnings?\b/);
  if (warnings !== undefined) out.warnings = warnings;
  return out;
}

export function byLabel(model: TimelineModel, label: string): Task[] {
  return model.tasks.filter((t) => t.label === label);
}

export function blockedMs(model: TimelineModel): number {
  return model.blocked.reduce((sum, b) => sum + (b.end - b.start), 0);
}
