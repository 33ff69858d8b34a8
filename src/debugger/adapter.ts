// The debug adapter: answers the Jupyter debug protocol's DAP requests by driving the main thread's V8 over
// CDP, from the I/O worker. Lifecycle (attach/disconnect), breakpoints by cell path, execution control and
// events; the paused state (frames, scopes, evaluation) is in frames.ts, values in variables.ts.
import { log } from "../wire/log.js";
import { Cdp, type PausedEvent } from "./cdp.js";
import { type CellRun, CellFiles, HASH_SEED } from "./cells.js";
import { type DapBreakpoint, DapError, type DapEvent, type DapRequest, type DapResponse, argument, isNumber, isString } from "./dap.js";
import { BLACKBOX_PATTERNS, PausedState, checked } from "./frames.js";
import { Breakpoints } from "./breakpoints.js";
import { VariableTable } from "./variables.js";
import { richInspect } from "./rich.js";
import { PauseClock, type PauseSink } from "./pause-clock.js";

export type { PauseSink } from "./pause-clock.js";
import { EXCEPTION_FILTERS, capabilities, readSource } from "./info.js";

type Body = Record<string, unknown>;
type Step = "Debugger.stepOver" | "Debugger.stepInto" | "Debugger.stepOut";
/** Steps that end in code without a TypeScript line (the kernel's instrumentation) are continued this often. */
const MAX_HIDDEN_STEPS = 200;
/** A pause that landed in the kernel's code is asked again after this long (see onPaused). */
const PAUSE_RETRY_MS = 50;

export class DebugAdapter {
  private cdp: Cdp | undefined;
  private readonly files: CellFiles;
  private readonly breakpoints: Breakpoints;
  private readonly declared = new Set<string>();
  private variables: VariableTable | undefined;
  private paused: PausedState | undefined;
  private stepping: { command: Step; hidden: number } | undefined;
  private pauseRequested = false;
  private pauseAgain: ReturnType<typeof setTimeout> | undefined;
  private skipping = false;
  private exceptionMode: "none" | "all" | "uncaught" = "none";
  private readonly scriptUrls = new Map<string, string>();
  private seq = 0;
  /** every pause, shown or stepped through, for the timeline */
  private readonly pauses: PauseClock;

  constructor(
    language: "typescript" | "javascript",
    private readonly publish: (event: DapEvent) => void,
    pauseSink: PauseSink = () => {},
  ) {
    this.pauses = new PauseClock(pauseSink);
    this.files = new CellFiles(language === "javascript" ? ".js" : ".ts");
    this.breakpoints = new Breakpoints(this.files);
  }

  async handle(request: DapRequest): Promise<DapResponse> {
    const respond = (success: boolean, body: Body, message?: string): DapResponse => ({
      type: "response",
      seq: ++this.seq,
      request_seq: request.seq,
      success,
      command: request.command,
      ...(message === undefined ? {} : { message }),
      body,
    });
    try {
      return respond(true, await this.dispatch(request));
    } catch (err) {
      if (!(err instanceof DapError)) log.error(`debug request ${request.command} failed:`, err);
      return respond(false, {}, err instanceof Error ? err.message : String(err));
    }
  }

  private async dispatch(r: DapRequest): Promise<Body> {
    switch (r.command) {
      case "initialize":
        return capabilities();
      case "attach":
        await this.attach();
        return {};
      case "disconnect":
        await this.detach();
        return {};
      case "debugInfo":
        return this.debugInfo();
      case "dumpCell":
        return { sourcePath: this.files.dump(argument(r, "code", isString, "a string")) };
      case "setBreakpoints":
        return { breakpoints: await this.setBreakpoints(r) };
      case "configurationDone":
        return {};
      case "setExceptionBreakpoints":
        return this.setExceptionBreakpoints(r);
      case "threads":
        return { threads: [{ id: 1, name: "Main Thread" }] };
      case "stackTrace": {
        const frames = this.stopped().stackTrace();
        return { stackFrames: frames, totalFrames: frames.length };
      }
      case "scopes":
        return { scopes: this.stopped().scopes(argument(r, "frameId", isNumber, "a frame id")) };
      case "variables":
        return { variables: await this.table().expand(argument(r, "variablesReference", isNumber, "a number")) };
      case "continue":
        if (!this.paused && this.pauseRequested) {
          this.pauseRequested = false; // a pause still waiting for the notebook's code to run is withdrawn
          clearTimeout(this.pauseAgain);
          return { allThreadsContinued: true };
        }
        this.stopped();
        await this.resume(this.connected(), "Debugger.resume");
        return { allThreadsContinued: true };
      case "next":
        return this.step("Debugger.stepOver");
      case "stepIn":
        return this.step("Debugger.stepInto");
      case "stepOut":
        return this.step("Debugger.stepOut");
      case "pause":
        this.pauseRequested = true;
        await this.connected().post("Debugger.pause");
        return {};
      case "evaluate":
        return this.evaluate(r);
      case "source":
        return { content: readSource(this.files, r) };
      case "inspectVariables":
        return { variables: await this.inspectVariables() };
      case "richInspectVariables":
        return richInspect(this.connected(), argument(r, "variableName", isString, "a variable name"), this.paused, r.arguments?.frameId);
      case "modules":
        return { modules: [], totalModules: 0 };
      default:
        throw new DapError(`the debug request ${JSON.stringify(r.command)} is not supported by tsloop`);
    }
  }

