// TypeScript's diagnostics of the virtual input file → the cell's own diagnostics: positions mapped back to
// the user's code, the prelude's diagnostics dropped, and diagnostics that make no sense in a notebook
// filtered out through a table that says why.
import ts from "typescript";
import type { CellDiagnostic } from "../compiler/types.js";
import type { CellView } from "./cell-view.js";
import { cleanText } from "./display.js";
import type { SessionTable } from "./session-table.js";

interface IgnoreRule {
  reason: string;
  /** ignore only when reported at a top-level declaration (elsewhere the diagnostic is real) */
  topLevelOnly?: boolean;
}

/**
 * Diagnostics that make no sense in a notebook. "Cannot redeclare block-scoped variable" (2451) is not here
 * on purpose: each cell is a module, so re-declaring a name of an earlier cell cannot produce it, and
 * within one cell it is a real error (the cell would not run).
 */
export const IGNORED_DIAGNOSTICS: ReadonlyMap<number, IgnoreRule> = new Map<number, IgnoreRule>([
  [6133, { reason: "'x' is declared but never read: later cells use a cell's top-level declarations", topLevelOnly: true }],
  [6196, { reason: "'X' is declared but never used: later cells use a cell's top-level declarations", topLevelOnly: true }],
  [6192, { reason: "all imports unused: later cells use a cell's imports", topLevelOnly: true }],
  [6198, { reason: "all destructured elements unused: later cells use them", topLevelOnly: true }],
  [6199, { reason: "all variables unused: later cells use them", topLevelOnly: true }],
  [1208, { reason: "'cannot be compiled under --isolatedModules' as a global script: every cell is checked as a module" }],
  [1375, { reason: "top-level 'await' needs a module: the runtime wraps each cell in an async function" }],
  [1378, { reason: "top-level 'await' needs module es2022+: the runtime wraps each cell in an async function" }],
  [1431, { reason: "top-level 'for await' needs a module: the runtime wraps each cell in an async function" }],
  [1432, { reason: "top-level 'for await' needs module es2022+: the runtime wraps each cell in an async function" }],
  [1309, { reason: "top-level 'await' in a CommonJS file (a .tsx cell under a CommonJS package.json): the runtime wraps each cell in an async function" }],
  [1479, { reason: "a CommonJS cell importing an ES module: the runtime loads every import with import(), never require()" }],
]);

/** TS2632 "Cannot assign to 'x' because it is an import." — reworded for names of earlier cells. */
const ASSIGN_TO_IMPORT = 2632;
const ASSIGN_MESSAGES: readonly [kind: "function" | "class" | "enum" | "namespace", code: number, what: string][] = [
  ["function", 2630, "a function"],
  ["class", 2629, "a class"],
  ["enum", 2628, "an enum"],
  ["namespace", 2631, "a namespace"],
];

/** TS2834/2835 "Relative import paths need explicit file extensions…": cells resolve `./x` without one (host.ts),
 *  so when this still comes, no file was found: say that, as TS2307 does. */
const NEEDS_EXTENSION: ReadonlySet<number> = new Set([2834, 2835]);
const CANNOT_FIND_MODULE = 2307;

/** Map and filter the input file's diagnostics to diagnostics of the user's cell. */
export function cellDiagnostics(diagnostics: readonly ts.Diagnostic[], view: CellView, table: SessionTable): CellDiagnostic[] {
  const out: CellDiagnostic[] = [];
  const code = view.code;
  const lineStarts = computeLineStarts(code);
  for (const d of diagnostics) {
    const rule = IGNORED_DIAGNOSTICS.get(d.code);
    const fileStart = d.start ?? 0;
    const start = view.fromFile(fileStart);
    if (start === undefined) continue; // about the prelude, which the user never sees
    if (rule !== undefined && (!rule.topLevelOnly || view.shape.topLevelStarts.has(start))) continue;
    const end = view.fromFile(fileStart + (d.length ?? 0)) ?? start;
    let message = cleanText(ts.flattenDiagnosticMessageText(d.messageText, "\n"), table);
    let codeNumber = d.code;
    if (d.code === ASSIGN_TO_IMPORT) {
      const name = code.slice(start, end);
      const owner = table.ownerOf(name);
      const kinds = owner?.names.get(name)?.kinds;
      const reworded = kinds && !view.shape.names.has(name) ? ASSIGN_MESSAGES.find(([k]) => kinds.has(k)) : undefined;
      if (reworded !== undefined) {
        codeNumber = reworded[1];
        message = `Cannot assign to '${name}' because it is ${reworded[2]}.`;
      }
    }
    if (NEEDS_EXTENSION.has(d.code)) {
      codeNumber = CANNOT_FIND_MODULE;
      message = `Cannot find module '${code.slice(start, end).replace(/^["']|["']$/g, "")}': no .ts, .tsx, .d.ts or .js file, and no folder with an index file, of that name.`;
    }
    const { line, column } = lineAndColumn(lineStarts, Math.min(start, code.length));
    out.push({
      line,
      column,
      length: Math.max(1, Math.min(end, code.length) - start),
      message,
      code: codeNumber,
      category: d.category === ts.DiagnosticCategory.Error ? "error" : "warning",
    });
  }
  return out;
}

/** Offsets where lines start, with TypeScript's line breaks (\n, \r\n, \r, U+2028, U+2029). */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|[\n\r\u2028\u2029]/g)) starts.push(m.index + m[0].length);
  return starts;
}

/** 1-based line and UTF-16 column of an offset. */
export function lineAndColumn(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let line = 0;
  while (line + 1 < lineStarts.length && (lineStarts[line + 1] ?? Infinity) <= offset) line++;
  return { line: line + 1, column: offset - (lineStarts[line] ?? 0) + 1 };
}
