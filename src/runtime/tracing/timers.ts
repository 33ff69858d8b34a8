// Timers on the timeline: setTimeout, setInterval and setImmediate (global and `node:timers`), and the
// promise timers of `node:timers/promises`, are wrapped so that a cell's timers show as tasks — when due,
// when they fired (and how late), how long their callbacks ran, and whether they were cleared. The wrappers are
// entries of the runtime's patch table (../patches/): made from the real functions when the table is installed.
import type { TaskKind } from "../../timeline/index.js";
import type { Patch } from "../patches/table.js";
import { now } from "./cell-trace.js";
import type { TaskRef, Tracer } from "./tracer.js";
import { calledByLibrary } from "./origin.js";

type TimerFn = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => unknown;

type TimerName = "setTimeout" | "setInterval" | "setImmediate" | "clearTimeout" | "clearInterval" | "clearImmediate";

/** The patches that put a cell's timers on its timeline: the globals, `node:timers` and `node:timers/promises`. */
export function timerPatches(tracer: Tracer): Patch[] {
  const timers = require("node:timers") as Record<string, unknown>;
  const promises = require("node:timers/promises") as Record<string, unknown>;
  const handles = new WeakMap<object, TaskRef>();
  /** the timer whose callback runs now: an interval that clears itself there ends normally */
  let firing: TaskRef | undefined;

  const wrapCallback = (ref: TaskRef, repeat: boolean, callback: (...args: unknown[]) => void) =>
    function (this: unknown, ...args: unknown[]) {
      const { trace, id } = ref;
      const start = now();
      trace.recorder.timerFired(id, start);
      const outer = firing;
      firing = ref;
      let threw = true;
      try {
        const result = callback.apply(this, args);
        threw = false;
        return result;
      } catch (error) {
        tracer.settle(ref, "rejected", error);
        throw error;
      } finally {
        firing = outer;
        // Charged to the cell that started the timer, whichever cell runs now (its context is the timer's).
        tracer.ran(trace, id, start, now());
        if (!threw && !repeat) tracer.settle(ref, "fulfilled");
        else trace.changed();
      }
    };

  const schedule = (original: TimerFn, kind: TaskKind, name: string, repeat: boolean, clear: (h: unknown) => void): TimerFn =>
    function (this: unknown, callback, ms, ...args) {
      if (typeof callback !== "function" || !tracer.current()) return original.call(this, callback, ms, ...args);
      if (calledByLibrary()) {
        // undici's keep-alive timer, a library's setImmediate: part of the user-level task that caused it.
        tracer.countInternal();
        return original.call(this, callback, ms, ...args);
      }
      const delay = kind === "immediate" ? 0 : Math.max(1, Number(ms) || 1);
      const scheduled: { handle?: unknown } = {}; // the cancel function needs the handle made after it
      const ref = tracer.create(kind, kind === "immediate" ? name : `${name} ${delay}ms`, { delayMs: delay, cancel: () => clear(scheduled.handle) });
      if (!ref) return original.call(this, callback, ms, ...args);
      const handle =
        kind === "immediate" ? original.call(this, wrapCallback(ref, false, callback), ...[ms, ...args]) : original.call(this, wrapCallback(ref, repeat, callback), ms, ...args);
      scheduled.handle = handle;
      if (typeof handle === "object" && handle !== null) {
        handles.set(handle, ref);
        tracer.clock.selfTimed.add(handle);
      }
      return handle;
    };

  const unschedule = (original: (h: unknown) => void) =>
    function (this: unknown, handle: unknown) {
      const ref = typeof handle === "object" && handle !== null ? handles.get(handle) : undefined;
      if (ref) {
        handles.delete(handle as object);
        // An interval (or timeout) cleared from its own callback has done its job: that is its normal end.
        tracer.settle(ref, ref === firing ? "fulfilled" : "cancelled");
      }
      return original.call(this, handle);
    };

  // One traced function per name, made from the first real function a patch gives (the global's: `node:timers`
  // exports the same functions, as Node's own module does), so that each entry also works alone.
  const traced = new Map<TimerName, TimerFn>();
  const tracedTimer = (name: TimerName, real: unknown): TimerFn => {
    let fn = traced.get(name);
    if (!fn) {
      fn = makers[name](real);
      Object.defineProperty(fn, "name", { value: name });
      traced.set(name, fn);
    }
    return fn;
  };
  /** a task's cancel: the traced clear (which settles the task), whichever function the global holds now */
  const clearer = (name: TimerName) => (h: unknown) => void (tracedTimer(name, (globalThis as unknown as Record<string, unknown>)[name]) as (h: unknown) => void)(h);
  const makers: Record<TimerName, (real: unknown) => TimerFn> = {
    setTimeout: (real) => schedule(real as TimerFn, "timeout", "setTimeout", false, clearer("clearTimeout")),
    setInterval: (real) => schedule(real as TimerFn, "interval", "setInterval", true, clearer("clearInterval")),
    setImmediate: (real) => schedule(real as TimerFn, "immediate", "setImmediate", false, clearer("clearImmediate")),
    clearTimeout: (real) => unschedule(real as (h: unknown) => void) as TimerFn,
    clearInterval: (real) => unschedule(real as (h: unknown) => void) as TimerFn,
    clearImmediate: (real) => unschedule(real as (h: unknown) => void) as TimerFn,
  };
  const names = Object.keys(makers) as TimerName[];
  const patches: Patch[] = names.map((name) => ({ name: `globalThis.${name}`, target: globalThis, key: name, replacement: (real: unknown) => tracedTimer(name, real) }));
  for (const name of names) {
    patches.push({ name: `node:timers ${name}`, target: timers, key: name, builtinModule: true, replacement: (real: unknown) => tracedTimer(name, real) });
  }

  // node:timers/promises — `await setTimeout(300)` is the idiomatic sleep.
  const promiseTimer = (original: (...a: unknown[]) => Promise<unknown>, kind: TaskKind, name: string) =>
    function (this: unknown, ...a: unknown[]): Promise<unknown> {
      const promise = original.apply(this, a);
      if (!tracer.current()) return promise;
      if (calledByLibrary()) {
        tracer.countInternal();
        return promise;
      }
      const delay = kind === "immediate" ? 0 : Math.max(1, Number(a[0]) || 1);
      const ref = tracer.create(kind, kind === "immediate" ? `${name}()` : `${name}(${delay})`, { delayMs: delay });
      return ref ? tracer.follow(promise, ref) : promise;
    };
  type PromiseTimer = (...a: unknown[]) => Promise<unknown>;
  for (const [key, kind] of [["setTimeout", "timeout"], ["setImmediate", "immediate"]] as const) {
    patches.push({ name: `node:timers/promises ${key}`, target: promises, key, builtinModule: true, replacement: (real) => promiseTimer(real as PromiseTimer, kind, key) });
  }
  return patches;
}

/** `sleep(ms)` of the cell API, labelled as the user wrote it. */
export function tracedSleep(tracer: Tracer, sleepTimer: (ms: number, value: unknown, options?: { signal?: AbortSignal }) => Promise<unknown>) {
  return (ms: number, value: unknown, options?: { signal?: AbortSignal }): Promise<unknown> => {
    const promise = sleepTimer(ms, value, options);
    const ref = tracer.create("timeout", `sleep(${ms})`, { delayMs: Math.max(1, Number(ms) || 1) });
    return ref ? tracer.follow(promise, ref) : promise;
  };
}