  /** Called by the kernel before a cell's script runs: its breakpoints go in first. */
  async cellWillRun(run: CellRun): Promise<void> {
    for (const name of run.declared) this.declared.add(name);
    const script = this.files.add(run, this.cdp !== undefined);
    if (!this.cdp) return;
    if (this.skipping) {
      this.skipping = false;
      await this.cdp.post("Debugger.setSkipAllPauses", { skip: false });
    }
    await this.breakpoints.applyTo(this.cdp, script);
  }

  /** An interrupt while paused: the main thread must run again to see it; pauses are skipped until the next cell. */
  async interrupted(): Promise<void> {
    if (!this.cdp || !this.paused) return;
    this.skipping = true;
    await this.cdp.post("Debugger.setSkipAllPauses", { skip: true });
    await this.resume(this.cdp, "Debugger.resume");
  }

  async close(): Promise<void> {
    await this.detach();
    this.files.removeAll();
  }

  private async attach(): Promise<void> {
    if (this.cdp) return;
    const cdp = new Cdp();
    cdp.connect();
    this.cdp = cdp;
    this.variables = new VariableTable(cdp);
    cdp.on<PausedEvent>("Debugger.paused", (event) => {
      this.pauses.stopped();
      void this.onPaused(cdp, event).catch((err: unknown) => log.error("debugger: handling a pause failed:", err));
    });
    cdp.on("Debugger.resumed", () => this.onResumed());
    cdp.on<{ scriptId: string; url: string }>("Debugger.scriptParsed", (s) => {
      if (s.url) this.scriptUrls.set(s.scriptId, s.url);
    });
    await cdp.post("Debugger.enable");
    await cdp.post("Debugger.setAsyncCallStackDepth", { maxDepth: 32 });
    await cdp.post("Debugger.setBlackboxPatterns", { patterns: BLACKBOX_PATTERNS });
    this.files.dumpAll();
  }

  private async detach(): Promise<void> {
    const cdp = this.cdp;
    if (!cdp) return;
    this.cdp = undefined;
    this.pauseRequested = false;
    clearTimeout(this.pauseAgain);
    this.breakpoints.clear();
    this.scriptUrls.clear();
    this.onResumed();
    try {
      await cdp.post("Debugger.disable");
    } finally {
      cdp.disconnect(); // the last session leaving resumes a paused main thread
    }
  }

  private async onPaused(cdp: Cdp, event: PausedEvent): Promise<void> {
    const state = new PausedState(event, cdp, this.files, this.table(), () => this.declared, this.scriptUrls);
    const stepping = this.stepping;
    const top = state.top();
    if (!top && this.pauseRequested && !stepping) {
      // A pause request landed in the kernel's code (the loop was idle, or between the notebook's tasks). Stepping
      // from there goes statement by statement through Node's internals (V8 does not skip blackboxed code it is
      // already in), so: resume, and ask again a little later, until the pause lands in the notebook's code.
      await this.resume(cdp, "Debugger.resume");
      this.pauseAgain = setTimeout(() => {
        this.pauseAgain = undefined;
        if (this.cdp === cdp && this.pauseRequested) cdp.post("Debugger.pause").catch((err: unknown) => log.error("debugger: pause failed:", err));
      }, PAUSE_RETRY_MS);
      return;
    }
    if (stepping && !top && stepping.hidden < MAX_HIDDEN_STEPS) {
      // a step ended in the instrumentation the compiler wrapped around the user's line: step on
      stepping.hidden++;
      await this.resume(cdp, stepping.command === "Debugger.stepOut" ? "Debugger.stepOver" : stepping.command);
      return;
    }
    const exception = event.reason === "exception" || event.reason === "promiseRejection";
    // the kernel's own exceptions (it catches them) are not the user's; with "uncaught", neither are those the
    // notebook catches itself (V8 counts the kernel's catch of every cell error, so it cannot tell)
    if (exception && !this.pauseRequested && (!state.anyShown() || (this.exceptionMode === "uncaught" && (await state.caughtByNotebook())))) {
      await this.resume(cdp, "Debugger.resume");
      return;
    }
    this.stepping = undefined;
    this.paused = state;
    const reason = this.pauseRequested ? "pause" : stepping ? "step" : event.hitBreakpoints?.length ? "breakpoint" : exception ? "exception" : "pause";
    this.pauseRequested = false;
    const text = reason === "exception" ? (event.data as { description?: string } | undefined)?.description?.split("\n")[0] : undefined;
    this.emit("stopped", { reason, threadId: 1, allThreadsStopped: true, ...(text === undefined ? {} : { text, description: text }) });
  }

