// Small questions about TypeScript syntax that the lost-update analysis asks: is this identifier a use of a
// variable, what is the text key of `obj.total`, which nodes start a new function, which are assignments.
import ts from "typescript";

// Read once: under a test runner, `ts` may be a proxy over the CommonJS module, slow on hot paths.
const { SyntaxKind } = ts;

/** A function or the cell itself: the unit the analysis runs on. */
export type Body = ts.SourceFile | FunctionWithBody;

export type FunctionWithBody = ts.FunctionLikeDeclaration & { readonly body: ts.ConciseBody };

/** A nested function (with a body) or class: code that runs at another time than the code around it. */
export function isBoundary(node: ts.Node): boolean {
  return isFunctionWithBody(node) || node.kind === SyntaxKind.ClassDeclaration || node.kind === SyntaxKind.ClassExpression;
}

export function isFunctionWithBody(node: ts.Node): node is FunctionWithBody {
  switch (node.kind) {
    case SyntaxKind.FunctionDeclaration:
    case SyntaxKind.FunctionExpression:
    case SyntaxKind.ArrowFunction:
    case SyntaxKind.MethodDeclaration:
    case SyntaxKind.Constructor:
    case SyntaxKind.GetAccessor:
    case SyntaxKind.SetAccessor:
      return (node as ts.FunctionLikeDeclaration).body !== undefined;
    default:
      return false;
  }
}

export function isAsync(node: FunctionWithBody): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === SyntaxKind.AsyncKeyword) ?? false);
}

/** Parentheses and type-only wrappers (`x!`, `x as T`, `<T>x`, `x satisfies T`) removed. */
export function unwrap(expr: ts.Expression): ts.Expression {
  for (;;) {
    switch (expr.kind) {
      case SyntaxKind.ParenthesizedExpression:
      case SyntaxKind.NonNullExpression:
      case SyntaxKind.AsExpression:
      case SyntaxKind.SatisfiesExpression:
      case SyntaxKind.TypeAssertionExpression:
        expr = (expr as ts.ParenthesizedExpression).expression;
        break;
      default:
        return expr;
    }
  }
}

export function isAssignment(op: ts.SyntaxKind): boolean {
  return op >= SyntaxKind.FirstAssignment && op <= SyntaxKind.LastAssignment;
}

/** `&&=`, `||=`, `??=`: the right side is evaluated, and written, only sometimes; the old value is never part of it. */
export function isLogicalAssignment(op: ts.SyntaxKind): boolean {
  return op === SyntaxKind.AmpersandAmpersandEqualsToken || op === SyntaxKind.BarBarEqualsToken || op === SyntaxKind.QuestionQuestionEqualsToken;
}

/** Whether an identifier (a child of `parent`) names a variable, rather than a property, a declaration's own name or a label. */
export function isReference(id: ts.Identifier, parent: ts.Node): boolean {
  if (ts.isShorthandPropertyAssignment(parent)) return parent.name === id;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if ("propertyName" in parent && parent.propertyName === id) return false;
  if ("name" in parent && parent.name === id) return ts.isExportSpecifier(parent);
  return !ts.isQualifiedName(parent) && !ts.isTypeNode(parent);
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The text key of a variable or property access: `counter`, `obj.total`, `this.stats.count`, `obj.total` for
 * `obj["total"]`, `scores[name]` for an index that is itself a key; `undefined` for anything else (`f().x`).
 */
export function accessKey(expr: ts.Expression): string | undefined {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return e.text;
  if (e.kind === SyntaxKind.ThisKeyword) return "this";
  if (ts.isPropertyAccessExpression(e)) {
    const object = accessKey(e.expression);
    return object === undefined ? undefined : `${object}.${e.name.text}`;
  }
  if (ts.isElementAccessExpression(e)) {
    const object = accessKey(e.expression);
    if (object === undefined) return undefined;
    const index = unwrap(e.argumentExpression);
    if (ts.isStringLiteralLike(index)) return IDENTIFIER.test(index.text) ? `${object}.${index.text}` : `${object}[${JSON.stringify(index.text)}]`;
    if (ts.isNumericLiteral(index)) return `${object}[${index.text}]`;
    const inner = accessKey(index);
    return inner === undefined ? undefined : `${object}[${inner}]`;
  }
  return undefined;
}

/** The variable (or `this`) an access chain starts from: `obj` in `obj.a.b`. */
export function accessRoot(expr: ts.Expression): ts.Identifier | "this" | undefined {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return e;
  if (e.kind === SyntaxKind.ThisKeyword) return "this";
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return accessRoot(e.expression);
  return undefined;
}

/** The variables and properties a destructuring assignment (`[a, obj.b] = …`, `({ a, b: c.d } = …)`) writes. */
export function destructuringTargets(pattern: ts.Expression): ts.Expression[] {
  const e = unwrap(pattern);
  if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((el) => destructuringTargets(el));
  if (ts.isObjectLiteralExpression(e)) {
    return e.properties.flatMap((p) => {
      if (ts.isShorthandPropertyAssignment(p)) return [p.name];
      if (ts.isPropertyAssignment(p)) return destructuringTargets(p.initializer);
      if (ts.isSpreadAssignment(p)) return destructuringTargets(p.expression);
      return [];
    });
  }
  if (ts.isSpreadElement(e)) return destructuringTargets(e.expression);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === SyntaxKind.EqualsToken) return destructuringTargets(e.left);
  if (ts.isOmittedExpression(e)) return [];
  return [e];
}

/** The names a declaration's binding (`x`, `{ a, b: [c] }`) introduces. */
export function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((el) => (ts.isOmittedExpression(el) ? [] : boundNames(el.name)));
}
