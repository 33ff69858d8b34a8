// Turning a thrown value into Jupyter's {ename, evalue, traceback}: frames of cell scripts are mapped to
// "Cell In[N], line L" of the TypeScript source with a code frame, the kernel's own frames are removed. The same
// frame filter rewrites stacks inside a cell's value (an Error, a rejected Promise) and in what console.* prints.
import { inspect } from "node:util";
import { dirname } from "node:path";
import { coloured } from "../protocol/ansi.js";
import type { ErrorContent } from "../protocol/messages.js";
import type { MappedPosition, SourceMapRegistry } from "./source-maps.js";

/** The directory of the kernel's compiled sources: frames from there are the kernel's, not the user's. */
const KERNEL_DIR = dirname(__dirname);

/** `at f (file:1:2)`, `at file:1:2`, `at async f (file:1:2)`, `at async file:1:2` */
const FRAME = /^\s*at (?:async )?(?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

/** Kernel plumbing that shows in stacks of cell code: running the script, the cell's async context. */
const PLUMBING = /^\s*at (?:sigintHandlersWrap|Script\.runInThisContext|AsyncLocalStorage\.run) \(node:/;

type Frame = { kind: "cell"; text: string; mapped: MappedPosition } | { kind: "other"; text: string };

/** One stack line as the user sees it: a cell frame mapped to `Cell In[n], line L:C`, a frame of the kernel, of
 *  Node's internals or of the kernel's wrapper around the cell dropped (undefined), a frame of a local TypeScript
 *  module mapped to its TypeScript line and column, anything else as it is. */
function viewFrame(line: string, maps: SourceMapRegistry): Frame | undefined {
  const m = FRAME.exec(line);
  if (!m || PLUMBING.test(line)) return undefined;
  const [, fn, file = "", lineText = "0", colText = "0"] = m;
  if (file.startsWith("node:internal") || file.startsWith(KERNEL_DIR) || file === "node:vm" || file.startsWith("evalmachine")) return undefined;
  if (maps.isWrapperCall(file, Number(lineText))) return undefined;
  const mapped = maps.map(file, Number(lineText), Number(colText));
  if (mapped) {
    const where = `Cell In[${mapped.cell.executionCount}], line ${mapped.line}:${mapped.column}`;
    return { kind: "cell", text: `    at ${fn && !fn.startsWith("__tsloop") ? `${fn} (${where})` : where}`, mapped };
  }
  if (maps.isCell(file)) return { kind: "other", text: `    at ${fn ? `${fn} ` : ""}(Cell)` };
  const inModule = maps.mapModule(file, Number(lineText), Number(colText));
  const text = inModule ? line.replace(`${file}:${lineText}:${colText}`, `${file}:${inModule.line}:${inModule.column}`) : line;
  return { kind: "other", text: text.replace(/^\s*/, "    ") };
}

/** Stack traces inside a value's text (an Error or a rejected Promise as a cell's value): the same mapping and
 *  filter as tracebacks, each frame keeping its indentation. */
export function mapStacksInText(text: string, maps: SourceMapRegistry): string {
  if (!text.includes("    at ")) return text;
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (!FRAME.test(line)) {
      out.push(line);
      continue;
    }
    const frame = viewFrame(line, maps);
    if (frame) out.push(`${/^\s*/.exec(line)?.[0] ?? ""}${frame.text.trimStart()}`);
  }
  return out.join("\n");
}

export function errorName(value: unknown): string {
  if (isErrorLike(value)) return value.name || "Error";
  return "Error";
}

/** Never throws: a thrown value's getters may (a hostile Proxy). */
export function isErrorLike(value: unknown): value is Error {
  try {
    return typeof value === "object" && value !== null && typeof (value as Error).message === "string" && typeof (value as Error).name === "string";
  } catch {
    return false;
  }
}

/** Never throws, whatever was thrown (a Proxy whose every trap throws, a getter that throws…). */
export function formatError(value: unknown, maps: SourceMapRegistry): ErrorContent {
  try {
    return formatErrorUnsafe(value, maps);
  } catch {
    const evalue = "a thrown value that could not be read (its properties throw)";
    return { ename: "Error", evalue, traceback: [`${coloured("red", "Error")}: ${evalue}`] };
  }
}

function formatErrorUnsafe(value: unknown, maps: SourceMapRegistry): ErrorContent {
  if (!isErrorLike(value)) {
    const evalue = safeInspect(value);
    return { ename: "Error", evalue: `Uncaught ${evalue}`, traceback: [`${coloured("red", "Uncaught")} ${evalue}`] };
  }
  const ename = safeString(() => value.name) || "Error";
  const evalue = safeString(() => value.message);
  const stack = safeString(() => value.stack ?? "");
  const frames: string[] = [];
  let codeFrame: string[] | undefined;
  for (const line of stack.split("\n")) {
    const frame = viewFrame(line, maps);
    if (!frame) continue;
    frames.push(frame.text);
    if (frame.kind === "cell" && !codeFrame) {
      const { mapped } = frame;
      codeFrame = renderCodeFrame(mapped.cell.executionCount, mapped.cell.lines, mapped.line, mapped.column);
    }
  }
  // Below the user's last cell frame only the kernel's plumbing remains (AsyncLocalStorage.run, events): drop
  // Node's internal frames there; frames above it (a node:fs call that threw, say) stay.
  const lastCell = frames.findLastIndex((f) => f.includes("Cell In["));
  const shown = lastCell >= 0 ? [...frames.slice(0, lastCell + 1), ...frames.slice(lastCell + 1).filter((f) => !/\(node:|at node:/.test(f))] : frames;
  const header = `${coloured("red", ename)}: ${evalue}`;
  return { ename, evalue, traceback: [header, ...shown, ...(codeFrame ? ["", ...codeFrame] : [])] };
}

/** The first frame of a stack that lies in a cell, mapped to the cell's TypeScript line. */
export function firstCellFrame(stack: string, maps: SourceMapRegistry): { executionCount: number; line: number } | undefined {
  for (const text of stack.split("\n")) {
    const m = FRAME.exec(text);
    if (!m) continue;
    const mapped = maps.map(m[2] ?? "", Number(m[3]), Number(m[4]));
    if (mapped) return { executionCount: mapped.cell.executionCount, line: mapped.line };
  }
  return undefined;
}

/** `Cell In[3], line 5` followed by the line with a caret under the column, as tsc and IPython show it. */
export function renderCodeFrame(executionCount: number | string, lines: string[], line: number, column: number, length = 1): string[] {
  const out = [coloured("cyan", `Cell In[${executionCount}], line ${line}`)];
  const from = Math.max(1, line - 2);
  const width = String(line + 1).length;
  for (let n = from; n <= Math.min(lines.length, line + 1); n++) {
    const marker = n === line ? "-->" : "   ";
    out.push(`${marker} ${String(n).padStart(width)} ${lines[n - 1] ?? ""}`);
    if (n === line) out.push(`    ${" ".repeat(width)} ${" ".repeat(Math.max(0, column - 1))}${coloured("red", "^".repeat(Math.max(1, length)))}`);
  }
  return out;
}

function safeInspect(value: unknown): string {
  try {
    return inspect(value, { depth: 2 });
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function safeString(read: () => unknown): string {
  try {
    const v = read();
    return typeof v === "string" ? v : String(v);
  } catch {
    return "<unreadable>";
  }
}
