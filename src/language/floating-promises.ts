// Forgotten awaits, as typescript-eslint's `no-floating-promises` defines them, from the type checker: an
// expression statement whose value is a promise (a thenable) that nothing handles — not awaited, not returned,
// not passed on, not `void`ed, no `.catch(…)` or two-argument `.then(…)`. Each gets a warning at its line; the
// cell still runs. `void promise` opts out.
import ts from "typescript";
import type { CellDiagnostic } from "../compiler/types.js";
import type { CellView } from "./cell-view.js";

/** Warnings for floating promises in the cell file (positions in the user's code). */
export function floatingPromises(program: ts.Program, fileName: string, view: CellView, lineAndColumn: (offset: number) => { line: number; column: number }): CellDiagnostic[] {
  const file = program.getSourceFile(fileName);
  if (!file) return [];
  const checker = program.getTypeChecker();
  const out: CellDiagnostic[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node) && isFloating(node.expression, checker)) {
      const start = view.fromFile(node.expression.getStart(file));
      if (start !== undefined) {
        const text = node.expression.getText(file);
        const { line, column } = lineAndColumn(start);
        out.push({
          line,
          column,
          length: Math.max(1, Math.min(text.length, 60)),
          message: `the promise of \`${shorten(text)}\` is neither awaited nor handled: its result is lost and a rejection goes unhandled. Add \`await\`, or \`void\` if you mean to run it in the background.`,
          code: 0,
          category: "warning",
          rule: "floating-promise",
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

function isFloating(expression: ts.Expression, checker: ts.TypeChecker): boolean {
  let e = expression;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isVoidExpression(e) || ts.isAwaitExpression(e)) return false;
  // An assignment stores the promise somewhere: it is handled later, or not, but not dropped here.
  if (ts.isBinaryExpression(e) && e.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && e.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return false;
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
    const method = e.expression.name.text;
    if (method === "catch" && e.arguments.length >= 1) return false;
    if (method === "then" && e.arguments.length >= 2) return false;
    if (method === "finally") return isFloating(e.expression.expression, checker);
  }
  if (!ts.isCallExpression(e) && !ts.isNewExpression(e) && !ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return false;
  return isThenable(checker.getTypeAtLocation(e), checker);
}

function isThenable(type: ts.Type, checker: ts.TypeChecker): boolean {
  if (type.isUnion()) return type.types.some((t) => isThenable(t, checker));
  const then = type.getProperty("then");
  if (!then) return false;
  const declaration = then.valueDeclaration ?? then.declarations?.[0];
  if (!declaration) return false;
  const thenType = checker.getTypeOfSymbolAtLocation(then, declaration);
  return thenType.getCallSignatures().some((s) => s.parameters.length >= 1);
}

function shorten(text: string): string {
  const one = text.replace(/\s+/g, " ");
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}
