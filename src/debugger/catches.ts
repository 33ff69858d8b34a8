// "Uncaught exceptions" as a notebook user means it: V8 predicts every exception thrown in a cell as caught,
// because the kernel catches whatever a cell throws (to report it). So the debugger pauses on every exception
// and asks this module whether the notebook's own code catches it: whether a shown frame (sync or in the async
// chain) sits inside the `try` block of a try/catch in the compiled cell. A `.catch()` on a promise is not seen.
import { parse } from "acorn";
import { simple } from "acorn-walk";

interface Range {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

/** The `try` blocks (that have a catch clause) of a compiled cell; lines 1-based, columns 0-based (acorn's). */
export function tryBlocks(js: string): Range[] {
  const found: Range[] = [];
  const ast = parse(js, { ecmaVersion: "latest", sourceType: "script", locations: true, allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true });
  simple(ast, {
    TryStatement(node) {
      if (node.handler && node.block.loc) found.push({ start: node.block.loc.start, end: node.block.loc.end });
    },
  });
  return found;
}

/** Whether a 0-based compiled position is inside one of the ranges. */
export function insideTry(ranges: Range[], lineNumber: number, columnNumber: number): boolean {
  const line = lineNumber + 1;
  const after = (p: { line: number; column: number }) => line > p.line || (line === p.line && columnNumber >= p.column);
  const before = (p: { line: number; column: number }) => line < p.line || (line === p.line && columnNumber < p.column);
  return ranges.some((r) => after(r.start) && before(r.end));
}
