// Breakpoints by cell path (the file JupyterLab names by the cell's code hash), in TypeScript lines. Each is set
// in V8 on every compiled script that ran that code (earlier runs keep callbacks alive: a timer started by an
// earlier cell stops too), at the first compiled position of its line through the cell's source map.
import type { Cdp } from "./cdp.js";
import { type CellFiles, type CellScript, generatedFor } from "./cells.js";
import type { DapBreakpoint } from "./dap.js";

export interface WantedBreakpoint {
  line: number;
  condition?: string;
}

export class Breakpoints {
  private readonly wanted = new Map<string, WantedBreakpoint[]>();
  /** V8 breakpoint ids per path, removed when the path's breakpoints are replaced. */
  private readonly v8Ids = new Map<string, string[]>();

  constructor(private readonly files: CellFiles) {}

  /** setBreakpoints: replaces the path's breakpoints; answers the TS line each landed on. */
  async set(cdp: Cdp | undefined, path: string, wanted: WantedBreakpoint[]): Promise<DapBreakpoint[]> {
    if (cdp) for (const id of this.v8Ids.get(path) ?? []) await cdp.post("Debugger.removeBreakpoint", { breakpointId: id });
    this.v8Ids.delete(path);
    if (wanted.length === 0) this.wanted.delete(path);
    else this.wanted.set(path, wanted.map((b) => ({ line: b.line, ...(b.condition ? { condition: b.condition } : {}) })));
    const scripts = this.files.byPath(path);
    if (cdp) for (const script of scripts) await this.applyTo(cdp, script);
    const latest = scripts.at(-1);
    return wanted.map((b) => {
      const landed = latest ? generatedFor(latest.map, b.line) : undefined;
      if (latest && !landed) return { verified: false, line: b.line, source: { path }, message: "no code on or after this line" };
      return { verified: true, line: landed?.line ?? b.line, source: { path } };
    });
  }

  /** Sets the path's breakpoints in one compiled script. */
  async applyTo(cdp: Cdp, script: CellScript): Promise<void> {
    const ids = this.v8Ids.get(script.path) ?? [];
    for (const bp of this.wanted.get(script.path) ?? []) {
      const landed = generatedFor(script.map, bp.line);
      if (!landed) continue;
      const { breakpointId } = await cdp.post<{ breakpointId: string }>("Debugger.setBreakpointByUrl", {
        url: script.url,
        lineNumber: landed.at.lineNumber,
        columnNumber: landed.at.columnNumber,
        ...(bp.condition ? { condition: bp.condition } : {}),
      });
      ids.push(breakpointId);
    }
    if (ids.length > 0) this.v8Ids.set(script.path, ids);
  }

  /** debugInfo's list: what the frontend restores after a reload. */
  list(): { source: string; breakpoints: { line: number }[] }[] {
    return [...this.wanted].map(([source, bps]) => ({ source, breakpoints: bps.map((b) => ({ line: b.line })) }));
  }

  clear(): void {
    this.wanted.clear();
    this.v8Ids.clear();
  }
}
