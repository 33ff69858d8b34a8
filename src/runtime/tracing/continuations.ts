// Charges main-thread time to the cell and task whose code ran it, while some timeline is live. Two kinds of code
// run on the loop, and each is timed the way that costs least:
// - callbacks the loop calls (an I/O callback, a timer, a nextTick): async_hooks `before`/`after`, with promises
//   left out (`trackPromises: false`, Node 24), one stretch per callback;
// - promise continuations (after each `await`, `.then` callbacks): a V8 promise hook `before` only. Continuations
//   run back to back in a microtask drain; consecutive ones of the same cell and task make one segment, timed by
//   two clock reads — when the drain (or the owner) starts and when it ends (a nextTick, which runs once the
//   microtask queue is empty, or the next callback's `before`). The segment is the time the loop was held.
// Whose a continuation is comes from the cell context (AsyncLocalStorage) and the traced async call active in it;
// each continuation is looked up, until STREAK in a row were one owner's (a loop of awaits): then the hook goes
// off for the rest of that drain, which is charged to that owner, and comes back when the drain ends. A promise
// hook costs ~55 ns per await however little it does (V8 leaves its fast paths), so a million `await null` run at
// plain speed only with it off. Where Node cannot leave promises out of async_hooks (Node 22), their `before`
// feeds the same segments, and the async hook goes off instead.
import { createHook, executionAsyncResource, type HookCallbacks } from "node:async_hooks";
import { promiseHooks } from "node:v8";
import { cellStorage } from "../context.js";
import type { CellTrace } from "./cell-trace.js";
import { now } from "./cell-trace.js";
import { type TaskRef, taskStorage } from "./task-storage.js";
import { CELL_TASK } from "../../timeline/index.js";

export interface StretchSink {
  /** `trace`'s code (task `taskId`) held the main thread from `start` to `end`. */
  ran(trace: CellTrace, taskId: number, start: number, end: number): void;
}

/** After this many continuations in a row of one owner, the rest of the microtask drain is taken to be its. */
const STREAK = 64;

/** Whether this Node can leave promises out of async_hooks (`trackPromises`, Node 24). */
export const promisesUntracked: boolean = (() => {
  let seen = false;
  const init = (_id: number, type: string): void => {
    if (type === "PROMISE") seen = true;
  };
  const probe = createHook({ init, trackPromises: false } as HookCallbacks);
  probe.enable();
  void Promise.resolve();
  probe.disable();
  return !seen;
})();

export class ContinuationClock {
  /** Resources whose callbacks measure themselves (traced timers): only their blocked remainder is charged here. */
  readonly selfTimed = new WeakSet<object>();
  /** Main-thread ms per trace since the lag monitor's last tick (to say whose code held a late tick). */
  readonly window = new Map<CellTrace, number>();
  // The loop callback being timed (async_hooks).
  private openId = -1;
  private start = 0;
  private trace: CellTrace | undefined;
  private task: TaskRef | undefined;
  private skip = false;
  // The segment of promise continuations being timed: since `segStart`, of `segTrace` (none: not a cell's code).
  private segOpen = false;
  private segStart = 0;
  private segTrace: CellTrace | undefined;
  private segTask: TaskRef | undefined;
  /** continuations of the segment's owner in a row */
  private streak = 0;
  /** the continuation hook is off until the microtask queue is empty (a long run of one owner's continuations) */
  private paused = false;
  /** a nextTick is queued to close the segment when the microtask queue is empty */
  private drainTick = false;
  /** the callback running is that nextTick: the clock's own, nobody's code */
  private ownTick = false;
  private enabled = false;
  private stopPromiseHook: (() => unknown) | undefined;
  private readonly hook = createHook({
    before: (asyncId: number) => this.before(asyncId),
    after: (asyncId: number) => this.after(asyncId),
    trackPromises: false,
  } as HookCallbacks);
  private readonly drained = (): void => {
    this.drainTick = false;
    if (this.openId !== -1) this.ownTick = true;
    else if (this.segOpen) this.closeSegment(now());
    if (this.paused) this.resume();
  };

  constructor(private readonly sink: StretchSink) {}

  enable(): void {
    if (this.enabled) return;
    this.enabled = true;
    this.openId = -1;
    this.segOpen = false;
    this.paused = false;
    this.hook.enable();
    if (promisesUntracked) this.stopPromiseHook = promiseHooks.onBefore(this.continued) as () => unknown;
  }

  disable(): void {
    if (!this.enabled) return;
    this.enabled = false;
    this.paused = false;
    this.hook.disable();
    this.stopPromiseHook?.();
    this.stopPromiseHook = undefined;
    this.openId = -1;
    this.segOpen = false;
    this.window.clear();
  }

