// The runtime: runs compiled cells on the main thread's one persistent event loop. It owns the cell
// context (AsyncLocalStorage), the globals that compiled code and users call, output routing, error
// reporting for work that fails after its cell ended, and the main-thread side of interrupts.
import { Script, constants as vmConstants, runInThisContext } from "node:vm";
import type { CompiledCell } from "../compiler/types.js";
import type { Header, UserExpressionResult } from "../protocol/messages.js";
import { log } from "../wire/log.js";
import { type CellContext, cellStorage, ownerCell, currentCell, setLastCell } from "./context.js";
import { isChainingReturn, render } from "./display.js";
import { formatError, isErrorLike, mapStacksInText } from "./errors.js";
import { installCellApi } from "./cell-api.js";
import { installConsole } from "./console.js";
import { type OutputChannel, OutputSink } from "./output.js";
import { ModuleLoader, defaultExport, namedExport } from "./imports.js";
import { compatModules, installDenoGlobal, settleResult } from "./compat/index.js";
import { CompatModuleLoader } from "./compat/fallback-modules.js";
import { SourceMapRegistry } from "./source-maps.js";
import { CELL_GLOBAL, type CellGlobals } from "./cell-globals.js";
import { CELL_TASK } from "../timeline/index.js";
import { now } from "./tracing/cell-trace.js";
import { awaitedHook, installGatherTracing, traceAsyncHook } from "./tracing/gathers.js";
import { installTimerTracing, tracedSleep } from "./tracing/timers.js";
import { installFetchTracing } from "./tracing/io.js";
import { Tracer } from "./tracing/tracer.js";
import type { CellTrace } from "./tracing/cell-trace.js";
import { FLAG, FLAG_ACK, FLAG_INTERRUPT, FLAG_SAMPLE } from "./loop-signals.js";
import { cellDirectives } from "./directives.js";
import { CommManager } from "./comms.js";
import { WorkerPool } from "./worker-pool.js";
import { DeadlockError, DeadlockWatch, describeDeadlock } from "./deadlock.js";
import { ErrorBudget } from "./error-budget.js";
import { declareGlobals, restoreGlobals } from "./declared-globals.js";
import { realSetImmediate } from "./real-timers.js";
import type { CellWarning, CommEvent, RunOutcome } from "../interpreter/backends.js";

export interface RunRequest extends CompiledCell {
  /** static warnings for the cell (shown on stderr before it runs, unless silenced) */
  warnings?: CellWarning[];
  /** the cell's TypeScript source, for code frames */
  source: string;
  fileName: string;
  executionCount: number;
  parent: Header;
  silent: boolean;
  allowStdin: boolean;
  userExpressions: Record<string, string>;
  cellId?: string;
}

export interface RuntimeOptions {
  cwd: string;
  /** interrupt flag shared with the thread that receives interrupt requests */
  flag: Int32Array;
}

export class InterruptedError extends Error {
  override name = "Interrupted";
  constructor(message = "the kernel was interrupted; every variable, timer and module of the session is kept") {
    super(message);
  }
}

export class Runtime {
  readonly output: OutputSink;
  readonly maps = new SourceMapRegistry();
  readonly tracer: Tracer;
  readonly comms: CommManager;
  private readonly deadlocks: DeadlockWatch;
  private readonly backgroundErrors: ErrorBudget;
  private readonly loader: ModuleLoader;
  private running: { ctx: CellContext; interrupt: (err: Error) => void } | undefined;

  constructor(channel: OutputChannel, private readonly options: RuntimeOptions) {
    this.output = new OutputSink(channel);
    this.tracer = new Tracer(this.output, options.flag);
    this.comms = new CommManager(this.output);
    this.backgroundErrors = new ErrorBudget(this.output);
    this.deadlocks = new DeadlockWatch({ otherWakers: () => this.output.pendingInputs + this.comms.activeCount() });
    this.loader = new CompatModuleLoader(options.cwd, compatModules(this.output));
    this.installGlobals();
  }

