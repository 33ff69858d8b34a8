// The paused main thread as DAP shows it: stack frames mapped to TypeScript cell lines (the kernel's own frames
// and Node's internals hidden, as in tracebacks), the async chain V8 records (`await` frames of the tasks that
// led here), scopes (Locals, Closure, Session) and evaluation in a frame.
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CallFrame, Cdp, EvaluateResult, PausedEvent, RemoteObject, RuntimeCallFrame } from "./cdp.js";
import { type CellFiles, originalFor } from "./cells.js";
import { DapError, type DapScope, type DapStackFrame } from "./dap.js";
import type { VariableTable } from "./variables.js";

const PACKAGE_ROOT = resolve(__dirname, "..", "..");
const HIDDEN = [pathToFileURL(join(PACKAGE_ROOT, "dist")).href + "/", pathToFileURL(join(PACKAGE_ROOT, "node_modules")).href + "/"];

/** Scripts of the kernel and of Node: hidden in stacks and skipped by stepping (V8 blackboxing). */
export const BLACKBOX_PATTERNS = ["^node:", ...HIDDEN.map((h) => "^" + h.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))];

export function isHidden(url: string): boolean {
  return url === "" || url.startsWith("node:") || HIDDEN.some((h) => url.startsWith(h));
}

/** A shown frame: its position in TypeScript terms. */
export interface ShownPosition {
  name: string;
  path: string;
  line: number;
  column: number;
}

/** Where a frame is, in the terms a user reads: a cell's TS line, a file's line; undefined for hidden frames. */
export function position(files: CellFiles, url: string, functionName: string, lineNumber: number, columnNumber: number): ShownPosition | undefined {
  const cell = files.byUrl(url);
  if (cell) {
    const at = originalFor(cell.map, { lineNumber, columnNumber });
    if (!at) return undefined;
    return { name: functionName || `cell [${cell.executionCount}]`, path: cell.path, line: at.line, column: at.column };
  }
  if (isHidden(url) || !url.startsWith("file:")) return undefined;
  return { name: functionName || "(anonymous)", path: fileURLToPath(url), line: lineNumber + 1, column: columnNumber + 1 };
}

export class PausedState {
  private readonly frames = new Map<number, CallFrame | undefined>();
  /** Frame ids are never reused across pauses: JupyterLab keeps its selected frame (and stale variables) when a
   *  new stack has a frame with the same id. */
  private static nextFrame = 1;

  constructor(
    readonly event: PausedEvent,
    private readonly cdp: Cdp,
    private readonly files: CellFiles,
    private readonly variables: VariableTable,
    private readonly sessionNames: () => Set<string>,
    /** script id → url (V8 leaves a paused frame's url empty; scriptParsed names each script) */
    private readonly scriptUrls: ReadonlyMap<string, string>,
  ) {}

  private urlOf(frame: CallFrame): string {
    return frame.url || (this.scriptUrls.get(frame.location.scriptId) ?? "");
  }

  /** The top visible position (undefined when the thread stopped in hidden code). */
  top(): ShownPosition | undefined {
    const f = this.event.callFrames[0];
    return f && position(this.files, this.urlOf(f), f.functionName, f.location.lineNumber, f.location.columnNumber ?? 0);
  }

  /** Whether any frame (sync or async) is the notebook's: an exception with none came from the kernel itself. */
  anyShown(): boolean {
    return this.positions().some((p) => position(this.files, p.url, "", p.lineNumber, p.columnNumber) !== undefined);
  }

  /** Whether the notebook's own code catches the exception being thrown: a cell frame inside a try block. */
  async caughtByNotebook(): Promise<boolean> {
    const { insideTry, tryBlocks } = await import("./catches.js"); // acorn loads only when an exception asks
    return this.positions().some((p) => {
      const cell = this.files.byUrl(p.url);
      if (!cell) return false;
      cell.tries ??= tryBlocks(cell.js);
      return insideTry(cell.tries, p.lineNumber, p.columnNumber);
    });
  }

