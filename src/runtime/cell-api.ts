// The functions cells call: display and its helpers, clearOutput, input, sleep, and the `tsloop` namespace
// (the running cell's AbortSignal, …), and the guarded process.exit, as entries of the runtime's patch table
// (./patches/). Their types for the checker are declared in ./declarations/cell-api.ts, which the `api` object below
// satisfies.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { MimeBundle } from "../protocol/messages.js";
import type * as CellApi from "./declarations/cell-api.js";
import { currentCell } from "./context.js";
import { NO_ECHO, html, jpeg, json, latex, markdown, newDisplayId, png, render, svg } from "./display.js";
import type { OutputSink } from "./output.js";
import { chromeTrace } from "../timeline/index.js";
import type { LiveTask, Tracer } from "./tracing/tracer.js";
import type { CommManager } from "./comms.js";
import type { WorkerPool } from "./worker-pool.js";
import { installWidgets } from "./widgets/index.js";
import { type Patch, defineValue } from "./patches/table.js";

/** What the cell API needs from the runtime besides output. */
export interface CellApiDeps {
  output: OutputSink;
  tracer: Tracer;
  comms: CommManager;
  workers: WorkerPool;
  /** the promise timer behind `sleep` (traced as `sleep(ms)`) */
  sleep: (ms: number, value: unknown, options?: { signal?: AbortSignal }) => Promise<unknown>;
}

export interface DisplayHandle {
  readonly displayId: string;
  update(value: unknown): void;
  clear(): void;
}

export class ProcessExitError extends Error {
  override name = "ProcessExit";
}

/**
 * The declared cell API, which `cellApiPatches` satisfies, each global of its declared type — except `widgets`,
 * whose classes are built at run time from the widget specs (their typed attributes exist only as declarations):
 * for it only the name is checked here (test/unit/widgets tests the classes against the widget specs).
 */
type CheckedApi = Omit<typeof CellApi, "widgets"> & { widgets: unknown };

