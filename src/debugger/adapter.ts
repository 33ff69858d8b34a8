// The debug adapter: answers the Jupyter debug protocol's DAP requests by driving the main thread's V8 over
// CDP, from the I/O worker. Lifecycle (attach/disconnect) and the requests; execution control (pauses, steps,
// `stopped`/`continued` events) is in execution.ts, the paused state (frames, scopes, evaluation) in frames.ts,
// values in variables.ts.
import { log } from "../wire/log.js";
import { Cdp } from "./cdp.js";
import { type CellRun, CellFiles, HASH_SEED } from "./cells.js";
import { type DapBreakpoint, DapError, type DapEvent, type DapRequest, type DapResponse, argument, isNumber, isString } from "./dap.js";
import { ExecutionControl, type Step } from "./execution.js";
import { BLACKBOX_PATTERNS, PausedState, checked } from "./frames.js";
import { Breakpoints } from "./breakpoints.js";
import { VariableTable } from "./variables.js";
import { richInspect } from "./rich.js";
import type { PauseSink } from "./pause-clock.js";

export type { PauseSink } from "./pause-clock.js";
import { EXCEPTION_FILTERS, capabilities, readSource } from "./info.js";

type Body = Record<string, unknown>;

export class DebugAdapter {
  private cdp: Cdp | undefined;
  private readonly files: CellFiles;
  private readonly breakpoints: Breakpoints;
  private readonly declared = new Set<string>();
  private variables: VariableTable | undefined;
  /** pauses, steps and resumes; the shown pause is `execution.paused` */
  private readonly execution: ExecutionControl;
  private skipping = false;
  private readonly scriptUrls = new Map<string, string>();
  private seq = 0;

  constructor(
    language: "typescript" | "javascript",
    private readonly publish: (event: DapEvent) => void,
    pauseSink: PauseSink = () => {},
  ) {
    this.execution = new ExecutionControl({
      emit: (event, body) => this.emit(event, body),
      inspect: (event, cdp) => new PausedState(event, cdp, this.files, this.table(), () => this.declared, this.scriptUrls),
      forgetValues: () => this.variables?.clear(),
      pauseSink,
    });
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
        if (this.execution.withdrawPause()) return { allThreadsContinued: true };
        this.stopped();
        await this.execution.resume(this.connected(), "Debugger.resume");
        return { allThreadsContinued: true };
      case "next":
        return this.step("Debugger.stepOver");
      case "stepIn":
        return this.step("Debugger.stepInto");
      case "stepOut":
        return this.step("Debugger.stepOut");
      case "pause":
        await this.execution.requestPause(this.connected());
        return {};
      case "evaluate":
        return this.evaluate(r);
      case "source":
        return { content: readSource(this.files, r) };
      case "inspectVariables":
        return { variables: await this.inspectVariables() };
      case "richInspectVariables":
        return richInspect(this.connected(), argument(r, "variableName", isString, "a variable name"), this.execution.paused, r.arguments?.frameId);
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
    if (!this.cdp || !this.execution.paused) return;
    this.skipping = true;
    await this.cdp.post("Debugger.setSkipAllPauses", { skip: true });
    await this.execution.resume(this.cdp, "Debugger.resume");
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
    this.execution.attached(cdp);
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
    this.execution.detached();
    this.breakpoints.clear();
    this.scriptUrls.clear();
    try {
      await cdp.post("Debugger.disable");
    } finally {
      cdp.disconnect(); // the last session leaving resumes a paused main thread
    }
  }

  private emit(event: string, body: Body): void {
    this.publish({ type: "event", seq: ++this.seq, event, body });
  }

  private async step(command: Step): Promise<Body> {
    this.stopped();
    await this.execution.step(this.connected(), command);
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
      stoppedThreads: this.execution.paused ? [1] : [],
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
    const mode = filters.includes("all") ? "all" : filters.includes("uncaught") ? "uncaught" : "none";
    this.execution.exceptionMode = mode;
    await this.connected().post("Debugger.setPauseOnExceptions", { state: mode === "none" ? "none" : "all" });
    return { breakpoints: filters.map(() => ({ verified: true })) };
  }

  private async evaluate(r: DapRequest): Promise<Body> {
    const expression = argument(r, "expression", isString, "a string");
    const frameId = r.arguments?.frameId;
    const hover = r.arguments?.context === "hover";
    const paused = this.execution.paused;
    const value = paused
      ? await paused.evaluate(expression, isNumber(frameId) ? frameId : undefined, hover)
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
    const paused = this.execution.paused;
    if (!paused) throw new DapError("the main thread is not paused");
    return paused;
  }
}