  async run(req: RunRequest): Promise<RunOutcome> {
    this.maps.register(req.fileName, req.executionCount, req.source, req.sourceMap, req.js);
    const ctx: CellContext = {
      parent: req.parent,
      executionCount: req.executionCount,
      fileName: req.fileName,
      allowStdin: req.allowStdin,
      abort: new AbortController(),
      defined: new Set(),
      ...(req.cellId === undefined ? {} : { cellId: req.cellId }),
    };
    const trace = this.tracer.startCell(req.executionCount, req.parent, req.source, req.cellId);
    if (trace) ctx.trace = trace;
    setLastCell(ctx);
    this.deadlocks.captureBaseline();
    this.showWarnings(req, trace);
    const saved = declareGlobals(req.declared);
    let interrupt!: (err: Error) => void;
    const interrupted = new Promise<never>((_, reject) => (interrupt = reject));
    this.running = { ctx, interrupt };
    try {
      const script = new Script(req.js, {
        filename: req.fileName,
        importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
      const started = now();
      let completion: Promise<{ value: unknown } | undefined>;
      try {
        completion = cellStorage.run(ctx, () => script.runInThisContext({ breakOnSigint: true })) as Promise<{ value: unknown } | undefined>;
      } finally {
        this.tracer.ran(trace, CELL_TASK, started, now());
      }
      // The cell's own code ended when its promise settled, not when this function got round to noticing.
      if (trace) completion.then(() => this.tracer.cellCodeEnded(trace), () => this.tracer.cellCodeEnded(trace));
      let value: { value: unknown } | undefined;
      const stopWatch = this.deadlocks.watch(() => {
        const error = new DeadlockError(describeDeadlock(trace?.recorder.snapshot(now())));
        ctx.abort.abort(error);
        interrupt(error);
      });
      try {
        value = await Promise.race([completion.then(settleResult), interrupted]);
      } catch (err) {
        completion.catch((late: unknown) => log.debug("cell settled after it was interrupted:", late));
        // An abortable await (sleep) rejects with the interrupt's own error once the pending promise jobs have run
        // (they all run before the next macrotask): its stack says where the cell was waiting. Else the race's.
        throw (await settledWithin(completion, ctx.abort.signal.reason)) ?? err;
      } finally {
        stopWatch();
      }
      const shown = req.hasResult && value !== undefined && value.value !== undefined && !isChainingReturn(value.value, req.resultCallee);
      const result = shown && value !== undefined ? this.renderResult(value.value) : undefined;
      const userExpressions = cellStorage.run(ctx, () => evaluateUserExpressions(req.userExpressions, this.maps));
      return { status: "ok", ...(result ? { result } : {}), userExpressions };
    } catch (err) {
      // A failed or interrupted cell keeps what ran, as IPython does: every declared name whose initialiser
      // completed stays; the others get back what they were before the cell.
      const dropped = restoreGlobals(saved, ctx.defined ?? new Set());
      return { status: "error", ...formatError(normalise(err), this.maps), dropped };
    } finally {
      this.running = undefined;
      trace?.cellEnded();
      this.output.endCell(req.parent);
    }
  }

  /** A cell's value as a mime bundle; stack traces in its text (an Error, a rejected Promise) mapped to cell lines
   *  and filtered as tracebacks are. */
  private renderResult(value: unknown): ReturnType<typeof render> {
    const rendered = render(value);
    const text = rendered.data["text/plain"];
    if (typeof text === "string") rendered.data["text/plain"] = mapStacksInText(text, this.maps);
    return rendered;
  }

  /** Static warnings go to the cell's stderr before it runs: `warning (line 6): …`. */
  private showWarnings(req: RunRequest, trace: CellTrace | undefined): void {
    if (!req.warnings?.length || !this.tracer.warnings || !cellDirectives(req.source).warnings) return;
    const text = req.warnings.map((w) => `\u001b[33mwarning (line ${w.line}):\u001b[0m ${w.message}\n`).join("");
    this.output.stream(req.parent, "stderr", text);
    // The timeline's header counts them and links each to its row.
    for (const w of req.warnings) if (trace && w.kind !== undefined) trace.recorder.warning({ kind: w.kind, line: w.line, message: w.message });
  }

  /** A comm message from the frontend. */
  async comm(event: CommEvent): Promise<boolean> {
    const buffers = "buffers" in event ? event.buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)) : [];
    switch (event.kind) {
      case "open":
        return this.comms.frontendOpen(event.commId, event.targetName, event.data, buffers);
      case "msg":
        return this.comms.frontendMsg(event.commId, event.data, buffers, event.parent);
      case "close":
        return this.comms.frontendClose(event.commId, event.data);
    }
  }

  /** Main-thread side of an interrupt: clear the shared flag, abort the running cell's signal and await. */
  interrupt(): void {
    Atomics.store(this.options.flag, FLAG, 0);
    const running = this.running;
    if (!running) return;
    running.ctx.abort.abort(interruptError());
    running.interrupt(interruptError());
  }

