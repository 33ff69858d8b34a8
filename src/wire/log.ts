// The kernel log: lines on stderr (which Jupyter servers capture), never on iopub.
// Level from --log-level or TSLOOP_LOG: error, warn, info, debug. Written with fs.writeSync on fd 2 so that it
// works the same from worker threads, never goes through a patched process.stderr, and survives an exit.
// stderr is often a pipe that Node has made non-blocking: a full pipe makes writeSync throw EAGAIN, so a line
// is retried until the reader catches up (bounded, so a reader that stopped never stalls the kernel), and lines
// that could not be written are counted and reported once stderr drains.
import { writeSync } from "node:fs";
import { inspect } from "node:util";
import { isMainThread, threadId } from "node:worker_threads";
export type LogLevel = "error" | "warn" | "info" | "debug";
const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

let threshold: LogLevel = parseLevel(process.env.TSLOOP_LOG) ?? "warn";

export function parseLevel(value: string | undefined): LogLevel | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  return v in ORDER ? (v as LogLevel) : undefined;
}

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

/** The name a process's main thread logs under ("main" in the kernel process; "lang" in the language process). */
let mainName = "main";
export function setLogProcessName(name: string): void {
  mainName = name;
}

export function getLogLevel(): LogLevel {
  return threshold;
}

/** How long one line may wait for a full stderr pipe to drain before it is dropped (and counted). */
const MAX_WAIT_MS = 1_000;
/** made on first use: a start-up snapshot is built without SharedArrayBuffer (src/host/language-snapshot-entry.ts) */
let pause: Int32Array | undefined;
let dropped = 0;
/** A line was given up on: until a write succeeds, lines are tried once instead of waited for. */
let stuck = false;
/** A line was cut off part-way: the next one starts on a fresh line. */
let midLine = false;

function write(level: LogLevel, args: unknown[]): void {
  if (ORDER[level] > ORDER[threshold]) return;
  const text = args.map(format).join(" ");
  const thread = isMainThread ? mainName : `t${threadId}`;
  const stamp = `[tsloop ${new Date().toISOString()} ${level.toUpperCase()} ${thread}]`;
  const note = dropped > 0 ? `${stamp} ${dropped} earlier log line(s) were dropped: stderr was not being read\n` : "";
  const lines = `${midLine ? "\n" : ""}${note}${stamp} ${text}\n`;
  if (writeAll(lines)) {
    if (note) dropped = 0;
  } else {
    dropped++;
  }
}

/** Writes all of `text` to fd 2, waiting out EAGAIN; false when stderr stayed full or is closed. */
function writeAll(text: string): boolean {
  let rest = Buffer.from(text, "utf8");
  const deadline = stuck ? 0 : Date.now() + MAX_WAIT_MS;
  while (rest.length > 0) {
    try {
      const n = writeSync(2, rest);
      rest = rest.subarray(n);
      midLine = rest.length > 0;
      stuck = false;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "EAGAIN" || Date.now() >= deadline) {
        // EPIPE or EBADF: stderr closed, nowhere left to report to; EAGAIN past the deadline: the reader stopped.
        stuck = code === "EAGAIN";
        return false;
      }
      Atomics.wait((pause ??= new Int32Array(new SharedArrayBuffer(4))), 0, 0, 1);
    }
  }
  return true;
}

/** A log argument as text; never throws (circular objects, BigInts, throwing getters). */
function format(a: unknown): string {
  if (typeof a === "string") return a;
  try {
    if (a instanceof Error) return a.stack ?? a.message;
    return inspect(a, { depth: 4, breakLength: Infinity });
  } catch {
    return Object.prototype.toString.call(a);
  }
}

export const log = {
  error: (...args: unknown[]) => write("error", args),
  warn: (...args: unknown[]) => write("warn", args),
  info: (...args: unknown[]) => write("info", args),
  debug: (...args: unknown[]) => write("debug", args),
};
