// Lost updates across an await — the race condition of every async tutorial. A function reads shared state,
// awaits (other tasks run meanwhile), then writes a value computed from what it read before, overwriting
// whatever the other tasks did:
//
//     const v = counter;   // read
//     await sleep(1);      // await
//     counter = v + 1;     // write from the stale read → warning
//
// The pattern is ESLint's `require-atomic-updates`, made stricter about data flow so that correct code stays
// quiet: the write must be computed from a read made before an await (through locals and expressions), not
// merely follow one. Parsing only, no type checker; fast enough to run on every cell.
//
// Covered:
// - every async function, async arrow and async method of the cell, and the cell's top level (top-level await);
// - shared targets: variables declared outside the function, or declared in it and assigned by a nested
//   function (a timer callback, a task it starts) — so the cell's own top-level variables count as shared only
//   when a function of the cell assigns them; and properties (`obj.total`, `this.count`, `obj["total"]`,
//   `scores[name]`) of objects not made in the function — parameters, `this`, outer variables, locals holding a
//   value from a call or another variable — or reachable from a nested function;
// - the read reaching the write through `const`/`let` locals, destructuring (`const { total } = obj`),
//   binary, unary, template, conditional and logical expressions, array and object literals, calls and their
//   arguments, and `await` itself; reads before an await within one expression (`counter += await f()`,
//   `x = x + (await g())`);
// - awaits: `await`, and each step of `for await` (which awaits before its body);
// - control flow: straight-line code, if/else, switch, try/catch/finally, `&&`/`||`/`??`, `?:`, early
//   `return`/`throw`/`break`/`continue`; a loop body is analysed once (read, await and write in one iteration).
//
// Not covered (no warning):
// - check-then-act races where the written value does not come from the read (`if (balance >= n) { await
//   check(); balance -= n }` re-reads `balance`); lazy initialisation (`cache ??= await load()`);
// - a read in one iteration written in the next (loops are not iterated to a fixed point);
// - aliases (after `const o = obj`, `o.total` and `obj.total` are different keys), nested destructuring
//   patterns, `Map.get`/`set`, array methods; reads inside nested non-async callbacks; flow from an enclosing
//   function's locals (each function is analysed on its own); a destructuring assignment gives every target
//   the whole right side (`[a, b] = [v, 0]` counts `v` for both);
// - `yield` in async generators (only awaits are suspension points); block scopes shadowing a name (a name
//   declared anywhere in the function counts as the function's own).
//
// Locks: the analysis cannot see a lock held across the read and the write (`await mutex.lock(); const v =
// counter; await sleep(1); counter = v + 1; mutex.unlock()` still warns). Put `// tsloop-ignore-race` on the
// line before the write to silence it. An async function passed straight to a call whose callee mentions a
// lock (`lock.runExclusive(async () => …)`, `withLock(…)`, `mutex.acquire(…)`, `navigator.locks.request(…)`)
// is taken to run exclusively and is not analysed.
import ts from "typescript";
import { FunctionFlow, type StaleWrite } from "./flow.js";
import { scanCell } from "./scan.js";

export interface LostUpdateWarning {
  /** The variable or property: `counter`, `obj.total`, `this.balance`. */
  readonly name: string;
  readonly readLine: number;
  readonly awaitLine: number;
  readonly writeLine: number;
  /** Where the written target is, for a caret: 1-based line and UTF-16 column, and its length. */
  readonly line: number;
  readonly column: number;
  readonly length: number;
  readonly message: string;
}

const FILE = "/__tsloop_lost_update.ts";
const IGNORE = "tsloop-ignore-race";

/** Warnings for writes of shared state from values read before an await, in one cell's code (in source order). */
export function findLostUpdates(code: string): LostUpdateWarning[] {
  // No parent pointers: the walks carry what they need, and parsing is most of the cost.
  const file = ts.createSourceFile(FILE, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const { bodies, scopes } = scanCell(file);
  const warnings: LostUpdateWarning[] = [];
  const mayIgnore = code.includes(IGNORE);
  for (const body of bodies) {
    const scope = scopes.get(body);
    if (scope === undefined) continue;
    for (const write of new FunctionFlow(file, body, scope).run().staleWrites) {
      const warning = toWarning(file, write, ts.isSourceFile(body) ? "cell" : "function");
      if (!mayIgnore || !isIgnored(file, warning.writeLine)) warnings.push(warning);
    }
  }
  return warnings.sort((a, b) => a.line - b.line || a.column - b.column);
}

function toWarning(file: ts.SourceFile, write: StaleWrite, who: "cell" | "function"): LostUpdateWarning {
  const start = write.target.getStart(file);
  const at = file.getLineAndCharacterOfPosition(start);
  const name = write.read.key;
  const { readLine, awaitLine } = write.read;
  const writeLine = at.line + 1;
  return {
    name,
    readLine,
    awaitLine,
    writeLine,
    line: writeLine,
    column: at.character + 1,
    length: write.target.getEnd() - start,
    message:
      `possible lost update: \`${name}\` is read on line ${readLine}, the ${who} awaits on line ${awaitLine}, then \`${name}\` is written on line ${writeLine} ` +
      `from the value read before the await — another task may have changed it meanwhile (use a lock, or read after the await)`,
  };
}

/** Whether the line before `line` starts with a `// tsloop-ignore-race` (or `/* … *\/`) comment. */
function isIgnored(file: ts.SourceFile, line: number): boolean {
  const text = file.text;
  if (line < 2) return false;
  const starts = file.getLineStarts();
  const lineStart = starts[line - 2];
  const nextStart = starts[line - 1];
  if (lineStart === undefined || nextStart === undefined) return false;
  // "Trailing" comments from the line's start: the comments before any code on that line, up to its end.
  const comments = ts.getTrailingCommentRanges(text, lineStart) ?? [];
  return comments.some((c) => c.pos < nextStart && text.slice(c.pos, c.end).includes(IGNORE));
}
