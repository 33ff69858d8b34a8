// Gathers on the timeline: Promise.all / allSettled / race / any called by a cell's code become a gather
// task whose children are the tasks of the promises gathered (unknown promises get a task of their own). The
// wrappers are entries of the runtime's patch table (../patches/), made from the real combinators.
import type { GatherKind } from "../../timeline/index.js";
import { type CellTrace, now } from "./cell-trace.js";
import { type Tracer, isThenable } from "./tracer.js";
import { type TaskRef, taskStorage } from "./task-storage.js";
import { calledByLibrary } from "./origin.js";
import type { Patch } from "../patches/table.js";

type Combinator = (this: PromiseConstructor, values: Iterable<unknown>) => Promise<unknown>;

/** The patches of `Promise.all`, `allSettled`, `race` and `any` that record gathers. */
export function gatherPatches(tracer: Tracer): Patch[] {
  return (["all", "allSettled", "race", "any"] as const).map((kind) => ({
    name: `Promise.${kind}`,
    target: Promise,
    key: kind,
    replacement: (real: unknown) => tracedGather(tracer, kind, real as Combinator),
  }));
}

function tracedGather(tracer: Tracer, kind: GatherKind, original: Combinator): Combinator {
  const traced = function (this: PromiseConstructor, values: Iterable<unknown>): Promise<unknown> {
    const trace = tracer.current();
    if (!trace || this !== Promise || values === null || values === undefined || typeof (values as Iterable<unknown>)[Symbol.iterator] !== "function") {
      return original.call(this, values);
    }
    if (calledByLibrary()) {
      tracer.countInternal();
      return original.call(this, values);
    }
    const items = Array.from(values);
    const childIds: number[] = [];
    items.forEach((item, index) => {
      if (!isThenable(item)) return;
      const known = tracer.taskOf(item);
      if (known && known.trace === trace) {
        childIds.push(known.id);
        return;
      }
      const id = trace.recorder.taskCreated("promise", `#${index + 1}`, { parentId: tracer.currentTaskIn(trace), at: now() });
      childIds.push(id);
      const ref: TaskRef = { trace, id };
      // Promise[kind] attaches handlers to every item anyway, so observing it changes nothing for the user.
      item.then(
        (v) => tracer.settle(ref, "fulfilled", v),
        (e: unknown) => tracer.settle(ref, "rejected", e),
      );
    });
    const id = trace.recorder.gather(kind, childIds, { parentId: tracer.currentTaskIn(trace) });
    // The combinator calls `.then` on each item: that is the gather's doing, not the user handling them.
    tracer.quietThen++;
    let gathered: Promise<unknown>;
    try {
      gathered = original.call(this, items);
    } finally {
      tracer.quietThen--;
    }
    return tracer.follow(gathered, { trace, id });
  };
  Object.defineProperty(traced, "name", { value: kind });
  return traced;
}

/** `__tsloop.awaited(x, line, label, inner)`: the cell awaits x at `line` (`inner`: inside a function or class).
 *  The hook runs on every await of a loop, so it captures nothing itself: a variable a closure captures lives in a
 *  context V8 allocates on every call, taken or not (~55 instructions a call, measured under callgrind); the
 *  closures are made by the functions below, only for the awaits that get a row or an inner wait. */
export function awaitedHook(tracer: Tracer) {
  return <T>(value: T, line: number, label: string, inner?: number): T => {
    if (!isThenable(value)) return value;
    const trace = tracer.clock.drainOwner ?? tracer.current();
    if (!trace) return value;
    const known = tracer.taskOf(value);
    if (known && known.trace === trace) {
      trace.recorder.awaited(known.id, tracer.currentTaskIn(trace), line);
      return value;
    }
    // Inside a function, waiting on a promise nobody else knows (a semaphore's `this.acquire()`, a helper's
    // `new Promise`) is part of the enclosing task's own bar: counted, not drawn as a row of its own.
    if (inner === 1) {
      innerWait(tracer, trace, value, line, label);
      return value;
    }
    // A hot loop awaiting fresh promises at one line: past a few hundred, count them instead of drawing each
    // (the timeline shows "+N internal promises"; recording each would cost more than the await itself).
    if (trace.tooManyAwaitsAt(line)) {
      trace.recorder.countInternalPromise();
      return value;
    }
    awaitTask(tracer, trace, value, line, label);
    return value;
  };
}

/** An inner wait on `value` at `line`, counted in the enclosing task's bar until it settles. */
function innerWait(tracer: Tracer, trace: CellTrace, value: PromiseLike<unknown>, line: number, label: string): void {
  const key = trace.recorder.innerWait(tracer.currentTaskIn(trace), line, label, now());
  if (key === 0) return;
  const done = (): void => trace.recorder.innerWaitSettled(key);
  value.then(done, done);
}

/** A row of its own for an awaited promise nobody knows, settled with it. */
function awaitTask(tracer: Tracer, trace: CellTrace, value: PromiseLike<unknown>, line: number, label: string): void {
  const by = tracer.currentTaskIn(trace);
  const id = trace.recorder.taskCreated("await", label, { parentId: by, line, at: now() });
  trace.recorder.awaited(id, by, line);
  const ref: TaskRef = { trace, id };
  value.then(
    (v) => tracer.settle(ref, "fulfilled", v),
    (e: unknown) => tracer.settle(ref, "rejected", e),
  );
}

/** `__tsloop.traceAsync(fn, line)`: calls of an async function the cell declared become tasks `fn(args)`. */
export function traceAsyncHook(tracer: Tracer) {
  return <F extends (...args: never[]) => unknown>(fn: F, line: number): F => {
    const name = fn.name || "async";
    const wrapper = function (this: unknown, ...args: never[]): unknown {
      const ref = tracer.create("async", `${name}(${args.map(preview).join(", ")})`, { line });
      if (!ref) return fn.apply(this, args);
      // Run the body as this task, so its awaits and the tasks it starts are recorded under it; its synchronous
      // start is its own main-thread run (nested in the caller's, which does not count it twice).
      const start = now();
      let result: unknown;
      try {
        result = taskStorage.run(ref, () => fn.apply(this, args));
      } finally {
        tracer.ran(ref.trace, ref.id, start, now());
      }
      if (!isThenable(result)) {
        tracer.settle(ref, "fulfilled", result);
        return result;
      }
      return tracer.follow(result, ref);
    };
    Object.defineProperty(wrapper, "name", { value: fn.name });
    Object.defineProperty(wrapper, "length", { value: fn.length });
    Object.defineProperty(wrapper, "toString", { value: () => Function.prototype.toString.call(fn), enumerable: false });
    return wrapper as unknown as F;
  };
}

function preview(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 20 ? `${value.slice(0, 19)}…` : value);
    case "number":
    case "boolean":
    case "bigint":
    case "undefined":
      return String(value);
    case "function":
      return "ƒ";
    default:
      return value === null ? "null" : Array.isArray(value) ? `[${value.length}]` : "{…}";
  }
}
