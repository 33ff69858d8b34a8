// The session's tracer: which cell run's timeline records what. Holds the live cell traces, the map from
// promises and timer handles to their tasks, and the main-thread lag monitor that finds blocked stretches.
// Instrumentation (timers.ts, gathers.ts, the compiled awaits) asks `current()` for the running code's trace.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Header } from "../../protocol/messages.js";
import { CELL_TASK, type TaskKind } from "../../timeline/index.js";
import { cellStorage } from "../context.js";
import type { OutputSink } from "../output.js";
import { type CancelTask, CellTrace, now } from "./cell-trace.js";
import { firstCellFrame } from "../errors.js";
import type { SourceMapRegistry } from "../source-maps.js";
import { BEAT, WATCH, clockMs } from "../loop-signals.js";
import { cellDirectives } from "../directives.js";
import { realSetInterval, realClearInterval } from "../real-timers.js";

/** Where a busy loop was when the I/O worker asked (see loop-signals.ts). */
export interface LoopSample {
  executionCount: number;
  line: number;
  at: number;
}

export interface TaskRef {
  trace: CellTrace;
  id: number;
}

/** A live task, as `tsloop.tasks()` lists it. */
export interface LiveTask {
  cell: number;
  id: number;
  kind: TaskKind;
  label: string;
  state: string;
  ageMs: number;
  line?: number;
  cancellable: boolean;
}

/** The traced async call whose code is running (its awaits and the tasks it creates belong to it). */
export const taskStorage = new AsyncLocalStorage<TaskRef>();

const LAG_TICK_MS = 20;
/** A synchronous run of at least this long is a blocked stretch. */
export const BLOCKED_MS = 50;
const KEEP_FINISHED = 50;

export class Tracer {
  /** session-wide switch (`tsloop.timelines(false)`, TSLOOP_TIMELINE=off) */
  enabled: boolean;
  /** session-wide switch for the blocked-loop and other runtime warnings (`tsloop.warnings(false)`) */
  warnings = true;
  /** the trace of the cell whose code runs now (set by the runtime while a cell is in flight) */
  running: CellTrace | undefined;
  private readonly live = new Set<CellTrace>();
  private readonly finished: CellTrace[] = [];
  private readonly byCellId = new Map<string, CellTrace>();
  private readonly promises = new WeakMap<object, TaskRef>();
  private lagTimer: ReturnType<typeof setInterval> | undefined;
  private lastTick = 0;
  /** end of the last blocked stretch measured directly (a cell's synchronous part), so the monitor skips it */
  private measuredUntil = 0;

  private readonly samples: LoopSample[] = [];

  constructor(
    private readonly output: OutputSink,
    private readonly signals: Int32Array,
  ) {
    this.enabled = !/^(0|off|false|no)$/i.test(process.env.TSLOOP_TIMELINE ?? "");
  }

  /** The trace of the cell whose code is running now (undefined when tracing is off for it). */
  current(): CellTrace | undefined {
    const trace = cellStorage.getStore()?.trace;
    return trace && !trace.isFrozen ? trace : undefined;
  }

  /** A new cell run: directives in its first lines — `// @timeline off`, `// @timeline` (always show). */
  startCell(executionCount: number, parent: Header, source: string, cellId: string | undefined): CellTrace | undefined {
    const directives = cellDirectives(source);
    if (cellId !== undefined) this.byCellId.get(cellId)?.freeze();
    if ((!this.enabled && directives.timeline !== "on") || directives.timeline === "off") return undefined;
    const warnings = this.warnings && directives.warnings;
    const trace = new CellTrace(executionCount, parent, this.output, directives.timeline === "on" ? "always" : "auto", warnings, (t) => this.settled(t));
    this.live.add(trace);
    if (cellId !== undefined) this.byCellId.set(cellId, trace);
    this.startLagMonitor();
    return trace;
  }

  /** Runs `fn` under a timeline of its own and returns its value with that timeline, to display or update as the
   *  caller likes (e.g. redraw a timeline each time a widget changes). */
  async record<T>(fn: () => T | Promise<T>): Promise<{ value: T; timeline: CellTrace }> {
    const ctx = cellStorage.getStore();
    if (!ctx) throw new Error("tsloop.record() must be called from a cell's code");
    const trace = new CellTrace(ctx.executionCount, ctx.parent, this.output, "manual", false, (t) => this.settled(t));
    this.live.add(trace);
    this.startLagMonitor();
    try {
      const value = await cellStorage.run({ ...ctx, trace }, fn);
      return { value, timeline: trace };
    } finally {
      trace.cellEnded();
    }
  }

  /** The promise (or handle) `value` stands for task `id` of `trace`. */
  bind(value: object, trace: CellTrace, id: number): void {
    this.promises.set(value, { trace, id });
  }

  taskOf(value: unknown): TaskRef | undefined {
    return typeof value === "object" && value !== null ? this.promises.get(value) : undefined;
  }

  /** Records a task created by the running cell; returns undefined when nothing traces. */
  create(kind: TaskKind, label: string, opts: { line?: number; delayMs?: number; cancel?: CancelTask } = {}): TaskRef | undefined {
    const trace = this.current();
    if (!trace) return undefined;
    const id = trace.recorder.taskCreated(kind, label, {
      parentId: this.currentTaskIn(trace),
      ...(opts.line !== undefined ? { line: opts.line } : {}),
      ...(opts.delayMs !== undefined ? { delayMs: opts.delayMs } : {}),
    });
    if (opts.cancel) trace.cancellers.set(id, opts.cancel);
    return { trace, id };
  }

