// Answers that need no V8: the adapter's capabilities and exception filters, and a source's text.
import { readFileSync } from "node:fs";
import type { CellFiles } from "./cells.js";
import { DapError, type DapRequest, argument, isString } from "./dap.js";

export const EXCEPTION_FILTERS = [
  { filter: "all", label: "All exceptions", default: false, description: "Pause on every exception thrown by the notebook's code" },
  { filter: "uncaught", label: "Uncaught exceptions", default: false, description: "Pause on exceptions no code of the notebook catches" },
];

export function capabilities(): Record<string, unknown> {
  return {
    supportsConfigurationDoneRequest: true,
    supportsConditionalBreakpoints: true,
    supportsEvaluateForHovers: true,
    supportsTerminateRequest: false,
    supportsSetVariable: false,
    supportsDelayedStackTraceLoading: false,
    supportsLoadedSourcesRequest: false,
    exceptionBreakpointFilters: EXCEPTION_FILTERS,
  };
}

/** `source`: a cell's code (dumped or run), else the file at the path. */
export function readSource(files: CellFiles, r: DapRequest): string {
  const source = argument(r, "source", (v): v is { path?: unknown } => typeof v === "object" && v !== null, "a source");
  if (!isString(source.path)) throw new DapError("source: only sources with a path are known to tsloop");
  const known = files.sourceOf(source.path);
  if (known !== undefined) return known;
  try {
    return readFileSync(source.path, "utf8");
  } catch (err) {
    throw new DapError(`source: cannot read ${source.path}: ${(err as Error).message}`);
  }
}