/** The globals of the cell API, and process.exit guarded. */
export function cellApiPatches({ output, tracer, sleep: sleepTimer, comms, workers }: CellApiDeps): Patch[] {
  const needCell = (what: string) => {
    const ctx = currentCell();
    if (!ctx) throw new Error(`${what} can only be called from code a cell started`);
    return ctx;
  };

  function display(value: unknown, options: { displayId?: string } = {}): DisplayHandle {
    const ctx = needCell("display()");
    const displayId = options.displayId ?? newDisplayId();
    const send = (msgType: "display_data" | "update_display_data", v: unknown) => {
      const { data, metadata } = render(v);
      output.publish(ctx.parent, msgType, { data, metadata, transient: { display_id: displayId } });
    };
    send("display_data", value);
    const handle: DisplayHandle = {
      displayId,
      update: (v: unknown) => send("update_display_data", v),
      clear: () => output.publish(ctx.parent, "update_display_data", { data: { "text/plain": "" } as MimeBundle, metadata: {}, transient: { display_id: displayId } }),
    };
    return Object.defineProperty(handle, NO_ECHO, { value: true, enumerable: false });
  }

  function clearOutput(options: { wait?: boolean } = {}): void {
    const ctx = needCell("clearOutput()");
    output.publish(ctx.parent, "clear_output", { wait: options.wait === true });
  }

  async function input(prompt = "", options: { password?: boolean } = {}): Promise<string> {
    const ctx = needCell("input()");
    if (!ctx.allowStdin) {
      const err = new Error("input() is not available: this frontend does not accept input requests (allow_stdin is false)");
      err.name = "StdinNotImplementedError";
      throw err;
    }
    return output.requestInput(ctx.parent, String(prompt), options.password === true);
  }

  /** Resolves after `ms`; rejects when the cell that called it is interrupted, with the interrupt's error. */
  function sleep<T = undefined>(ms: number, value?: T): Promise<T> {
    const signal = currentCell()?.abort.signal;
    const timer = sleepTimer(ms, value, signal ? { signal } : undefined) as Promise<T>;
    if (!signal) return timer;
    const stopped = stoppedWithCellStack(timer, signal);
    const task = tracer.taskOf(timer);
    if (task) tracer.bind(stopped, task.trace, task.id); // the timeline knows the promise the cell awaits
    return stopped;
  }

  /** Runs a self-contained function on a pool of worker threads (CPU work in parallel). */
  function runInWorker<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<Awaited<R>> {
    // The pool sends fn as source text to another thread: its parameters are not checked against args there.
    return workers.run(fn as unknown as (...args: never[]) => R | Promise<R>, args);
  }

  const tsloop = {
    /** The AbortSignal of the cell whose code is running: aborted when that cell is interrupted. */
    get signal(): AbortSignal {
      return needCell("tsloop.signal").abort.signal;
    },
    /** The execution count of the cell whose code is running. */
    get cell(): number | undefined {
      return currentCell()?.executionCount;
    },
    /** Like asyncio.all_tasks(): the pending tasks of every cell (timers, intervals, async calls, gathers…). */
    tasks(): LiveTask[] {
      return tracer.liveTasks();
    },
    /** Cancel a live task listed by tasks() (clears its timer or interval). */
    cancel(cell: number | LiveTask, id?: number): boolean {
      return typeof cell === "object" ? tracer.cancel(cell.cell, cell.id) : tracer.cancel(cell, id ?? -1);
    },
    /** Show the timeline of a cell (by execution count), or of every recent cell run when none is given. */
    timeline(cell?: number): void {
      const ctx = needCell("tsloop.timeline()");
      const traces = cell === undefined ? tracer.allTraces() : [tracer.traceOf(cell)].filter((t) => t !== undefined);
      if (traces.length === 0) throw new Error(cell === undefined ? "no timelines recorded yet" : `no timeline recorded for cell ${cell}`);
      for (const trace of traces) output.publish(ctx.parent, "display_data", { data: trace.bundle(), metadata: {}, transient: {} });
    },
    /** Jupyter comms, both ways: registerTarget(name, (comm, data) => …), open(target, data) → Comm. */
    comms: {
      registerTarget: comms.registerTarget.bind(comms),
      unregisterTarget: comms.unregisterTarget.bind(comms),
      open: comms.open.bind(comms),
    },
    /** Turn the kernel's runtime warnings (blocked event loop, …) on or off for the rest of the session. */
    warnings(enabled: boolean): void {
      tracer.warnings = enabled;
    },
    /** Run `fn` under a timeline of its own: `{ value, timeline }`, where `timeline` displays (and re-displays
     *  as it is then) — e.g. `handle.update(timeline)` to redraw a chart each time a slider moves. */
    async record<T>(fn: () => T | Promise<T>): Promise<{ value: T; timeline: object }> {
      const { value, timeline } = await tracer.record(fn);
      return { value, timeline: { [Symbol.for("Jupyter.display")]: () => timeline.bundle() } };
    },
    /** Turn timelines on or off for the rest of the session (per cell: `// @timeline off` as a first line). */
    timelines(enabled: boolean): void {
      tracer.enabled = enabled;
    },
    /** Write the recent timelines as a Chrome trace (open it in Perfetto); returns the file's absolute path. */
    exportTrace(path = "tsloop-trace.json"): string {
      const file = resolve(path);
      const t = performance.now();
      writeFileSync(file, JSON.stringify(chromeTrace(tracer.allTraces().map((tr) => tr.recorder.snapshot(t)), t)));
      return file;
    },
  };

  // Jupyter widgets (`widgets.IntSlider`…) and the progress helper: see docs/widgets.md.
  const { widgets, progress } = installWidgets({ comms, output });
  // Exactly the globals the checker declares (./declarations/cell-api.ts), each of its declared type.
  const api = { display, clearOutput, input, sleep, html, markdown, svg, png, jpeg, json, latex, tsloop, widgets, progress, runInWorker } satisfies CheckedApi;
  const guardedExit = (code?: number): never => {
    throw new ProcessExitError(
      `process.exit(${code ?? ""}) was called; tsloop keeps the session alive instead of dying. ` + "To start a fresh session, restart the kernel (Kernel → Restart).",
    );
  };
  return [
    ...Object.entries(api).map(([name, value]) => defineValue(`globalThis.${name}`, globalThis, name, value, { enumerable: false, writable: true })),
    defineValue("process.exit", process, "exit", guardedExit, { writable: true }),
  ];
}

/**
 * `promise`, except that when `signal` aborts it rejects with the abort's reason (the kernel's `Interrupted`), its
 * stack captured here: inside an async function the cell awaits, so that V8's async stack trace names the cell line
 * of the await that was interrupted (`at async …tsloop-cell-3.ts:2:1`), which the traceback shows with a caret.
 */
async function stoppedWithCellStack<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    const reason: unknown = signal.reason;
    if (!signal.aborted || !(reason instanceof Error)) throw err;
    Error.captureStackTrace(reason);
    throw reason;
  }
}