  /** Charge the segment of continuations running now up to now (its owner's timeline is about to be read). */
  flush(): void {
    if (!this.segOpen || this.segTrace === undefined) return;
    const t = now();
    const [trace, task, streak] = [this.segTrace, this.segTask, this.streak];
    this.closeSegment(t);
    this.openSegment(t, trace, task);
    this.streak = streak;
  }

  /** The code a segment may be running ended (a cell's promise settled): charge the segment up to now and look
   *  continuations up again, even in a drain a loop of awaits took for its own (the runtime's code runs next). */
  endRun(): void {
    if (this.segOpen) this.closeSegment(now());
    if (this.paused) this.resume();
  }

  /** In a loop of awaits whose drain is taken to be one owner's (see `pause`): that owner's trace, which the await
   *  hook then need not look up on every await. Undefined otherwise. */
  get drainOwner(): CellTrace | undefined {
    return this.paused && this.segOpen ? this.segTrace : undefined;
  }

  /** An uncaught exception skips `after` hooks: forget the open stretch. */
  reset(): void {
    this.openId = -1;
  }

  /** A promise continuation is about to run (the promise hook itself: called a million times by a loop of awaits). */
  private readonly continued = (): void => {
    if (this.segOpen) {
      const trace = liveTrace();
      const task = trace === undefined ? undefined : taskStorage.getStore();
      if (trace === this.segTrace && task === this.segTask) {
        if (++this.streak === STREAK) this.pause();
        return;
      }
      const t = now();
      this.closeSegment(t);
      this.openSegment(t, trace, task);
      return;
    }
    if (this.openId !== -1) return; // inside a timed callback: its stretch covers it
    const trace = liveTrace();
    this.openSegment(now(), trace, trace === undefined ? undefined : taskStorage.getStore());
    if (!this.drainTick) {
      this.drainTick = true;
      process.nextTick(this.drained);
    }
  };

  private openSegment(t: number, trace: CellTrace | undefined, task: TaskRef | undefined): void {
    this.segOpen = true;
    this.segStart = t;
    this.segTrace = trace;
    this.segTask = task;
    this.streak = 0;
  }

  /** STREAK continuations in a row were one owner's, and nobody else's was queued among them (the queue is first
   *  in, first out): a loop of awaits. The rest of this drain is that owner's segment; the hook is off until the
   *  drain ends (`drained`), so the loop runs at the speed of plain Node. */
  private pause(): void {
    this.paused = true;
    if (promisesUntracked) {
      this.stopPromiseHook?.();
      this.stopPromiseHook = undefined;
    } else {
      this.hook.disable();
    }
  }

  private resume(): void {
    this.paused = false;
    if (!this.enabled) return;
    if (promisesUntracked) this.stopPromiseHook = promiseHooks.onBefore(this.continued) as () => unknown;
    else this.hook.enable();
  }

  private closeSegment(end: number): void {
    this.segOpen = false;
    const trace = this.segTrace;
    if (trace === undefined) return;
    this.charge(trace, this.segTask, this.segStart, end);
  }

  private before(asyncId: number): void {
    if (this.openId !== -1) return; // nested: the outer callback's stretch covers it
    if (!promisesUntracked && executionAsyncResource() instanceof Promise) return this.continued();
    const trace = liveTrace();
    if (trace === undefined) {
      if (this.segOpen) this.closeSegment(now());
      return;
    }
    const t = now();
    if (this.segOpen) this.closeSegment(t);
    this.openId = asyncId;
    this.trace = trace;
    this.task = taskStorage.getStore();
    this.skip = this.selfTimed.has(executionAsyncResource());
    this.ownTick = false;
    this.start = t;
  }

  private after(asyncId: number): void {
    if (asyncId !== this.openId) return;
    this.openId = -1;
    if (this.ownTick) return;
    const end = now();
    const trace = this.trace as CellTrace;
    if (this.skip) {
      this.window.set(trace, (this.window.get(trace) ?? 0) + (end - this.start));
      return;
    }
    this.charge(trace, this.task, this.start, end);
  }

  private charge(trace: CellTrace, task: TaskRef | undefined, start: number, end: number): void {
    this.window.set(trace, (this.window.get(trace) ?? 0) + (end - start));
    this.sink.ran(trace, task !== undefined && task.trace === trace ? task.id : CELL_TASK, start, end);
  }
}

/** The trace of the cell whose code is running, unless its timeline is no longer recorded. */
function liveTrace(): CellTrace | undefined {
  const trace = cellStorage.getStore()?.trace;
  return trace === undefined || trace.isFrozen ? undefined : trace;
}
