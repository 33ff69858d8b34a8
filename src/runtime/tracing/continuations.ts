// Charges main-thread time to the cell and task whose code ran it. Every callback the event loop runs — a promise
// continuation after an `await`, an I/O callback, a timer — is bracketed by async_hooks `before`/`after`; the cell
// context (AsyncLocalStorage) and the traced async call active in that callback say whose it is. So synchronous
// work after an `await` in cell B is B's, even while cell A's interval is live, and a timer started by cell A is
// A's even when it fires during cell B. Enabled only while some timeline is live: it costs ~0.4 µs per callback
// (1e6 `await null`: 340 → 770 ms on the 2-core CI machine).
import { createHook, executionAsyncResource } from "node:async_hooks";
import { cellStorage } from "../context.js";
import type { CellTrace } from "./cell-trace.js";
import { now } from "./cell-trace.js";
import { type TaskRef, taskStorage } from "./task-storage.js";
import { CELL_TASK } from "../../timeline/index.js";

export interface StretchSink {
  /** `trace`'s code (task `taskId`) held the main thread from `start` to `end`. */
  ran(trace: CellTrace, taskId: number, start: number, end: number): void;
}

export class ContinuationClock {
  /** Resources whose callbacks measure themselves (traced timers): only their blocked remainder is charged here. */
  readonly selfTimed = new WeakSet<object>();
  /** Main-thread ms per trace since the lag monitor's last tick (to say whose code held a late tick). */
  readonly window = new Map<CellTrace, number>();
  private openId = -1;
  private start = 0;
  private trace: CellTrace | undefined;
  private task: TaskRef | undefined;
  private skip = false;
  private enabled = false;
  private readonly hook = createHook({
    before: (asyncId: number) => this.before(asyncId),
    after: (asyncId: number) => this.after(asyncId),
  });

  constructor(private readonly sink: StretchSink) {}

  enable(): void {
    if (this.enabled) return;
    this.enabled = true;
    this.openId = -1;
    this.hook.enable();
  }

  disable(): void {
    if (!this.enabled) return;
    this.enabled = false;
    this.hook.disable();
    this.openId = -1;
    this.window.clear();
  }

  /** An uncaught exception skips `after` hooks: forget the open stretch. */
  reset(): void {
    this.openId = -1;
  }

  private before(asyncId: number): void {
    if (this.openId !== -1) return; // nested: the outer callback's stretch covers it
    const trace = cellStorage.getStore()?.trace;
    if (trace === undefined || trace.isFrozen) return;
    this.openId = asyncId;
    this.trace = trace;
    this.task = taskStorage.getStore();
    this.skip = this.selfTimed.has(executionAsyncResource());
    this.start = now();
  }

  private after(asyncId: number): void {
    if (asyncId !== this.openId) return;
    this.openId = -1;
    const end = now();
    const trace = this.trace as CellTrace;
    this.window.set(trace, (this.window.get(trace) ?? 0) + (end - this.start));
    if (this.skip) return;
    const task = this.task;
    this.sink.ran(trace, task !== undefined && task.trace === trace ? task.id : CELL_TASK, this.start, end);
  }
}
