// The kernel's debugger, behind one interface: the Jupyter debug protocol (DAP in `debug_request` contents on
// control, `debug_event` on iopub) served from the I/O worker by a V8 inspector session with the main thread.
// The kernel calls `request` for each debug_request, `cellWillRun` before each cell's script runs (breakpoints
// go in first), `interrupted` after an interrupt (a paused thread must resume to see it) and `close` at shutdown.
import { DebugAdapter } from "./adapter.js";
import type { CellRun } from "./cells.js";
import type { DapEvent, DapRequest } from "./dap.js";

export type { CellRun } from "./cells.js";

export interface KernelDebugger {
  /** A debug_request's content (a DAP request) → the debug_reply's content (a DAP response). */
  request(content: Record<string, unknown>): Promise<Record<string, unknown>>;
  cellWillRun(run: CellRun): Promise<void>;
  interrupted(): Promise<void>;
  close(): Promise<void>;
}

export function createDebugger(language: "typescript" | "javascript", publish: (event: Record<string, unknown>) => void): KernelDebugger {
  const adapter = new DebugAdapter(language, (event: DapEvent) => publish({ ...event }));
  return {
    request: async (content) => ({ ...(await adapter.handle(readRequest(content))) }),
    cellWillRun: (run) => adapter.cellWillRun(run),
    interrupted: () => adapter.interrupted(),
    close: () => adapter.close(),
  };
}

function readRequest(content: Record<string, unknown>): DapRequest {
  const args = content.arguments;
  return {
    type: "request",
    seq: typeof content.seq === "number" ? content.seq : 0,
    command: typeof content.command === "string" ? content.command : "",
    ...(typeof args === "object" && args !== null && !Array.isArray(args) ? { arguments: args as Record<string, unknown> } : {}),
  };
}
