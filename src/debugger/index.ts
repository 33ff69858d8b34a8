// The kernel's debugger, behind one interface: the Jupyter debug protocol (DAP in `debug_request` contents on
// control, `debug_event` on iopub) served from the I/O worker by a V8 inspector session with the main thread.
// The kernel calls `request` for each debug_request, `cellWillRun` before each cell's script runs (breakpoints
// go in first), `interrupted` after an interrupt (a paused thread must resume to see it) and `close` at shutdown.
import type { DebugAdapter, PauseSink } from "./adapter.js";
import type { CellRun } from "./cells.js";
import type { DapEvent, DapRequest } from "./dap.js";

export type { CellRun } from "./cells.js";
export type { PauseSink } from "./adapter.js";

export interface KernelDebugger {
  /** A debug_request's content (a DAP request) → the debug_reply's content (a DAP response). */
  request(content: Record<string, unknown>): Promise<Record<string, unknown>>;
  cellWillRun(run: CellRun): Promise<void>;
  interrupted(): Promise<void>;
  close(): Promise<void>;
}

/** Cells kept for an adapter that loads later (as many as the adapter keeps). */
const KEEP_EARLY = 500;

/**
 * The adapter (and its dependencies) loads on the first debug request, not at kernel start: a kernel nobody debugs
 * pays nothing. Cells that ran before are kept and handed over, so a breakpoint can still stop in their callbacks.
 */
export function createDebugger(
  language: "typescript" | "javascript",
  publish: (event: Record<string, unknown>) => void,
  /** each pause of the main thread, on the shared wall clock, told as the thread resumes (for the timeline) */
  paused: PauseSink = () => {},
): KernelDebugger {
  let adapter: Promise<DebugAdapter> | undefined;
  const early: CellRun[] = [];
  const load = (): Promise<DebugAdapter> =>
    (adapter ??= import("./adapter.js").then(async ({ DebugAdapter }) => {
      const loaded = new DebugAdapter(language, (event: DapEvent) => publish({ ...event }), paused);
      for (const run of early.splice(0)) await loaded.cellWillRun(run);
      return loaded;
    }));
  return {
    request: async (content) => ({ ...(await (await load()).handle(readRequest(content))) }),
    cellWillRun: async (run) => {
      if (adapter) return (await adapter).cellWillRun(run);
      early.push(run);
      if (early.length > KEEP_EARLY) early.shift();
    },
    interrupted: async () => {
      if (adapter) await (await adapter).interrupted();
    },
    close: async () => {
      if (adapter) await (await adapter).close();
    },
  };
}

function readRequest(content: Record<string, unknown>): DapRequest {
  const args = content.arguments;
  return {
    type: "request",
    // DAP sequence numbers are integers; anything else (a fuzzed -0.5, a string) is answered as request 0.
    seq: Number.isSafeInteger(content.seq) ? (content.seq as number) : 0,
    command: typeof content.command === "string" ? content.command : "",
    ...(typeof args === "object" && args !== null && !Array.isArray(args) ? { arguments: args as Record<string, unknown> } : {}),
  };
}