  /** The id of the traced async call running now in `trace`, or the cell body. */
  currentTaskIn(trace: CellTrace): number {
    const task = taskStorage.getStore();
    return task !== undefined && task.trace === trace ? task.id : CELL_TASK;
  }

  settle(ref: TaskRef, state: "fulfilled" | "rejected" | "cancelled", value?: unknown): void {
    ref.trace.recorder.taskSettled(ref.id, state, value, now());
    ref.trace.cancellers.delete(ref.id);
    ref.trace.changed();
  }

  /** A promise that mirrors `promise` and settles `ref` first. The caller gets the mirror, so a rejection
   *  nobody handles is still reported as unhandled — on the mirror, in the cell's context. */
  follow<T>(promise: PromiseLike<T>, ref: TaskRef): Promise<T> {
    const mirror = Promise.resolve(promise).then(
      (value) => {
        this.settle(ref, "fulfilled", value);
        return value;
      },
      (error: unknown) => {
        this.settle(ref, isAbort(error) ? "cancelled" : "rejected", error);
        throw error;
      },
    );
    this.bind(mirror, ref.trace, ref.id);
    return mirror;
  }

  /** A synchronous run measured directly (the cell's own synchronous part). */
  blocked(trace: CellTrace, start: number, end: number): void {
    if (end - start < BLOCKED_MS) return;
    const sample = this.sampleIn(start, end);
    trace.recorder.blocked(start, end, sample?.line);
    if (sample) trace.noteBlockedLine(start, end, sample);
    this.measuredUntil = end;
  }

  /** A loop guard answered the worker's "where are you?": remember the cell line. */
  sample(stack: string, maps: SourceMapRegistry): void {
    const frame = firstCellFrame(stack, maps);
    if (!frame) return;
    this.samples.push({ ...frame, at: now() });
    if (this.samples.length > 64) this.samples.shift();
  }

  private sampleIn(start: number, end: number): LoopSample | undefined {
    for (let i = this.samples.length - 1; i >= 0; i--) {
      const s = this.samples[i] as LoopSample;
      if (s.at >= start && s.at <= end) return s;
      if (s.at < start) break;
    }
    return undefined;
  }

  liveTasks(): LiveTask[] {
    const t = now();
    const out: LiveTask[] = [];
    for (const trace of this.live) {
      const model = trace.recorder.snapshot(t);
      for (const task of model.tasks) {
        if (task.state !== "pending") continue;
        out.push({
          cell: trace.executionCount,
          id: task.id,
          kind: task.kind,
          label: task.label,
          state: task.state,
          ageMs: Math.round(t - task.createdAt),
          ...(task.line !== undefined ? { line: task.line } : {}),
          cancellable: trace.cancellers.has(task.id),
        });
      }
    }
    return out;
  }

  cancel(cell: number, id: number): boolean {
    for (const trace of this.live) {
      if (trace.executionCount !== cell) continue;
      const cancel = trace.cancellers.get(id);
      if (cancel) {
        cancel();
        return true;
      }
    }
    return false;
  }

  /** The most recent trace of a cell (by execution count), live or finished. */
  traceOf(cell: number): CellTrace | undefined {
    return [...this.live, ...this.finished].filter((t) => t.executionCount === cell).pop();
  }

  allTraces(): CellTrace[] {
    return [...this.finished, ...this.live].sort((a, b) => a.recorder.startedAt - b.recorder.startedAt);
  }

  private settled(trace: CellTrace): void {
    this.live.delete(trace);
    this.finished.push(trace);
    if (this.finished.length > KEEP_FINISHED) this.finished.shift();
    if (this.live.size === 0) this.stopLagMonitor();
  }

  /** While a traced cell is live, a 20 ms tick notices when the main thread was held: the gap between two
   *  ticks, less the tick, is a blocked stretch (recorded in the live traces whose cell was running then). */
  private startLagMonitor(): void {
    if (this.lagTimer) return;
    this.lastTick = now();
    Atomics.store(this.signals, BEAT, clockMs());
    Atomics.store(this.signals, WATCH, 1);
    let lastElu = performance.eventLoopUtilization();
    this.lagTimer = realSetInterval(() => {
      const t = now();
      Atomics.store(this.signals, BEAT, clockMs());
      const from = Math.max(this.lastTick + LAG_TICK_MS / 2, this.measuredUntil);
      // A late tick is a blocked stretch only if the loop was busy running code then: on a loaded machine the thread
      // may simply not have been scheduled (idle, by the event loop's own utilisation measure).
      const elu = performance.eventLoopUtilization(lastElu);
      lastElu = performance.eventLoopUtilization();
      if (t - from >= BLOCKED_MS && elu.active >= BLOCKED_MS) {
        // The running cell's code most likely held the thread; with no cell running, every live timeline was held.
        const held = this.running && !this.running.isFrozen ? [this.running] : [...this.live];
        const sample = this.sampleIn(from, t);
        for (const trace of held) {
          trace.recorder.blocked(from, t, sample?.line);
          if (sample) trace.noteBlockedLine(from, t, sample);
          trace.changed();
        }
      }
      this.lastTick = t;
    }, LAG_TICK_MS);
    this.lagTimer.unref?.();
  }

  private stopLagMonitor(): void {
    Atomics.store(this.signals, WATCH, 0);
    if (this.lagTimer) realClearInterval(this.lagTimer);
    this.lagTimer = undefined;
  }
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as PromiseLike<unknown>).then === "function";
}

function isAbort(error: unknown): boolean {
  return typeof error === "object" && error !== null && ((error as Error).name === "AbortError" || (error as Error).name === "Interrupted");
}
