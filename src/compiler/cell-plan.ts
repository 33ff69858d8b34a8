// Reading a cell's plan (./plan.ts) from the cell compiler's one parse: its directives from TypeScript's own
// leading comment ranges, and whether it declares types from its top-level statements. The rest of the plan
// (declared names, the result) comes from the rewrite (./cell-rewrite.ts).
import ts from "typescript";
import type { CellDirectives } from "../session/plan.js";

/** `@name` and an optional `on`/`off` at the start of a `//` comment's text. */
const DIRECTIVE = /^@(ts-nocheck|ts-check|timeline|warnings)\b\s*(on|off)?/;

/**
 * The directives among the cell's leading comments, as TypeScript finds them (`ts.getLeadingCommentRanges` at 0:
 * past a `#!` line, whitespace, blank lines and block comments, up to the first token). Only `//` comments carry
 * directives, as only they carry TypeScript's own `// @ts-nocheck` pragma.
 */
export function readDirectives(code: string): CellDirectives {
  const directives: CellDirectives = { noCheck: false, check: false, timeline: undefined, warnings: true };
  for (const range of ts.getLeadingCommentRanges(code, 0) ?? []) {
    if (range.kind !== ts.SyntaxKind.SingleLineCommentTrivia) continue;
    const text = code.slice(range.pos + 2, range.end).trim();
    const m = DIRECTIVE.exec(text);
    if (!m) continue;
    if (m[1] === "ts-nocheck") directives.noCheck = true;
    else if (m[1] === "ts-check") directives.check = true;
    else if (m[1] === "timeline") directives.timeline = m[2] === "off" ? "off" : "on";
    else directives.warnings = m[2] !== "off";
  }
  return directives;
}

/** Whether a top-level statement of the parsed cell adds types (see `CellPlan.declaresTypes`). */
export function declaresTypes(file: ts.SourceFile): boolean {
  return file.statements.some(
    (s) =>
      ts.isInterfaceDeclaration(s) ||
      ts.isTypeAliasDeclaration(s) ||
      ts.isModuleDeclaration(s) ||
      ts.isEnumDeclaration(s) ||
      ts.isImportDeclaration(s) ||
      ts.isImportEqualsDeclaration(s) ||
      (ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)),
  );
}
