// The one global the compiled cell code refers to: `globalThis.__tsloop`. The cell compiler (src/compiler) emits
// calls to exactly these members; the runtime (src/runtime) installs them; both import this contract.

export interface CellGlobals {
  /** The interrupt line's slots, shared with the I/O thread (src/session/interrupt-line.ts); slot 0 is the flag.
   *  Compiled loop bodies start with `if (__tsloop.flag[0] !== 0) __tsloop.interrupted();` */
  flag: Int32Array;
  /** Called by a loop guard that saw the flag raised: records where the loop is when the flag asks for a
   *  sample (and clears it), otherwise throws the `Interrupted` error inside user code (the kernel clears it). */
  interrupted(): void;
  /** Static imports and `import()` calls: `await __tsloop.import("pkg", (s) => import(s))`. The loader closure is
   *  written inside the cell so that Node resolves bare specifiers from the notebook's directory. Returns the
   *  module namespace object. Local `.ts` modules are loaded through the runtime's TypeScript hook. */
  import(specifier: string, load: (specifier: string) => Promise<unknown>): Promise<Record<string, unknown>>;
  /** `import x from "m"` → `x = __tsloop.default(ns)` */
  default(ns: Record<string, unknown>): unknown;
  /** `import { a } from "m"` → `a = __tsloop.named(ns, "a")` (falls back to the CommonJS default export's member) */
  named(ns: Record<string, unknown>, name: string): unknown;
  /** `import x = require("m")` → `x = __tsloop.require("m")` */
  require(specifier: string): unknown;
  /** Timelines (compiled with `trace`): every `await X` at the cell's own scope becomes
   *  `await __tsloop.awaited(X, line, "source text of X")`, inside functions and classes with a fourth argument
   *  `1` (such awaits of unknown promises fold into the enclosing task); returns X itself. */
  awaited<T>(value: T, line: number, label: string, inner?: number): T;
  /** Timelines: an async function declared by the cell, `f = __tsloop.traceAsync(async function f() {…}, line)`,
   *  so that each call shows as a task labelled `f(args)`. Returns a function that behaves like `fn`. */
  traceAsync<F extends (...args: never[]) => unknown>(fn: F, line: number): F;
  /** After each top-level declaration: `__tsloop.defined("a", "b")` — the initialisers of these names completed,
   *  so a cell that fails later keeps them. */
  defined(...names: string[]): void;
}

export const CELL_GLOBAL = "__tsloop";
