// Source maps of the compiled cells, so that stack frames point at cell lines and columns of the
// TypeScript source, and of the local TypeScript modules cells import (compiled by the kernel's require hook), so
// that their frames point at the module's TypeScript lines. Uses Node's built-in `module.SourceMap`. Keeps the most
// recent cells only.
import { SourceMap } from "node:module";

export interface CellSource {
  executionCount: number;
  lines: string[];
  map: SourceMap;
  /** the script's last line, `})();`: the call of the kernel's async wrapper around the cell */
  wrapperCallLine: number;
}

export interface MappedPosition {
  cell: CellSource;
  line: number; // 1-based
  column: number; // 1-based
}

const KEEP = 500;

/** The inline source map a compiler appended to its output. */
const INLINE_MAP = /\n\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/;

export class SourceMapRegistry {
  private readonly cells = new Map<string, CellSource>();
  private readonly modules = new Map<string, SourceMap>();

  register(fileName: string, executionCount: number, source: string, sourceMap: string, js: string): void {
    const payload = JSON.parse(sourceMap) as ConstructorParameters<typeof SourceMap>[0];
    const wrapperCallLine = js.trimEnd().split("\n").length;
    this.cells.set(fileName, { executionCount, lines: source.split(/\r?\n/), map: new SourceMap(payload), wrapperCallLine });
    if (this.cells.size > KEEP) {
      const oldest = this.cells.keys().next().value;
      if (oldest !== undefined) this.cells.delete(oldest);
    }
  }

  /** A local module as compiled (`js` ends with its inline source map; without one, its frames stay as they are). */
  registerModule(fileName: string, js: string): void {
    const encoded = INLINE_MAP.exec(js)?.[1];
    if (encoded === undefined) {
      this.modules.delete(fileName);
      return;
    }
    const payload = JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as ConstructorParameters<typeof SourceMap>[0];
    this.modules.set(fileName, new SourceMap(payload));
  }

  /** Maps a 1-based line/column of a compiled local module to its TypeScript source (1-based). */
  mapModule(fileName: string, line: number, column: number): { line: number; column: number } | undefined {
    const entry = this.modules.get(fileName)?.findEntry(line - 1, column - 1) as Partial<{ originalLine: number; originalColumn: number }> | undefined;
    if (entry?.originalLine === undefined || entry.originalColumn === undefined) return undefined;
    return { line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  }

  isCell(fileName: string): boolean {
    return this.cells.has(fileName);
  }

  /** Whether a 1-based generated line of a cell script is the call of the async wrapper (not the user's code). */
  isWrapperCall(fileName: string, line: number): boolean {
    return this.cells.get(fileName)?.wrapperCallLine === line;
  }

  /** Maps a 1-based generated line/column of a cell script to the TypeScript source. */
  map(fileName: string, line: number, column: number): MappedPosition | undefined {
    const cell = this.cells.get(fileName);
    if (!cell) return undefined;
    const entry = cell.map.findEntry(line - 1, column - 1) as Partial<{ originalLine: number; originalColumn: number }>;
    if (entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
    return { cell, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  }
}
