// The cell compiler: one notebook cell of TypeScript → a JavaScript script for node:vm whose value is a
// Promise, plus its source map and the names it declares (contract in ./types.ts). Types are stripped by
// `ts.transpileModule`; nothing here type-checks. Shape of the script (details in ./cell-rewrite.ts):
//   [TypeScript helpers such as `var __esDecorate = …`, only when the cell needs them]
//   (async () => { "use strict"; <functions as assignments>; <static imports>; <the rest>; return { value } })();
// Decisions the runtime should know: the wrapper is strict (module code is), so every declared name must
// exist as a global before the script runs; enums and namespaces are reset (`E = void 0`) so that a re-run
// builds them afresh; static imports are hoisted like ES imports; `export … from "m"` loads "m".
import ts from "typescript";
import { declaresTypes, readDirectives } from "./cell-plan.js";
import { rewriteCell, type CellOutline } from "./cell-rewrite.js";
import { importEqualsToRequire } from "./imports.js";
import type { CellDiagnostic, CompileResult } from "./types.js";

/** The name TypeScript sees: a `.ts` file (`.js` in JavaScript mode), whatever name the runtime gives the script. */
const INTERNAL_FILE_NAME = "cell.ts";
/** In a `.js` file TypeScript parses JavaScript: type annotations, interfaces, enums… are syntax errors (TS8xxx). */
const INTERNAL_JS_FILE_NAME = "cell.js";

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleDetection: ts.ModuleDetectionKind.Force,
  verbatimModuleSyntax: true,
  sourceMap: true,
  inlineSources: true,
  newLine: ts.NewLineKind.LineFeed,
};

export interface CompileOptions {
  /** Instrument top-level awaits and the cell's async functions for the task timeline (see cell-globals.ts). */
  trace?: boolean;
  /** The cell is JavaScript (the tsloop-js kernel): TypeScript-only syntax is an error, as in a `.js` file. */
  javascript?: boolean;
}

/** Compiles one cell and reads its plan (./plan.ts) from the same parse. Syntax errors come back as diagnostics;
 *  type errors are not looked for. */
export function compileCell(code: string, fileName: string, options: CompileOptions = {}): CompileResult {
  let outline: CellOutline | undefined;
  let failure: unknown;
  let typesDeclared = false;
  // Runs first, on the parse tree as written (the `after` rewrite sees it with the types stripped).
  const readPlan: ts.TransformerFactory<ts.SourceFile> = () => (file) => {
    typesDeclared = declaresTypes(file);
    return file;
  };
  const rewrite: ts.TransformerFactory<ts.SourceFile> = (context) => (file) => {
    try {
      const rewritten = rewriteCell(file, context, { trace: options.trace === true });
      outline = rewritten.outline;
      return rewritten.file;
    } catch (error) {
      // A malformed tree (after a syntax error) must not throw out of transpileModule: the diagnostics say more.
      failure = error;
      return file;
    }
  };
  const output = ts.transpileModule(code, {
    compilerOptions: COMPILER_OPTIONS,
    fileName: options.javascript === true ? INTERNAL_JS_FILE_NAME : INTERNAL_FILE_NAME,
    reportDiagnostics: true,
    transformers: { before: [readPlan, importEqualsToRequire], after: [rewrite] },
  });

  const syntaxErrors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (syntaxErrors.length > 0) return { ok: false, diagnostics: syntaxErrors.map(toCellDiagnostic) };
  if (outline === undefined) {
    const message = failure instanceof Error ? failure.message : String(failure);
    return { ok: false, diagnostics: [{ line: 1, column: 1, length: 1, message: `internal error in the cell compiler: ${message}`, code: 0, category: "error" }] };
  }
  if (outline.topLevelReturns.length > 0) {
    const written = outline.written;
    return { ok: false, diagnostics: outline.topLevelReturns.map((node) => returnDiagnostic(node, written)) };
  }

  return {
    ok: true,
    cell: {
      js: withoutSourceMappingUrl(output.outputText),
      sourceMap: retargetSourceMap(output.sourceMapText ?? "", fileName),
      plan: {
        directives: readDirectives(code),
        declared: outline.declared,
        declaresTypes: typesDeclared,
        hasResult: outline.hasResult,
        ...(outline.resultCallee === undefined ? {} : { resultCallee: outline.resultCallee }),
      },
    },
  };
}

function toCellDiagnostic(diagnostic: ts.Diagnostic): CellDiagnostic {
  const start = diagnostic.start ?? 0;
  const { line, character } = diagnostic.file?.getLineAndCharacterOfPosition(start) ?? { line: 0, character: 0 };
  return {
    line: line + 1,
    column: character + 1,
    length: Math.max(1, diagnostic.length ?? 1),
    message: ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"),
    code: diagnostic.code,
    category: "error",
  };
}

/** TypeScript's own wording and code for this error (its checker reports it; `transpileModule` does not). */
function returnDiagnostic(node: ts.ReturnStatement, sourceFile: ts.SourceFile): CellDiagnostic {
  const start = node.getStart(sourceFile);
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(start);
  return {
    line: line + 1,
    column: character + 1,
    length: "return".length,
    message: "A 'return' statement can only be used within a function body.",
    code: 1108,
    category: "error",
  };
}

function withoutSourceMappingUrl(js: string): string {
  const at = js.lastIndexOf("//# sourceMappingURL=");
  return at === -1 ? js : js.slice(0, at);
}

/** Names the map's source and generated file after the script's file name, as the runtime registers it. */
function retargetSourceMap(mapText: string, fileName: string): string {
  const map = JSON.parse(mapText) as { file?: string; sources?: string[]; sourceRoot?: string };
  map.file = fileName;
  map.sources = [fileName];
  delete map.sourceRoot;
  return JSON.stringify(map);
}
