// The runtime's patch table: everything the runtime replaces or adds in the process, in the order it is installed.
// Each concern declares its own entries next to its code (timers, gathers, fetch, console, the cell API, Deno); this
// module lists them all, so that one look says what a running kernel has changed in the process.
import type { CellGlobals } from "../../session/cell-globals.js";
import { CELL_GLOBAL } from "../../session/cell-globals.js";
import { type CellApiDeps, cellApiPatches } from "../cell-api.js";
import { denoGlobalPatch } from "../compat/index.js";
import { consolePatches } from "../console.js";
import type { OutputSink } from "../output.js";
import { gatherPatches } from "../tracing/gathers.js";
import { fetchPatches } from "../tracing/io.js";
import { timerPatches } from "../tracing/timers.js";
import type { Tracer } from "../tracing/tracer.js";
import { type Patch, defineValue } from "./table.js";

export interface RuntimePatchDeps {
  tracer: Tracer;
  output: OutputSink;
  /** the `__tsloop` global compiled cells call */
  globals: CellGlobals;
  /** CommonJS `require` for cells, resolving from the notebook's folder (and loading local .ts files) */
  require: (specifier: string) => unknown;
  /** rewrites what console.* formatted (stack traces → cell lines) */
  mapText: (text: string) => string;
  cellApi: CellApiDeps;
  /** an exception no code caught (process `uncaughtException`) */
  uncaught: (error: unknown) => void;
  /** a rejection nobody handled (process `unhandledRejection`) */
  unhandled: (reason: unknown, promise: Promise<unknown>) => void;
}

export function runtimePatchTable(deps: RuntimePatchDeps): Patch[] {
  return [
    ...timerPatches(deps.tracer),
    ...gatherPatches(deps.tracer),
    ...fetchPatches(deps.tracer),
    defineValue(`globalThis.${CELL_GLOBAL}`, globalThis, CELL_GLOBAL, deps.globals, { enumerable: false, writable: false }),
    defineValue("globalThis.require", globalThis, "require", deps.require, { enumerable: false, writable: true }),
    ...consolePatches(deps.output, deps.mapText),
    ...cellApiPatches(deps.cellApi),
    denoGlobalPatch(deps.output),
    {
      // Node warns once per process that the vm import loader is experimental: that is the kernel's business, not
      // the first cell's. Every other warning still reaches the cell whose code caused it.
      name: "process.emitWarning",
      target: process,
      key: "emitWarning",
      replacement: (real) => {
        const emitWarning = (real as (...args: unknown[]) => void).bind(process);
        return (warning: unknown, ...rest: unknown[]) => {
          if (String(warning).includes("USE_MAIN_CONTEXT_DEFAULT_LOADER")) return;
          emitWarning(warning, ...rest);
        };
      },
    },
    { name: "process uncaughtException listener", emitter: process, event: "uncaughtException", listener: deps.uncaught },
    { name: "process unhandledRejection listener", emitter: process, event: "unhandledRejection", listener: deps.unhandled },
  ];
}
