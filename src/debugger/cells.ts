// Cells as the debugger sees them. JupyterLab names a cell by a hash of its code (debugInfo's hashMethod,
// hashSeed, tmpFilePrefix, tmpFileSuffix: `${prefix}${murmur2(code, seed)}${suffix}`); V8 names the compiled
// script by the file name the kernel gave it (one per execution). This maps between the two, and between
// TypeScript lines and the compiled script's positions through the cell's source map.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { TraceMap, decodedMappings, originalPositionFor } from "@jridgewell/trace-mapping";
import { murmur2 } from "./hash.js";
import type { tryBlocks } from "./catches.js";

/** ipykernel's seed; any fixed 32-bit value works as long as debugInfo announces it. */
export const HASH_SEED = 0xc70f6907;
const KEEP = 500;

/** What the kernel tells the debugger about a cell it is about to run. */
export interface CellRun {
  /** the cell's TypeScript (or JavaScript) source, exactly as the frontend sent it */
  source: string;
  /** the file name the compiled script runs under */
  fileName: string;
  /** source map (v3 JSON) from the compiled script to `source` */
  sourceMap: string;
  /** the compiled script */
  js: string;
  /** the cell's top-level names (kept as globals by the kernel) */
  declared: string[];
  executionCount: number;
}

export interface CellScript {
  url: string;
  path: string;
  executionCount: number;
  map: TraceMap;
  js: string;
  /** its try/catch blocks, parsed when an exception first asks (catches.ts) */
  tries?: ReturnType<typeof tryBlocks>;
}

/** A position in a compiled script, 0-based as CDP counts. */
export interface ScriptPosition {
  lineNumber: number;
  columnNumber: number;
}

export class CellFiles {
  readonly prefix: string;
  private readonly scripts = new Map<string, CellScript>();
  private readonly sources = new Map<string, string>();
  /** cells that ran before a debugger attached: dumped on attach */
  private readonly pending = new Map<string, string>();

  constructor(readonly suffix: string, dir = join(tmpdir(), `tsloop_${process.pid}`)) {
    this.prefix = dir + sep;
  }

  pathFor(code: string): string {
    return `${this.prefix}${murmur2(code, HASH_SEED)}${this.suffix}`;
  }

  /** dumpCell: writes the code where JupyterLab expects it and returns that path. */
  dump(code: string): string {
    const path = this.pathFor(code);
    if (this.sources.get(path) === code) return path;
    mkdirSync(this.prefix, { recursive: true });
    writeFileSync(path, code);
    this.sources.set(path, code);
    return path;
  }

  dumpAll(): void {
    for (const code of this.pending.values()) this.dump(code);
    this.pending.clear();
  }

  sourceOf(path: string): string | undefined {
    return this.sources.get(path) ?? this.pending.get(path);
  }

  /** Records a cell about to run; while a debugger is attached its code is dumped too (frames point at it). */
  add(run: CellRun, dump: boolean): CellScript {
    const path = this.pathFor(run.source);
    if (dump) this.dump(run.source);
    else this.pending.set(path, run.source);
    if (this.pending.size > KEEP) this.pending.delete(this.pending.keys().next().value as string);
    const script: CellScript = { url: pathToFileURL(run.fileName).href, path, executionCount: run.executionCount, map: new TraceMap(run.sourceMap), js: run.js };
    this.scripts.set(script.url, script);
    if (this.scripts.size > KEEP) this.scripts.delete(this.scripts.keys().next().value as string);
    return script;
  }

  byUrl(url: string): CellScript | undefined {
    return this.scripts.get(url);
  }

  /** Every script that ran the code saved at `path` (a cell run twice has two). */
  byPath(path: string): CellScript[] {
    return [...this.scripts.values()].filter((s) => s.path === path);
  }

  removeAll(): void {
    rmSync(this.prefix, { recursive: true, force: true });
    this.sources.clear();
  }
}

/**
 * Where a breakpoint on TypeScript line `line` (1-based) goes in the compiled script: the first generated
 * position of that line, or of the next line that has code (a breakpoint on an interface or a blank line moves
 * down, as in any debugger). Returns the line it landed on too.
 */
export function generatedFor(map: TraceMap, line: number): { at: ScriptPosition; line: number } | undefined {
  let best: { origLine: number; at: ScriptPosition } | undefined;
  decodedMappings(map).forEach((segments, genLine) => {
    for (const seg of segments) {
      const origLine = seg[2];
      if (origLine === undefined || origLine < line - 1) continue;
      if (best === undefined || origLine < best.origLine) best = { origLine, at: { lineNumber: genLine, columnNumber: seg[0] } };
    }
  });
  return best && { at: best.at, line: best.origLine + 1 };
}

/** The TypeScript line and column (1-based) of a compiled position, when the source map has one. */
export function originalFor(map: TraceMap, pos: ScriptPosition): { line: number; column: number } | undefined {
  const found = originalPositionFor(map, { line: pos.lineNumber + 1, column: pos.columnNumber });
  return found.line === null ? undefined : { line: found.line, column: found.column + 1 };
}
