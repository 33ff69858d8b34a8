// Compile-time problems (syntax and type errors) as a Jupyter error that reads like tsc's output, with the
// cell's line and a caret under the column.
import type { CellDiagnostic } from "../compiler/types.js";
import { coloured } from "../protocol/ansi.js";
import type { ErrorContent } from "../protocol/messages.js";
import { renderCodeFrame } from "../runtime/errors.js";

export function diagnosticsError(kind: "syntax" | "type", diagnostics: CellDiagnostic[], source: string, executionCount: number | string): ErrorContent {
  const lines = source.split(/\r?\n/);
  const errors = diagnostics.filter((d) => d.category === "error");
  const shown = errors.length > 0 ? errors : diagnostics;
  const first = shown[0];
  const code = (d: CellDiagnostic) => (d.code ? `TS${d.code}` : kind === "syntax" ? "SyntaxError" : "error");
  const traceback: string[] = [];
  for (const d of shown) {
    traceback.push(`${coloured("red", "error")} ${code(d)}: ${d.message}`);
    traceback.push(...renderCodeFrame(executionCount, lines, d.line, d.column, d.length), "");
  }
  const count = shown.length;
  traceback.push(
    kind === "type"
      ? `Found ${count} type error${count === 1 ? "" : "s"}; the cell did not run. Add \`// @ts-nocheck\` as the cell's first line to run it anyway.`
      : `The cell did not run.`,
  );
  return {
    ename: kind === "syntax" ? "SyntaxError" : "TSError",
    evalue: first ? `${code(first)}: ${first.message} (line ${first.line}, column ${first.column})` : "compilation failed",
    traceback,
  };
}
