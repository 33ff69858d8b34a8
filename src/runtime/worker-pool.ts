// `runInWorker(fn, ...args)`: CPU work on a pool of worker threads — the notebook's answer to Python's
// concurrent.futures. The function travels as source text, so it must be self-contained (no variables from
// the cell; import what it needs inside with `require`). Each job is a `worker` task on the cell's timeline,
// labelled with the worker it ran on, so parallel work shows beside the event loop's interleaving.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { POOL_GUARD_SOURCE } from "../session/interrupt-line.js";
import type { TaskRef, Tracer } from "./tracing/tracer.js";

/** When and how long a job ran on its worker thread (absolute ms since the epoch, as `timeOrigin + now()`). */
interface JobTimes {
  start: number;
  end: number;
  cpuMs?: number;
}

// Functions written in a cell carry the compiler's loop guards and await hooks: the worker provides a
// \`__tsloop\` for them. It reads the kernel's interrupt line with the line's own guard (POOL_GUARD_SOURCE), so
// Interrupt stops a worker's loop too; the main thread's sampling requests are left alone.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
${POOL_GUARD_SOURCE}
const flag = new Int32Array(workerData.signals);
globalThis.__tsloop = {
  flag,
  interrupted() {
    if (interruptRaised(flag)) { const e = new Error("the kernel was interrupted"); e.name = "Interrupted"; throw e; }
  },
  awaited: (value) => value,
  traceAsync: (fn) => fn,
  import: (specifier, load) => load(specifier),
  default: (ns) => ("default" in ns ? ns.default : ns),
  named: (ns, name) => (name in ns ? ns[name] : ns.default?.[name]),
  require: (specifier) => require(specifier),
};
// This thread's CPU time in ms (Linux: the scheduler's own count, in ns), or undefined elsewhere.
const { readFileSync } = require("node:fs");
function cpuMs() {
  try { return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]) / 1e6; } catch { return undefined; }
}
parentPort.on("message", async ({ id, source, args }) => {
  const cpu0 = cpuMs();
  const start = performance.timeOrigin + performance.now();
  const times = () => {
    const cpu1 = cpuMs();
    return { start, end: performance.timeOrigin + performance.now(), cpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
  };
  try {
    const fn = (0, eval)("(" + source + ")");
    const value = await fn(...args);
    parentPort.postMessage({ id, ok: true, value, times: times() });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, times: times(), error: { name: error?.name ?? "Error", message: error?.message ?? String(error), stack: error?.stack } });
  }
});
`;

interface Job {
  id: number;
  source: string;
  args: unknown[];
  /** the job's task on its cell's timeline */
  ref: TaskRef | undefined;
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
    const ref = this.tracer.create("worker", `${label} on a worker`);
    const promise = new Promise<unknown>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, source, args, ref, resolve, reject });
      this.pump();
    });
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
    let index = 1; // the lowest free lane number, so a replaced worker takes its predecessor's lane
    while (this.slots.some((s) => s.index === index)) index++;
    const slot: Slot = { index, worker: new Worker(WORKER_SOURCE, { eval: true, workerData: { signals: this.signals.buffer } }), busy: undefined };
    slot.worker.on("message", (msg: { id: number; ok: boolean; value?: unknown; times?: JobTimes; error?: { name: string; message: string; stack?: string } }) => {
      const job = slot.busy;
      if (!job || job.id !== msg.id) return;
      slot.busy = undefined;
      if (job.ref && msg.times) {
        // The worker's clock has its own origin: both are epoch-based, so this puts the run on the cell's axis.
        const origin = performance.timeOrigin;
        job.ref.trace.recorder.workerRan(job.ref.id, slot.index, msg.times.start - origin, msg.times.end - origin, msg.times.cpuMs);
      }
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
