// The contract between the cell compiler (runs in the language worker) and the runtime (main thread).
// Pure data: a compiled cell is a script the runtime evaluates with node:vm.

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
 * A cell compiled to a JavaScript *script* (not a module). Evaluating `js` yields a Promise that resolves to
 * `{ value }` when `hasResult` is true (the value of the cell's last expression) and to `undefined` otherwise.
 * Top-level declarations become assignments to globals named in `declared`, which the runtime creates before
 * running; if the cell fails it rolls back those not yet marked by `__tsloop.defined(…)`, emitted after each
 * top-level declaration. The script uses only the `__tsloop` global described in
 * `src/runtime/cell-globals.ts` (loop guards and imports).
 */
export interface CompiledCell {
  js: string;
  /** Source map v3 (JSON text) from `js` back to the cell's TypeScript source. */
  sourceMap: string;
  /** Every top-level value name the cell declares (const/let/var/function/class/enum/namespace/import bindings). */
  declared: string[];
  /** True when the last top-level statement is an expression statement without a trailing semicolon. */
  hasResult: boolean;
  /** When the result expression is a call, the name it calls (`display(x)` → "display", `w.on(…)` → "on"; "" for
   *  other callees): the runtime does not echo values the cell API returns only for chaining. */
  resultCallee?: string;
}

export type CompileResult = { ok: true; cell: CompiledCell } | { ok: false; diagnostics: CellDiagnostic[] };