  /** Resumes (or steps) the main thread; the pause ending now is reported first, so that the main thread has the
   *  report queued by the time it runs again. */
  private async resume(cdp: Cdp, command: "Debugger.resume" | Step): Promise<void> {
    this.pauses.ended();
    await cdp.post(command);
  }

  private onResumed(): void {
    this.pauses.ended(); // a resume not asked for here (the session leaving)
    if (this.stepping) return; // a step in progress: no `continued` between the steps that make one
    this.variables?.clear();
    if (!this.paused) return;
    this.paused = undefined;
    this.emit("continued", { threadId: 1, allThreadsContinued: true });
  }

  private emit(event: string, body: Body): void {
    this.publish({ type: "event", seq: ++this.seq, event, body });
  }

  private async step(command: Step): Promise<Body> {
    this.stopped();
    this.variables?.clear();
    this.paused = undefined;
    this.stepping = { command, hidden: 0 };
    await this.resume(this.connected(), command);
    return {};
  }

  private debugInfo(): Body {
    return {
      isStarted: this.cdp !== undefined,
      hashMethod: "Murmur2",
      hashSeed: HASH_SEED,
      tmpFilePrefix: this.files.prefix,
      tmpFileSuffix: this.files.suffix,
      breakpoints: this.breakpoints.list(),
      stoppedThreads: this.paused ? [1] : [],
      richRendering: true,
      exceptionPaths: [],
      copyToGlobals: false,
    };
  }

  private async setBreakpoints(r: DapRequest): Promise<DapBreakpoint[]> {
    const source = argument(r, "source", (v): v is { path: string } => typeof v === "object" && v !== null && isString((v as { path?: unknown }).path), "a source with a path");
    const wanted = argument(r, "breakpoints", (v): v is { line: number; condition?: string }[] => Array.isArray(v) && v.every((b) => isNumber((b as { line?: unknown }).line)), "a list of {line}");
    return this.breakpoints.set(this.cdp, source.path, wanted);
  }

  private async setExceptionBreakpoints(r: DapRequest): Promise<Body> {
    const filters = argument(r, "filters", (v): v is string[] => Array.isArray(v) && v.every(isString), "a list of filter names");
    const unknown = filters.filter((f) => !EXCEPTION_FILTERS.some((e) => e.filter === f));
    if (unknown.length > 0) throw new DapError(`unknown exception filter(s) ${unknown.join(", ")}; tsloop has ${EXCEPTION_FILTERS.map((e) => e.filter).join(", ")}`);
    this.exceptionMode = filters.includes("all") ? "all" : filters.includes("uncaught") ? "uncaught" : "none";
    await this.connected().post("Debugger.setPauseOnExceptions", { state: this.exceptionMode === "none" ? "none" : "all" });
    return { breakpoints: filters.map(() => ({ verified: true })) };
  }

  private async evaluate(r: DapRequest): Promise<Body> {
    const expression = argument(r, "expression", isString, "a string");
    const frameId = r.arguments?.frameId;
    const hover = r.arguments?.context === "hover";
    const value = this.paused
      ? await this.paused.evaluate(expression, isNumber(frameId) ? frameId : undefined, hover)
      : checked(await this.connected().post("Runtime.evaluate", { expression, throwOnSideEffect: hover, generatePreview: true }));
    const shown = this.table().variable(expression, value);
    return { result: shown.value, variablesReference: shown.variablesReference };
  }

  /** The notebook's top-level names (the kernel keeps them as globals), paused or not. */
  private async inspectVariables(): Promise<unknown[]> {
    const global = checked(await this.connected().post("Runtime.evaluate", { expression: "globalThis" }));
    if (!global.objectId) return [];
    const table = this.table();
    return table.expand(table.add([global.objectId], this.declared));
  }

  private connected(): Cdp {
    if (!this.cdp) throw new DapError("the debugger is not attached (send attach first)");
    return this.cdp;
  }

  private table(): VariableTable {
    if (!this.variables) throw new DapError("the debugger is not attached (send attach first)");
    return this.variables;
  }

  private stopped(): PausedState {
    if (!this.paused) throw new DapError("the main thread is not paused");
    return this.paused;
  }
}

