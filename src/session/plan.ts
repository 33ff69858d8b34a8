// The plan of a cell: everything the kernel decides about a cell from its text, derived once by the cell compiler
// (./cell-plan.ts, from its one parse) and carried with the cell to every thread that needs it — the language
// side (whether to type-check), the interpreter (whether to commit its types), the runtime and its tracer
// (timeline, warnings). Pure data and pure rules: no thread reads a cell's comments or code again.
// And the cell's identity: one number per cell run that names its script, its declaration file and its types.

/**
 * Per-cell directives: `//` comments among the cell's leading comments (TypeScript's leading comment ranges:
 * after a `#!` line, blank lines and block comments alike; the first code ends them). A later one wins.
 *   // @ts-nocheck      do not type-check this cell            // @ts-check       type-check it (JavaScript cells)
 *   // @timeline        always show the timeline               // @timeline off   never show it
 *   // @warnings off    no runtime or static warnings for this cell
 */
export interface CellDirectives {
  /** `// @ts-nocheck`: the cell runs without the type checker (it wins over `// @ts-check`) */
  noCheck: boolean;
  /** `// @ts-check`: a JavaScript cell asks to be type-checked, as a `.js` file does in an editor */
  check: boolean;
  /** "on": always show; "off": never; undefined: when the cell had async activity */
  timeline: "on" | "off" | undefined;
  warnings: boolean;
}

export interface CellPlan {
  directives: CellDirectives;
  /** Every top-level value name the cell declares (const/let/var/function/class/enum/namespace/import bindings):
   *  the runtime creates them as globals before the cell runs. */
  declared: string[];
  /** A top-level statement adds only types to the session: an interface, a type alias, a `declare`d name, a
   *  module or global augmentation, an import (type-only ones included), an enum or namespace. */
  declaresTypes: boolean;
  /** The last top-level statement is an expression statement without a trailing semicolon: its value is shown. */
  hasResult: boolean;
  /** When the result expression is a call, the name it calls (`display(x)` → "display", `w.on(…)` → "on"; "" for
   *  other callees): the runtime does not echo values the cell API returns only for chaining. */
  resultCallee?: string;
}

/** Whether the language side type-checks the cell: the session's setting (TSLOOP_TYPECHECK) and the cell's
 *  directives; a JavaScript cell only when it asks with `// @ts-check`. */
export function checksTypes(directives: CellDirectives, session: { typecheck: boolean; javascript: boolean }): boolean {
  if (!session.typecheck || directives.noCheck) return false;
  return !session.javascript || directives.check;
}

/** Whether a cell that ran can add anything to the session's types (else the language service's commit, ~30 ms
 *  and memory, is skipped). */
export function addsToSessionTypes(plan: CellPlan): boolean {
  return plan.declared.length > 0 || plan.declaresTypes;
}

/**
 * A cell run's identity: 1, 2, 3… in the order the session interpreter takes non-empty cells. Jupyter's execution
 * count is a label, not an identity (a `store_history: false` run reuses it), and the frontend's `cellId` names a
 * notebook cell across its re-runs; so everything that must tell runs apart is named by this number: the script
 * the runtime runs (`cellScriptName`; the runtime's source maps map it to `Cell In[<execution count>]` in
 * tracebacks), the cell's declaration file in the language service, and the name its types go by once a later
 * cell re-declares them (`cellTypeScope`: `cell_3.Point`).
 */
export type CellRunId = number;

export function cellScriptName(id: CellRunId, language: "typescript" | "javascript"): string {
  return `tsloop-cell-${id}.${language === "javascript" ? "js" : "ts"}`;
}

/** Whether a file name (a stack frame's) is a cell's script. */
export function isCellScript(fileName: string): boolean {
  return CELL_SCRIPT.test(fileName);
}
const CELL_SCRIPT = /(^|[\\/])tsloop-cell-\d+\.(ts|js)$/;

/** How types of cell `id` are shown once a later cell re-declared their names: `cell_3.Point`. */
export function cellTypeScope(id: CellRunId): string {
  return `cell_${id}`;
}
