// Who asked for a timer or a gather: the cell's own code (or a local module the user wrote), or a library
// (node_modules, Node's internals such as undici's keep-alive timers). Library work is folded into the task
// that caused it and counted, not drawn. One structured stack capture of a few frames (~3 µs).
import { dirname } from "node:path";

/** The kernel's own compiled code (dist/): frames from here are skipped, they are the instrumentation. */
const KERNEL_DIR = dirname(dirname(__dirname));

type CallSite = { getFileName(): string | null | undefined };

/** True when the code that called the instrumented function is a library's or Node's, not the user's. */
export function calledByLibrary(): boolean {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  const holder: { stack?: unknown } = {};
  try {
    Error.stackTraceLimit = 10;
    Error.prepareStackTrace = (_error, frames) => frames;
    Error.captureStackTrace(holder, calledByLibrary);
    const frames = holder.stack as CallSite[] | undefined;
    for (const frame of frames ?? []) {
      const file = frame.getFileName() ?? "";
      if (file.startsWith(KERNEL_DIR) && !file.includes("/node_modules/", KERNEL_DIR.length)) continue;
      return isLibraryFile(file);
    }
    return false;
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
}

export function isLibraryFile(file: string): boolean {
  return file.startsWith("node:") || file.includes("/node_modules/") || file.includes("\\node_modules\\");
}
