// The contract between the cell compiler (runs in the language worker) and the runtime (main thread).
// Pure data: a compiled cell is a script the runtime evaluates with node:vm, and the cell's plan.
import type { CellPlan } from "./plan.js";

/** A diagnostic against the cell's own TypeScript source; line and column are 1-based, column in UTF-16 units. */
export interface CellDiagnostic {
  line: number;
  column: number;
  /** length of the span the caret should underline (at least 1) */
  length: number;
  message: string;
  /** TypeScript's diagnostic code (e.g. 2322), 0 when not from TypeScript */
  code: number;
  category: "error" | "warning";
  /** set by tsloop's own checks (a forgotten await), so that the timeline can count the warning */
  rule?: "floating-promise";
}

/**
 * A compiled cell: a JavaScript *script* (not a module) and the cell's plan. Evaluating `js` yields a Promise that
 * resolves to `{ value }` when `plan.hasResult` is true (the value of the cell's last expression) and to
 * `undefined` otherwise. Top-level declarations become assignments to globals named in `plan.declared`, which the
 * runtime creates before running; if the cell fails it rolls back those not yet marked by `__tsloop.defined(…)`,
 * emitted after each top-level declaration. The script uses only the `__tsloop` global described in
 * `src/runtime/cell-globals.ts` (loop guards and imports).
 */
export interface CompiledCell {
  js: string;
  /** Source map v3 (JSON text) from `js` back to the cell's TypeScript source. */
  sourceMap: string;
  /** What every thread needs to know about the cell, read from the same parse (directives, names, result). */
  plan: CellPlan;
}

export type CompileResult = { ok: true; cell: CompiledCell } | { ok: false; diagnostics: CellDiagnostic[] };
