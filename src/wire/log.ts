// The kernel log: lines on stderr (which Jupyter servers capture), never on iopub.
// Level from --log-level or TSLOOP_LOG: error, warn, info, debug. Written with fs.writeSync on fd 2 so that it
// works the same from worker threads, never goes through a patched process.stderr, and survives an exit.
import { writeSync } from "node:fs";
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

export function getLogLevel(): LogLevel {
  return threshold;
}

function write(level: LogLevel, args: unknown[]): void {
  if (ORDER[level] > ORDER[threshold]) return;
  const text = args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : typeof a === "string" ? a : JSON.stringify(a))).join(" ");
  const thread = isMainThread ? "main" : `t${threadId}`;
  try {
    writeSync(2, `[tsloop ${new Date().toISOString()} ${level.toUpperCase()} ${thread}] ${text}\n`);
  } catch {
    // stderr closed: nowhere left to report to
  }
}

export const log = {
  error: (...args: unknown[]) => write("error", args),
  warn: (...args: unknown[]) => write("warn", args),
  info: (...args: unknown[]) => write("info", args),
  debug: (...args: unknown[]) => write("debug", args),
};
