// The language side in the calling thread: the cell compiler plus the session's language service, which
// is created on first use (loading TypeScript's checker takes a few hundred ms; kernel_info must not wait).
import { findLostUpdates } from "../analysis/lost-update.js";
import { compileCell } from "../compiler/cell-compiler.js";
import { cellTypeScope, checksTypes, type CellRunId } from "../session/plan.js";
import { SessionLanguageService, type SessionLanguageServiceOptions } from "../language/session-service.js";
import type { CompleteReplyOk, InspectReplyOk, IsCompleteReply } from "../protocol/messages.js";
import { CELL_API_DTS } from "../runtime/api-types.js";
import { TSLAB_DTS } from "../runtime/compat/types.js";
import type { CellLanguage, CellWarning, LanguageBackend, PrepareOptions, PrepareResult } from "./backends.js";

export class LocalLanguage implements LanguageBackend {
  private service: SessionLanguageService | undefined;

  /** @param cellLanguage the cells' language: the tsloop-js kernel compiles and inspects them as JavaScript */
  constructor(
    private readonly cwd: string,
    readonly cellLanguage: CellLanguage = "typescript",
  ) {}

  private get ls(): SessionLanguageService {
    this.service ??= new SessionLanguageService(this.serviceOptions());
    return this.service;
  }

  private serviceOptions(): SessionLanguageServiceOptions {
    return { cwd: this.cwd, extraGlobals: CELL_API_DTS, fallbackModules: { tslab: TSLAB_DTS }, javascript: this.cellLanguage === "javascript" };
  }

  async prepare(code: string, fileName: string, run: CellRunId, options: PrepareOptions): Promise<PrepareResult> {
    const javascript = this.cellLanguage === "javascript";
    const compiled = compileCell(code, fileName, { trace: true, javascript });
    if (!compiled.ok) return { ok: false, kind: "syntax", diagnostics: compiled.diagnostics };
    const warnings: CellWarning[] = [];
    // `// @ts-nocheck` skips the checker; a JavaScript cell is checked only when it asks with `// @ts-check`.
    if (checksTypes(compiled.cell.plan.directives, { typecheck: options.typecheck, javascript })) {
      const found = this.ls.check(code, cellTypeScope(run));
      const errors = found.filter((d) => d.category === "error");
      if (errors.length > 0) return { ok: false, kind: "type", diagnostics: errors };
      for (const d of found) warnings.push({ line: d.line, column: d.column, message: d.message, ...(d.rule !== undefined ? { kind: d.rule } : {}) });
    }
    warnings.push(...this.warnings(code));
    return { ok: true, cell: compiled.cell, warnings: warnings.sort((a, b) => a.line - b.line || a.column - b.column) };
  }

  /** Static warnings that do not stop the cell: lost updates across an await (src/analysis). */
  private warnings(code: string): CellWarning[] {
    if (!code.includes("await")) return [];
    return findLostUpdates(code).map((w) => ({ line: w.line, column: w.column, message: w.message, kind: "lost-update" as const }));
  }

  async commit(code: string, run: CellRunId, dropped: readonly string[] = []): Promise<void> {
    this.ls.commit(code, run, dropped);
  }

  async complete(code: string, cursor: number): Promise<CompleteReplyOk> {
    return this.ls.complete(code, cursor);
  }

  async inspect(code: string, cursor: number, detailLevel: 0 | 1): Promise<InspectReplyOk> {
    return this.ls.inspect(code, cursor, detailLevel);
  }

  async isComplete(code: string): Promise<IsCompleteReply> {
    return this.ls.isComplete(code);
  }

  /** Load TypeScript and the cell compiler (a few hundred ms) ahead of the first cell. */
  warmUpCompiler(): void {
    compileCell("0", "/warm-up.ts", { trace: true });
  }

  /** Parse and bind the lib files and @types/node for the next session service of this process, whatever its
   *  folder (a start-up snapshot holds them: src/language/shared-documents.ts). */
  warmUpSharedDocuments(): void {
    SessionLanguageService.warmSharedDocuments(this.serviceOptions());
  }

  /** Load TypeScript's checker ahead of the first cell (called when the kernel is otherwise idle). */
  warmUp(): void {
    this.ls.check("", "__warmup");
  }
}
