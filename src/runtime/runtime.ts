// The runtime: runs compiled cells on the main thread's one persistent event loop. It owns the cell
// context (AsyncLocalStorage), the globals that compiled code and users call, output routing, error
// reporting for work that fails after its cell ended, and the main-thread side of interrupts. What it changes in
// the process (timers, console, globals, listeners…) is its patch table (./patches/runtime-table.ts), installed
// through the process's patch owner when it is made and removed by `dispose()`.
import { Script, constants as vmConstants, runInThisContext } from "node:vm";
import type { UserExpressionResult } from "../protocol/messages.js";
import { coloured } from "../protocol/ansi.js";
import { log } from "../wire/log.js";
import { type CellContext, cellStorage, ownerCell, currentCell, setLastCell } from "./context.js";
import { isChainingReturn, render } from "./display.js";
import { formatError, isErrorLike, mapStacksInText } from "./errors.js";
import { type OutputChannel, OutputSink } from "./output.js";
import { ModuleLoader, defaultExport, namedExport } from "./imports.js";
import { compatModules, settleResult } from "./compat/index.js";
import { CompatModuleLoader } from "./compat/fallback-modules.js";
import { SourceMapRegistry } from "./source-maps.js";
import type { CellGlobals } from "../session/cell-globals.js";
import { CELL_TASK } from "../timeline/index.js";
import { now } from "./tracing/cell-trace.js";
import { awaitedHook, traceAsyncHook } from "./tracing/gathers.js";
import { tracedSleep } from "./tracing/timers.js";
import { Tracer } from "./tracing/tracer.js";
import type { CellTrace } from "./tracing/cell-trace.js";
import type { InterruptReceiver } from "../session/interrupt-line.js";
import { showsWarnings } from "./directives.js";
import { CommManager } from "./comms.js";
import { WorkerPool } from "./worker-pool.js";
import { DeadlockError, DeadlockWatch, describeDeadlock } from "./deadlock.js";
import { ErrorBudget } from "./error-budget.js";
import { declareGlobals, restoreGlobals } from "./declared-globals.js";
import { realSetImmediate, realSleep } from "./real-timers.js";
import { type ProcessPatches, processPatches } from "./patches/owner.js";
import { runtimePatchTable } from "./patches/runtime-table.js";
import { TypeScriptHook } from "./patches/typescript-hook.js";
import type { Uninstall } from "./patches/table.js";
import type { CommEvent, RunOutcome, RunRequest } from "../session/contract.js";

export interface RuntimeOptions {
  cwd: string;
  /** the main thread's end of the interrupt line shared with the thread that receives interrupt requests */
  line: InterruptReceiver;
  /** the owner of the process's patches (default: the process's one) */
  patches?: ProcessPatches;
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
  private running: { ctx: CellContext; run: number; interrupt: (err: Error) => void } | undefined;
  private readonly uninstallPatches: Uninstall;

  constructor(channel: OutputChannel, private readonly options: RuntimeOptions) {
    this.output = new OutputSink(channel);
    this.tracer = new Tracer(this.output, options.line);
    this.comms = new CommManager(this.output);
    this.backgroundErrors = new ErrorBudget(this.output);
    this.deadlocks = new DeadlockWatch({ otherWakers: () => this.output.pendingInputs + this.comms.activeCount() });
    const patches = options.patches ?? processPatches;
    this.loader = new CompatModuleLoader(options.cwd, compatModules(this.output), new TypeScriptHook(patches, this.maps));
    this.uninstallPatches = patches.install(this.patchTable());
  }

  /** Puts back everything the runtime patched in the process (a second call does nothing). */
  dispose(): void {
    this.loader.dispose();
    this.uninstallPatches();
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
    const trace = this.tracer.startCell(req.executionCount, req.parent, req.plan.directives, req.cellId);
    if (trace) ctx.trace = trace;
    setLastCell(ctx);
    this.deadlocks.captureBaseline();
    this.showWarnings(req, trace);
    const saved = declareGlobals(req.plan.declared);
    let interrupt!: (err: Error) => void;
    const interrupted = new Promise<never>((_, reject) => (interrupt = reject));
    const run = this.options.line.currentRun();
    this.running = { ctx, run, interrupt };
    try {
      const script = new Script(req.js, {
        filename: req.fileName,
        importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
      const started = now();
      let completion: Promise<{ value: unknown } | undefined>;
      try {
        completion = cellStorage.run(ctx, () => this.options.line.inScript(run, () => script.runInThisContext({ breakOnSigint: true }))) as Promise<{ value: unknown } | undefined>;
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
      const shown = req.plan.hasResult && value !== undefined && value.value !== undefined && !isChainingReturn(value.value, req.plan.resultCallee);
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
    if (!req.warnings?.length || !showsWarnings(req.plan.directives, this.tracer.warnings)) return;
    const text = req.warnings.map((w) => `${coloured("yellow", `warning (line ${w.line}):`)} ${w.message}\n`).join("");
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

  /** Main-thread side of an interrupt of `run` (by default the latest): lower the line's flag, abort that run's
   *  signal and await. An interrupt of an earlier run (an event that arrives late) stops nothing. */
  interrupt(run = this.options.line.currentRun()): void {
    this.options.line.lower(run);
    const running = this.running;
    if (!running || running.run !== run) return;
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
      const note = coloured("yellow", `(${kind} in work started by cell [${ctx.executionCount}]; the kernel keeps running)`);
      this.output.publish(ctx.parent, "error", { ...formatted, traceback: [...formatted.traceback, note] });
    } catch (err) {
      // Throwing here would be fatal (inside Node's uncaughtException handling): log and carry on.
      log.error(`could not report a ${kind}:`, err);
    }
  }

  private patchTable() {
    const line = this.options.line;
    const globals: CellGlobals = {
      flag: line.flag,
      interrupted: () => {
        const action = line.guard(); // an interrupt is acknowledged: the I/O worker sends no SIGINT
        if (action === "interrupt") throw new InterruptedError();
        if (action === "sample") {
          // The thread has been busy for a while: note where, and send what was printed before the stretch.
          this.tracer.sample(new Error().stack ?? "", this.maps);
          this.output.flush();
        }
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
    return runtimePatchTable({
      tracer: this.tracer,
      output: this.output,
      globals,
      require: (specifier: string) => this.loader.require(specifier),
      mapText: (text) => mapStacksInText(text, this.maps),
      cellApi: { output: this.output, tracer: this.tracer, sleep: tracedSleep(this.tracer, realSleep), comms: this.comms, workers: new WorkerPool(this.tracer, line.flag) },
      uncaught: (err) => {
        this.tracer.uncaught();
        this.reportBackgroundError(err, "uncaught exception");
      },
      unhandled: (reason, promise) => {
        this.tracer.unhandled(promise);
        this.reportBackgroundError(reason, "unhandled rejection");
      },
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
