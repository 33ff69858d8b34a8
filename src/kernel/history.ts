// The session's input history, kept across restarts in a JSON-lines file under the Jupyter data dir.
// Each kernel start is a new session number; lines are numbered by execution count.
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { log } from "../wire/log.js";
import type { HistoryRequest } from "../protocol/messages.js";

export interface HistoryEntry {
  session: number;
  line: number;
  source: string;
}

/** `[session, line, input]`, or `[session, line, [input, output]]` when the request asked for output (tsloop keeps
 *  no outputs, so output is null, as IPython sends when it has none). */
export type HistoryTuple = [number, number, string] | [number, number, [string, null]];

const MAX_KEPT = 10_000;

export class History {
  readonly session: number;
  private readonly entries: HistoryEntry[];

  constructor(private readonly file: string | null) {
    this.entries = file ? load(file) : [];
    this.session = this.entries.reduce((max, e) => Math.max(max, e.session), 0) + 1;
  }

  append(line: number, source: string): void {
    const entry = { session: this.session, line, source };
    this.entries.push(entry);
    if (this.entries.length > MAX_KEPT) this.entries.splice(0, this.entries.length - MAX_KEPT);
    if (!this.file) return;
    try {
      // Every cell's source: readable by its owner only (on a shared server, homes are often world-readable).
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      appendFileSync(this.file, JSON.stringify(entry) + "\n", { mode: 0o600 });
    } catch (err) {
      log.warn(`cannot write history file ${this.file}:`, err);
    }
  }

  query(request: HistoryRequest): HistoryTuple[] {
    const tuple = (e: HistoryEntry): HistoryTuple => (request.output ? [e.session, e.line, [e.source, null]] : [e.session, e.line, e.source]);
    switch (request.hist_access_type) {
      case "tail":
        return request.n > 0 ? this.entries.slice(-request.n).map(tuple) : [];
      case "range": {
        const session = request.session <= 0 ? this.session + request.session : request.session;
        const stop = request.stop ?? Infinity;
        return this.entries
          .filter((e) => e.session === session && e.line >= (request.start ?? 0) && (stop <= 0 ? true : e.line < stop))
          .map(tuple);
      }
      case "search": {
        const pattern = typeof request.pattern === "string" ? request.pattern : "*";
        let found = this.entries.filter((e) => globMatch(pattern, e.source));
        if (request.unique) {
          const seen = new Set<string>();
          found = found.reverse().filter((e) => (seen.has(e.source) ? false : (seen.add(e.source), true))).reverse();
        }
        if (request.n !== undefined && request.n !== null && request.n > 0) found = found.slice(-request.n);
        return found.map(tuple);
      }
      default:
        return [];
    }
  }
}

/**
 * IPython's history search pattern: `*` and `?` as in shell globs, matched against the whole source.
 * Matched by hand in O(pattern × text) rather than as a regular expression: `*a*a*a…*b` compiled to a RegExp
 * backtracks exponentially and would stall the I/O thread (and with it heartbeats) for minutes.
 */
export function globMatch(pattern: string, text: string): boolean {
  const p = [...pattern];
  const t = [...text];
  let pi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === "?" || (p[pi] !== "*" && p[pi] === t[ti]))) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === "*") {
      star = pi++;
      resume = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++resume;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}

function load(file: string): HistoryEntry[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const entries: HistoryEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as HistoryEntry;
      if (typeof e.session === "number" && typeof e.line === "number" && typeof e.source === "string") entries.push(e);
    } catch {
      log.warn(`skipped a corrupt line in history file ${file}`);
    }
  }
  return entries.slice(-MAX_KEPT);
}