  private positions(): { url: string; lineNumber: number; columnNumber: number }[] {
    const out = this.event.callFrames.map((f) => ({ url: this.urlOf(f), lineNumber: f.location.lineNumber, columnNumber: f.location.columnNumber ?? 0 }));
    for (let trace = this.event.asyncStackTrace; trace; trace = trace.parent) {
      for (const f of trace.callFrames) out.push({ url: f.url || (this.scriptUrls.get(f.scriptId) ?? ""), lineNumber: f.lineNumber, columnNumber: f.columnNumber });
    }
    return out;
  }

  stackTrace(): DapStackFrame[] {
    const out: DapStackFrame[] = [];
    for (const f of this.event.callFrames) this.push(out, f, this.urlOf(f), f.functionName, f.location.lineNumber, f.location.columnNumber ?? 0);
    for (let trace = this.event.asyncStackTrace; trace; trace = trace.parent) {
      const shown: DapStackFrame[] = [];
      for (const f of trace.callFrames) this.pushAsync(shown, f);
      if (shown.length === 0) continue;
      out.push({ id: PausedState.nextFrame++, name: trace.description || "async", line: 0, column: 0, presentationHint: "label" }, ...shown);
    }
    return out;
  }

  private push(out: DapStackFrame[], frame: CallFrame | undefined, url: string, name: string, line: number, column: number): void {
    const at = position(this.files, url, name, line, column);
    if (!at) return;
    const id = PausedState.nextFrame++;
    this.frames.set(id, frame);
    out.push({ id, name: at.name, source: { name: at.path.split(/[\\/]/).pop() ?? at.path, path: at.path }, line: at.line, column: at.column });
  }

  private pushAsync(out: DapStackFrame[], f: RuntimeCallFrame): void {
    this.push(out, undefined, f.url || (this.scriptUrls.get(f.scriptId) ?? ""), f.functionName, f.lineNumber, f.columnNumber);
  }

  scopes(frameId: number): DapScope[] {
    const frame = this.frame(frameId);
    if (!frame) return [];
    const ids = (types: string[]) => frame.scopeChain.filter((s) => types.includes(s.type) && s.object.objectId).map((s) => s.object.objectId as string);
    const scopes: DapScope[] = [
      { name: "Locals", variablesReference: this.variables.add(ids(["local", "block", "catch", "with"])), expensive: false, presentationHint: "locals" },
      { name: "Closure", variablesReference: this.variables.add(ids(["closure"])), expensive: false },
      { name: "Session", variablesReference: this.variables.add(ids(["global"]), this.sessionNames()), expensive: false },
    ];
    return scopes.filter((s) => s.variablesReference !== 0);
  }

  /** Evaluates in a frame (or globally for async frames, which V8 cannot evaluate in). */
  async evaluate(expression: string, frameId: number | undefined, hover: boolean): Promise<RemoteObject> {
    const frame = frameId === undefined ? this.event.callFrames[0] : this.frame(frameId);
    const result = frame
      ? await this.cdp.post<EvaluateResult>("Debugger.evaluateOnCallFrame", { callFrameId: frame.callFrameId, expression, throwOnSideEffect: hover, generatePreview: true })
      : await this.cdp.post<EvaluateResult>("Runtime.evaluate", { expression, throwOnSideEffect: hover, generatePreview: true });
    return checked(result);
  }

  private frame(frameId: number): CallFrame | undefined {
    if (!this.frames.has(frameId)) throw new DapError(`no frame ${frameId} (the thread resumed since the stack trace was read?)`);
    return this.frames.get(frameId);
  }
}

export function checked(result: EvaluateResult): RemoteObject {
  if (result.exceptionDetails) {
    const shown = result.exceptionDetails.exception?.description ?? result.exceptionDetails.text;
    throw new DapError(shown.split("\n")[0] ?? shown);
  }
  return result.result;
}
