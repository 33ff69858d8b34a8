// Timeline model(s) → Chrome trace-event JSON (opens in Perfetto and chrome://tracing). One process per cell;
// thread 0 is the main thread (the cell's and tasks' runs, blocked stretches), the others are lanes that hold
// tasks whose lifetimes do not overlap; late timers are instant events. Times in µs on the recorder's clock.

import type { Task, TimelineModel } from "./model";

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: "X" | "i" | "M";
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  s?: "t" | "p" | "g";
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: "ms";
}

const MAX_RUN_EVENTS = 20_000;
const us = (ms: number): number => Math.round(ms * 1000);

/** The trace for one or several cells' timelines; pending tasks end at `now` (default each model's snapshot). */
export function chromeTrace(models: TimelineModel | readonly TimelineModel[], now?: number): ChromeTrace {
  const events: TraceEvent[] = [];
  for (const m of Array.isArray(models) ? models : [models as TimelineModel]) addModel(events, m, now ?? m.snapshotAt);
  return { traceEvents: events, displayTimeUnit: "ms" };
}

function addModel(events: TraceEvent[], m: TimelineModel, now: number): void {
  const pid = m.cell;
  const meta = (tid: number, name: string): void => {
    events.push({ name: "thread_name", ph: "M", ts: 0, pid, tid, args: { name } });
    events.push({ name: "thread_sort_index", ph: "M", ts: 0, pid, tid, args: { sort_index: tid } });
  };
  events.push({ name: "process_name", ph: "M", ts: 0, pid, tid: 0, args: { name: `cell [${m.cell}]` } });
  meta(0, "main thread");

  const end = m.endedAt ?? now;
  events.push({ name: `cell [${m.cell}]`, cat: "cell", ph: "X", ts: us(m.startedAt), dur: us(end - m.startedAt), pid, tid: 0 });
  let runEvents = 0;
  const run = (name: string, s: number, e: number, cat: string): void => {
    if (runEvents++ < MAX_RUN_EVENTS) events.push({ name, cat, ph: "X", ts: us(s), dur: us(e - s), pid, tid: 0 });
  };
  for (const [s, e] of m.cellRuns) run(`cell [${m.cell}] code`, s, e, "run");
  for (const b of m.blocked) {
    events.push({
      name: "main thread blocked",
      cat: "blocked",
      ph: "X",
      ts: us(b.start),
      dur: us(b.end - b.start),
      pid,
      tid: 0,
      args: { ms: b.end - b.start, ...(b.line !== undefined ? { line: b.line } : {}), ...(b.taskId !== undefined ? { taskId: b.taskId } : {}) },
    });
  }

  for (const p of m.paused ?? []) {
    events.push({ name: "paused in the debugger", cat: "paused", ph: "X", ts: us(p.start), dur: us(p.end - p.start), pid, tid: 0, args: { ms: p.end - p.start } });
  }

  // Lanes: greedy interval partitioning by creation time.
  const laneEnds: number[] = [];
  const laneOf = new Map<number, number>();
  const sorted = m.tasks.slice().sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  for (const t of sorted) {
    const tEnd = t.settledAt ?? Math.max(now, t.createdAt);
    let lane = laneEnds.findIndex((e) => e <= t.createdAt);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(tEnd);
      meta(lane + 1, `tasks ${lane + 1}`);
    } else laneEnds[lane] = tEnd;
    laneOf.set(t.id, lane + 1);
    events.push({ name: t.label, cat: t.kind, ph: "X", ts: us(t.createdAt), dur: us(tEnd - t.createdAt), pid, tid: lane + 1, args: taskArgs(t) });
    for (const [s, e] of t.runs) run(t.label, s, e, "run");
  }
  for (const l of m.lateTimers) {
    events.push({
      name: `timer fired ${Math.round(l.firedAt - l.dueAt)} ms late`,
      cat: "late",
      ph: "i",
      s: "t",
      ts: us(l.firedAt),
      pid,
      tid: laneOf.get(l.taskId) ?? 0,
      args: { taskId: l.taskId, dueAt: l.dueAt, firedAt: l.firedAt, lateMs: l.firedAt - l.dueAt },
    });
  }
  if (m.aggregates.length > 0) {
    const tid = laneEnds.length + 1;
    meta(tid, "aggregated");
    for (const a of m.aggregates) {
      const aEnd = a.pending > 0 ? now : (a.lastSettledAt ?? a.firstCreatedAt);
      events.push({
        name: `${a.label} ×${a.count}`,
        cat: a.kind,
        ph: "X",
        ts: us(a.firstCreatedAt),
        dur: us(aEnd - a.firstCreatedAt),
        pid,
        tid,
        args: { count: a.count, pending: a.pending, fulfilled: a.fulfilled, rejected: a.rejected, cancelled: a.cancelled, busyMs: a.busyMs },
      });
    }
  }
}

function taskArgs(t: Task): Record<string, unknown> {
  const args: Record<string, unknown> = { id: t.id, state: t.state, busyMs: t.busyMs };
  if (t.line !== undefined) args.line = t.line;
  if (t.parentId !== undefined) args.parentId = t.parentId;
  if (t.awaitedBy !== undefined) args.awaitedBy = t.awaitedBy;
  if (t.gatheredBy !== undefined) args.gatheredBy = t.gatheredBy;
  if (t.childCount !== undefined) args.childCount = t.childCount;
  if (t.dueAt !== undefined) args.dueAt = t.dueAt;
  if (t.valuePreview !== undefined) args.value = t.valuePreview;
  if (t.error !== undefined) args.error = t.error;
  const flags = Object.keys(t.flags);
  if (flags.length > 0) args.flags = flags;
  return args;
}
