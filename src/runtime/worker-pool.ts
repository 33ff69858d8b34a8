// `runInWorker(fn, ...args)`: CPU work on a pool of worker threads — the notebook's answer to Python's
// concurrent.futures. The function travels as source text, so it must be self-contained (no variables from
// the cell; import what it needs inside with `require`). Each job is a `worker` task on the cell's timeline,
// labelled with the worker it ran on, so parallel work shows beside the event loop's interleaving.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Tracer } from "./tracing/tracer.js";

// Functions written in a cell carry the compiler's loop guards and await hooks: the worker provides a
// \`__tsloop\` for them. It shares the kernel's interrupt flag, so Interrupt stops a worker's loop too
// (1 and 3 interrupt; 2 is the main thread's sampling request and is left alone).
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const flag = new Int32Array(workerData.signals);
globalThis.__tsloop = {
  flag,
  interrupted() {
    const v = Atomics.load(flag, 0);
    if (v === 1 || v === 3) { const e = new Error("the kernel was interrupted"); e.name = "Interrupted"; throw e; }
  },
  awaited: (value) => value,
  traceAsync: (fn) => fn,
  import: (specifier, load) => load(specifier),
  default: (ns) => ("default" in ns ? ns.default : ns),
  named: (ns, name) => (name in ns ? ns[name] : ns.default?.[name]),
  require: (specifier) => require(specifier),
};
parentPort.on("message", async ({ id, source, args }) => {
  try {
    const fn = (0, eval)("(" + source + ")");
    const value = await fn(...args);
    parentPort.postMessage({ id, ok: true, value });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: { name: error?.name ?? "Error", message: error?.message ?? String(error), stack: error?.stack } });
  }
});
`;

interface Job {
  id: number;
  source: string;
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  index: number;
  worker: Worker;
  busy: Job | undefined;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  readonly size: number;

  constructor(
    private readonly tracer: Tracer,
    private readonly signals: Int32Array,
    size = Math.max(2, availableParallelism()),
  ) {
    this.size = size;
  }

  run<R>(fn: (...args: never[]) => R | Promise<R>, args: unknown[]): Promise<Awaited<R>> {
    if (typeof fn !== "function") throw new TypeError(`runInWorker expects a function, got ${typeof fn}`);
    const source = Function.prototype.toString.call(fn);
    if (/\{\s*\[native code\]\s*\}$/.test(source)) throw new TypeError("runInWorker cannot send a native or bound function to a worker");
    const label = `${fn.name || "job"}(${args.map((a) => (typeof a === "object" ? "{…}" : String(a))).join(", ")})`;
    const promise = new Promise<unknown>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, source, args, resolve, reject });
      this.pump();
    });
    const ref = this.tracer.create("worker", `${label} on a worker`);
    return (ref ? this.tracer.follow(promise, ref) : promise) as Promise<Awaited<R>>;
  }

  /** Ends every worker (pending jobs reject). */
  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => !s.busy) ?? (this.slots.length < this.size ? this.spawn() : undefined);
      if (!slot) return;
      const job = this.queue.shift() as Job;
      slot.busy = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, source: job.source, args: job.args });
    }
  }

  private spawn(): Slot {
    const slot: Slot = { index: this.slots.length + 1, worker: new Worker(WORKER_SOURCE, { eval: true, workerData: { signals: this.signals.buffer } }), busy: undefined };
    slot.worker.on("message", (msg: { id: number; ok: boolean; value?: unknown; error?: { name: string; message: string; stack?: string } }) => {
      const job = slot.busy;
      if (!job || job.id !== msg.id) return;
      slot.busy = undefined;
      slot.worker.unref(); // an idle pool must not keep anything alive (or hide a deadlock)
      if (msg.ok) job.resolve(msg.value);
      else job.reject(Object.assign(new Error(msg.error?.message ?? "worker job failed"), { name: msg.error?.name ?? "Error", stack: msg.error?.stack }));
      this.pump();
    });
    slot.worker.on("error", (error) => {
      const job = slot.busy;
      slot.busy = undefined;
      this.slots.splice(this.slots.indexOf(slot), 1);
      job?.reject(error);
      this.pump();
    });
    this.slots.push(slot);
    return slot;
  }
}