  /** An error no cell code caught (a timer callback threw, a rejection nobody handled): show it in its cell. */
  reportBackgroundError(error: unknown, kind: "uncaught exception" | "unhandled rejection"): void {
    try {
      const ctx = ownerCell() ?? currentCell();
      const formatted = formatError(normalise(error), this.maps);
      log.info(`${kind} from cell ${ctx?.executionCount ?? "?"}: ${formatted.ename}: ${formatted.evalue}`);
      if (!ctx) return;
      if (!this.backgroundErrors.admit(ctx)) return;
      const note = `\u001b[33m(${kind} in work started by cell [${ctx.executionCount}]; the kernel keeps running)\u001b[0m`;
      this.output.publish(ctx.parent, "error", { ...formatted, traceback: [...formatted.traceback, note] });
    } catch (err) {
      // Throwing here would be fatal (inside Node's uncaughtException handling): log and carry on.
      log.error(`could not report a ${kind}:`, err);
    }
  }

  private installGlobals(): void {
    const flag = this.options.flag;
    const globals: CellGlobals = {
      flag,
      interrupted: () => {
        if (Atomics.compareExchange(flag, FLAG, FLAG_SAMPLE, 0) === FLAG_SAMPLE) {
          // The thread has been busy for a while: note where, and send what was printed before the stretch.
          this.tracer.sample(new Error().stack ?? "", this.maps);
          this.output.flush();
          return;
        }
        Atomics.compareExchange(flag, FLAG, FLAG_INTERRUPT, FLAG_ACK); // tell the I/O worker no SIGINT is needed
        throw new InterruptedError();
      },
      import: (specifier, load) => this.loader.import(specifier, load),
      defined: (...names) => {
        const defined = ownerCell()?.defined;
        for (const name of names) defined?.add(name);
      },
      default: defaultExport,
      named: namedExport,
      require: (specifier) => this.loader.require(specifier),
      awaited: awaitedHook(this.tracer),
      traceAsync: traceAsyncHook(this.tracer),
    };
    const sleep = tracedSleep(this.tracer, require("node:timers/promises").setTimeout as Parameters<typeof tracedSleep>[1]);
    installTimerTracing(this.tracer);
    installGatherTracing(this.tracer);
    installFetchTracing(this.tracer);
    Object.defineProperty(globalThis, CELL_GLOBAL, { value: globals, enumerable: false, configurable: false, writable: false });
    // CommonJS `require` for cells, resolving from the notebook's folder (and loading local .ts files).
    Object.defineProperty(globalThis, "require", { value: (specifier: string) => this.loader.require(specifier), enumerable: false, configurable: true, writable: true });
    installConsole(this.output, (text) => mapStacksInText(text, this.maps));
    installCellApi({ output: this.output, tracer: this.tracer, sleep, comms: this.comms, workers: new WorkerPool(this.tracer, flag) });
    installDenoGlobal(this.output);
    // Node warns once per process that the vm import loader is experimental: that is the kernel's business, not
    // the first cell's. Every other warning still reaches the cell whose code caused it.
    const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
    process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
      if (String(warning).includes("USE_MAIN_CONTEXT_DEFAULT_LOADER")) return;
      emitWarning(warning, ...rest);
    }) as typeof process.emitWarning;
    process.on("uncaughtException", (err) => {
      this.tracer.uncaught();
      this.reportBackgroundError(err, "uncaught exception");
    });
    process.on("unhandledRejection", (reason, promise) => {
      this.tracer.unhandled(promise);
      this.reportBackgroundError(reason, "unhandled rejection");
    });
  }
}

/** `reason` if `promise` rejects with it before the next macrotask, else undefined. */
function settledWithin(promise: Promise<unknown>, reason: unknown): Promise<unknown> {
  if (reason === undefined) return Promise.resolve(undefined);
  const turn = new Promise<undefined>((resolve) => realSetImmediate(() => resolve(undefined)));
  const rejected = promise.then(
    () => undefined,
    (err: unknown) => (err === reason ? reason : undefined),
  );
  return Promise.race([rejected, turn]);
}

/** An interrupt's error, made on the main thread's event: its own stack (the event plumbing) means nothing. */
function interruptError(): InterruptedError {
  const error = new InterruptedError();
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

function normalise(err: unknown): unknown {
  if (isErrorLike(err) && (err as { code?: string }).code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") return new InterruptedError();
  return err;
}

function evaluateUserExpressions(expressions: Record<string, string>, maps: SourceMapRegistry): Record<string, UserExpressionResult> {
  const out: Record<string, UserExpressionResult> = {};
  for (const [key, expression] of Object.entries(expressions)) {
    try {
      const { data, metadata } = render(runInThisContext(expression, { filename: "user_expression" }));
      out[key] = { status: "ok", data, metadata };
    } catch (err) {
      out[key] = { status: "error", ...formatError(err, maps) };
    }
  }
  return out;
}
