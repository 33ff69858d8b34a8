// The kernel log: lines on stderr (which Jupyter servers capture), never on iopub.
// Level from --log-level or TSLOOP_LOG: error, warn, info, debug.
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
  process.stderr.write(`[tsloop ${new Date().toISOString()} ${level.toUpperCase()}] ${text}\n`);
}

export const log = {
  error: (...args: unknown[]) => write("error", args),
  warn: (...args: unknown[]) => write("warn", args),
  info: (...args: unknown[]) => write("info", args),
  debug: (...args: unknown[]) => write("debug", args),
};
