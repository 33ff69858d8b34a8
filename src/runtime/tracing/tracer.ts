// The session's tracer: which cell run's timeline records what. Holds the live cell traces, the map from
// promises and timer handles to their tasks (known-tasks.ts), and where main-thread time goes: stretches measured at continuation
// level (continuations.ts) and by the wrappers (timers, traced calls, the cell body) are charged to the cell and
// task that ran them; the lag monitor only catches a held loop nobody measured (a storm of short callbacks).
// Instrumentation (timers.ts, gathers.ts, the compiled awaits) asks `current()` for the running code's trace.
import { availableParallelism } from "node:os";
import type { Header } from "../../protocol/messages.js";
import { CELL_TASK, type TaskKind } from "../../timeline/index.js";
import { cellStorage } from "../context.js";
import type { OutputSink } from "../output.js";
import { type CancelTask, CellTrace, fromWallClock, now } from "./cell-trace.js";
import type { SourceMapRegistry } from "../source-maps.js";
import type { CellDirectives } from "../../session/plan.js";
import { showsWarnings, timelineMode } from "../directives.js";
import { ContinuationClock, type StretchSink } from "./continuations.js";
import { LagMonitor, type Heartbeat } from "./lag-monitor.js";
import type { InterruptReceiver } from "../../session/interrupt-line.js";
import { BLOCKED_MS, MainThreadLedger } from "./main-thread.js";
import { KnownTasks } from "./known-tasks.js";
import { type TaskRef, taskStorage } from "./task-storage.js";
import { switchedOff } from "../../session/switches.js";

// Only the type: re-exporting the value (`taskStorage`) made TypeScript's CommonJS output redefine an export as an
// accessor, which turns this module's exports object into a dictionary — and every call of `isThenable` from
// gathers.ts (once per await) into a dictionary look-up (~75 instructions, measured under callgrind).
export type { TaskRef };

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

const KEEP_FINISHED = 50;
const CORES = availableParallelism();
const promiseThen = Promise.prototype.then;

export class Tracer implements StretchSink {
  /** session-wide switch (`tsloop.timelines(false)`, TSLOOP_TIMELINE=off) */
  enabled: boolean;
  /** session-wide switch for the blocked-loop and other runtime warnings (`tsloop.warnings(false)`) */
  warnings = true;
  /** measures callbacks and continuations while a timeline is live */
  readonly clock = new ContinuationClock(this);
  /** while > 0, `.then` on a traced promise is the runtime's own (a gather's), not the user handling it */
  quietThen = 0;
  private readonly live = new Set<CellTrace>();
  private readonly finished: CellTrace[] = [];
  private readonly byCellId = new Map<string, CellTrace>();
  private readonly known = new KnownTasks();
  private readonly lag: LagMonitor;
  private readonly ledger = new MainThreadLedger();
  private readonly flush = (): void => this.clock.flush();
  /** debugger pauses reported so far (an Int32 count, as the interrupt line's) */
  private pausesReported = 0;
  /** Whether the debugger ended a pause whose report (the `paused` event) is still queued for this thread. */
  private readonly pauseReportDue = (): boolean => this.line.pausesEnded() !== this.pausesReported;


  constructor(
    private readonly output: OutputSink,
    private readonly line: Heartbeat & Pick<InterruptReceiver, "pausesEnded">,
  ) {
    this.lag = new LagMonitor(line, (from, to, held) => this.tick(from, to, held), BLOCKED_MS);
    this.enabled = !switchedOff(process.env.TSLOOP_TIMELINE);
  }

  /** The trace of the cell whose code is running now (undefined when tracing is off for it). */
  current(): CellTrace | undefined {
    const trace = cellStorage.getStore()?.trace;
    return trace && !trace.isFrozen ? trace : undefined;
  }

  /** A new cell run, with its directives (`// @timeline off`, `// @timeline`: always show) from its plan. */
  startCell(executionCount: number, parent: Header, directives: CellDirectives, cellId: string | undefined): CellTrace | undefined {
    if (cellId !== undefined) this.byCellId.get(cellId)?.freeze();
    const mode = timelineMode(directives, this.enabled);
    if (mode === undefined) return undefined;
    const trace = new CellTrace(executionCount, parent, this.output, mode, showsWarnings(directives, this.warnings), (t) => this.settled(t), CORES, this.flush, this.pauseReportDue);
    this.live.add(trace);
    if (cellId !== undefined) this.byCellId.set(cellId, trace);
    this.watch();
    return trace;
  }

  /** Runs `fn` under a timeline of its own and returns its value with that timeline, to display or update as the
   *  caller likes (e.g. redraw a timeline each time a widget changes). */
  async record<T>(fn: () => T | Promise<T>): Promise<{ value: T; timeline: CellTrace }> {
    const ctx = cellStorage.getStore();
    if (!ctx) throw new Error("tsloop.record() must be called from a cell's code");
    const trace = new CellTrace(ctx.executionCount, ctx.parent, this.output, "manual", false, (t) => this.settled(t), CORES, this.flush, this.pauseReportDue);
    this.live.add(trace);
    this.watch();
    try {
      const value = await cellStorage.run({ ...ctx, trace }, fn);
      return { value, timeline: trace };
    } finally {
      trace.cellEnded();
    }
  }

