// Widget events: listeners that remember the cell that registered them (each runs in that cell's context, so
// what it prints lands under that cell, now or much later), and async iterators of changes.
import { type CellContext, cellStorage, currentCell, ownerCell } from "../context.js";

export type Listener = (...args: never[]) => unknown;

/** How a listener's error is shown: by default re-thrown in its cell's context as an uncaught exception. */
export type ErrorReporter = (ctx: CellContext | undefined, error: unknown) => void;

export const throwInCell: ErrorReporter = (ctx, error) => {
  const fail = () =>
    process.nextTick(() => {
      throw error;
    });
  if (ctx) cellStorage.run(ctx, fail);
  else fail();
};

interface Entry {
  fn: Listener;
  ctx: CellContext | undefined;
}

export class Listeners {
  private readonly byEvent = new Map<string, Entry[]>();

  constructor(private readonly report: () => ErrorReporter) {}

  add(event: string, fn: Listener): void {
    if (typeof fn !== "function") throw new TypeError(`on(${JSON.stringify(event)}, handler): expected a function, received ${typeof fn}`);
    const entries = this.byEvent.get(event) ?? [];
    entries.push({ fn, ctx: currentCell() });
    this.byEvent.set(event, entries);
  }

  remove(event: string, fn?: Listener): void {
    if (!fn) {
      this.byEvent.delete(event);
      return;
    }
    const entries = this.byEvent.get(event)?.filter((e) => e.fn !== fn);
    if (entries) this.byEvent.set(event, entries);
  }

  has(event: string): boolean {
    return (this.byEvent.get(event)?.length ?? 0) > 0;
  }

  /**
   * Calls each listener in the cell that registered it — or, with `here`, in the cell whose code is running (a
   * change a cell made runs its handlers where it was made, like a function call). Errors and rejections are
   * reported, never thrown here.
   */
  emit(event: string, args: unknown[], here = false): void {
    const running = here ? ownerCell() : undefined;
    for (const { fn, ctx: registered } of [...(this.byEvent.get(event) ?? [])]) {
      const ctx = running ?? registered;
      const call = () => {
        try {
          const result = (fn as (...a: unknown[]) => unknown)(...args);
          if (result instanceof Promise) result.catch((err: unknown) => this.report()(ctx, err));
        } catch (err) {
          this.report()(ctx, err);
        }
      };
      if (ctx) cellStorage.run(ctx, call);
      else call();
    }
  }
}

const MAX_QUEUED = 10_000;

/**
 * An async iterator over values pushed by `subscribe`: values arriving while nobody awaits are queued (the
 * oldest dropped past 10,000); it ends when `closed` resolves, and rejects when `signal` aborts.
 */
export function pushIterator<T>(subscribe: (push: (value: T) => void) => () => void, closed: Promise<void>, signal?: AbortSignal): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  let done = false;
  let failure: { error: unknown } | undefined;
  const unsubscribe = subscribe((value) => {
    if (done) return;
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w.resolve({ value, done: false });
    } else {
      queue.push(value);
      if (queue.length > MAX_QUEUED) queue.shift();
    }
  });
  const finish = (error?: { error: unknown }) => {
    if (done) return;
    done = true;
    failure = error;
    unsubscribe();
    signal?.removeEventListener("abort", onAbort);
    const w = waiting;
    waiting = undefined;
    if (w) {
      if (error) w.reject(error.error);
      else w.resolve({ value: undefined, done: true });
    }
  };
  const onAbort = () => finish({ error: signal?.reason ?? new Error("aborted") });
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  void closed.then(() => finish());
  const iterator: AsyncIterableIterator<T> = {
    next(): Promise<IteratorResult<T>> {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift() as T, done: false });
      if (failure) return Promise.reject(failure.error);
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return(): Promise<IteratorResult<T>> {
      queue.length = 0;
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