  /** The promise (or handle) `value` stands for task `id` of `trace`. */
  bind(value: object, trace: CellTrace, id: number): void {
    this.known.bind(value, { trace, id });
  }

  taskOf(value: unknown): TaskRef | undefined {
    return this.known.of(value);
  }

  /** Records a task created by the running cell; returns undefined when nothing traces. */
  create(kind: TaskKind, label: string, opts: { line?: number; delayMs?: number; cancel?: CancelTask; at?: number } = {}): TaskRef | undefined {
    const trace = this.current();
    if (!trace) return undefined;
    const id = trace.recorder.taskCreated(kind, label, {
      parentId: this.currentTaskIn(trace),
      ...(opts.at !== undefined ? { at: opts.at } : {}),
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
    this.observeThen(mirror, ref);
    return mirror;
  }

  /** `.then`/`.catch`/`.finally` on the promise a cell got handles it: the task is not "never awaited". `await`
   *  does not look `then` up on a native promise, so awaiting is unchanged (and recorded by the await hook). */
  private observeThen(promise: Promise<unknown>, ref: TaskRef): void {
    const handled = (): void => {
      if (this.quietThen === 0) ref.trace.recorder.awaited(ref.id, this.currentTaskIn(ref.trace));
    };
    const bind = (derived: Promise<unknown>): void => {
      if (this.quietThen === 0 && this.known.of(derived) === undefined) this.bind(derived, ref.trace, ref.id);
    };
    void Object.defineProperty(promise, "then", {
      configurable: true,
      writable: true,
      value: function then(this: Promise<unknown>, onFulfilled?: unknown, onRejected?: unknown): Promise<unknown> {
        handled();
        const derived = promiseThen.call(this, onFulfilled as never, onRejected as never);
        // `fetch(u).then((r) => r.json())` stands for the same task: gathered or awaited, it is that fetch's row.
        bind(derived);
        return derived;
      },
    });
  }


  /** The cell's own code ended (its promise settled): its last continuations are charged up to now, and what
   *  runs next (the runtime's code) is looked up afresh, then the recorder notes the end. */
  cellCodeEnded(trace: CellTrace): void {
    this.clock.endRun();
    trace.recorder.cellEnded(now());
  }

  /** `trace`'s code (task `taskId`) held the main thread from `start` to `end` (see main-thread.ts). */
  ran(trace: CellTrace | undefined, taskId: number, start: number, end: number): void {
    this.ledger.ran(trace, taskId, start, end);
  }

  /** The debugger (in the I/O worker) reports that the main thread was stopped from `startMs` to `endMs` on the
   *  shared wall clock: every timeline that was recording then, live or finished since, cuts it from busy and
   *  blocked time and marks it. */
  debuggerPaused(startMs: number, endMs: number): void {
    this.pausesReported = (this.pausesReported + 1) | 0;
    if (!(Number.isFinite(startMs) && Number.isFinite(endMs) && endMs > startMs)) throw new Error(`a debugger pause must end after it starts, got [${startMs}, ${endMs}]`);
    this.flush();
    const [start, end] = [fromWallClock(startMs), fromWallClock(endMs)];
    for (const trace of [...this.live, ...this.finished]) {
      if (trace.recorder.startedAt < end && trace.frozenAt > start) trace.paused(Math.max(start, trace.recorder.startedAt), end);
    }
    for (const trace of [...this.live, ...this.finished]) trace.pauseReportsIn();
  }

  /** A loop guard answered the worker's "where are you?": remember the cell line. */
  sample(stack: string, maps: SourceMapRegistry): void {
    this.ledger.sample(stack, maps);
  }

  /** The library made a timer/await on the running cell's behalf: count it in that cell's footnote. */
  countInternal(): void {
    this.current()?.recorder.countInternal();
  }

  liveTasks(): LiveTask[] {
    this.flush();
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
    this.flush();
    return [...this.finished, ...this.live].sort((a, b) => a.recorder.startedAt - b.recorder.startedAt);
  }

  private settled(trace: CellTrace): void {
    this.live.delete(trace);
    this.finished.push(trace);
    if (this.finished.length > KEEP_FINISHED) this.finished.shift();
    if (this.live.size === 0) {
      this.lag.stop();
      this.clock.disable();
    }
  }

  /** Nobody handled `promise`'s rejection: if it is a task, flag it on its timeline. */
  unhandled(promise: unknown): void {
    const ref = this.taskOf(promise);
    if (ref === undefined) return;
    ref.trace.recorder.markUnhandled(ref.id);
    ref.trace.changed();
  }

  /** The runtime saw an uncaught exception: async_hooks skip `after` for it. */
  uncaught(): void {
    this.clock.reset();
  }

  private watch(): void {
    this.clock.enable();
    this.lag.start();
  }

  private tick(from: number, to: number, held: boolean): void {
    this.ledger.tick(this.clock.window, from, to, held);
  }
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as PromiseLike<unknown>).then === "function";
}

function isAbort(error: unknown): boolean {
  return typeof error === "object" && error !== null && ((error as Error).name === "AbortError" || (error as Error).name === "Interrupted");
}
