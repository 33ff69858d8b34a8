// Walks a cell's code below its top-level statements: every loop gets an interrupt guard, every `import()`
// goes through `__tsloop.import`, and at the cell's own function scope (not inside a function or class)
// `var` declarations become assignments to globals, since `var` in a block or a loop head is cell-wide.
import ts from "typescript";
import { type DeclaredNames, declaratorToAssignment, isUserBinding, isVarList, toAssignmentTarget } from "./declarations.js";
import { isDynamicImport, rewriteDynamicImport } from "./imports.js";
import { awaitedCall, loopGuard } from "./runtime-calls.js";

const f = ts.factory;

/** What the walk reads and records for one cell. */
export interface CellScope {
  readonly names: DeclaredNames;
  /** The parse-tree expression statement whose value the cell returns, if any. */
  readonly result: ts.ExpressionStatement | undefined;
  /** `return` statements at the cell's own scope (a cell is not a function body). */
  readonly topLevelReturns: ts.ReturnStatement[];
  /** Set when the walk has turned `result` into `return { value: … }`. */
  returnsResult: boolean;
  /** With timelines on: the cell's parse tree, for the line and source text of each traced await. */
  readonly trace: ts.SourceFile | undefined;
}

export interface CellVisitors {
  /** For code at the cell's function scope. */
  readonly top: (node: ts.Node) => ts.VisitResult<ts.Node>;
  /** For code inside functions and classes. */
  readonly inner: (node: ts.Node) => ts.VisitResult<ts.Node>;
}

export function createCellVisitors(context: ts.TransformationContext, scope: CellScope): CellVisitors {
  const inner = (node: ts.Node): ts.VisitResult<ts.Node> => {
    const visited = ts.visitEachChild(node, inner, context);
    if (isLoop(visited)) return guardLoop(visited);
    if (isDynamicImport(visited)) return rewriteDynamicImport(visited);
    if (scope.trace !== undefined && ts.isAwaitExpression(visited)) return traceAwait(visited, node, scope.trace, true);
    return visited;
  };

  const top = (node: ts.Node): ts.VisitResult<ts.Node> => {
    if (startsScope(node)) return ts.visitEachChild(node, inner, context);
    if (ts.isReturnStatement(node)) {
      const written = ts.getParseTreeNode(node, ts.isReturnStatement);
      if (written !== undefined) scope.topLevelReturns.push(written);
    }
    const visited = ts.visitEachChild(node, top, context);
    if (ts.isVariableStatement(visited) && isVarList(visited.declarationList)) return declarationsToAssignments(visited, scope.names);
    if (isLoop(visited)) return guardLoop(loopVarToAssignment(visited, scope.names));
    if (isDynamicImport(visited)) return rewriteDynamicImport(visited);
    if (scope.trace !== undefined && ts.isAwaitExpression(visited)) return traceAwait(visited, node, scope.trace);
    if (ts.isExpressionStatement(visited) && scope.result !== undefined && ts.getOriginalNode(visited) === scope.result) {
      scope.returnsResult = true;
      return resultStatement(visited);
    }
    return visited;
  };

  return { top, inner };
}

function startsScope(node: ts.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isClassStaticBlockDeclaration(node);
}

type Loop = ts.IterationStatement;

function isLoop(node: ts.Node): node is Loop {
  switch (node.kind) {
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForInStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.WhileStatement:
    case ts.SyntaxKind.DoStatement:
      return true;
    default:
      return false;
  }
}

/** Puts `if (__tsloop.flag[0] !== 0) __tsloop.interrupted();` first in the loop's body. */
function guardLoop(loop: Loop): Loop {
  const body = ts.isBlock(loop.statement)
    ? f.updateBlock(loop.statement, [loopGuard(), ...loop.statement.statements])
    : f.createBlock([loopGuard(), loop.statement], true);
  if (ts.isForStatement(loop)) return f.updateForStatement(loop, loop.initializer, loop.condition, loop.incrementor, body);
  if (ts.isForInStatement(loop)) return f.updateForInStatement(loop, loop.initializer, loop.expression, body);
  if (ts.isForOfStatement(loop)) return f.updateForOfStatement(loop, loop.awaitModifier, loop.initializer, loop.expression, body);
  if (ts.isWhileStatement(loop)) return f.updateWhileStatement(loop, loop.expression, body);
  return f.updateDoStatement(loop as ts.DoStatement, body, (loop as ts.DoStatement).expression);
}

/** `var a = 1, b, { c } = o;` → `a = 1; ({ c } = o);` (b is declared; a bare `var` assigns nothing, a bare
 *  `let` assigns `void 0`). Declarations of names TypeScript generated stay as they are, local to the cell. */
export function declarationsToAssignments(statement: ts.VariableStatement, names: DeclaredNames): ts.Statement[] {
  const declarations = statement.declarationList.declarations;
  if (!declarations.every((d) => isUserBinding(d.name))) return [statement];
  const isVar = isVarList(statement.declarationList);
  const statements: ts.Statement[] = [];
  declarations.forEach((declaration, index) => {
    names.addBinding(declaration.name);
    const assignment = declaratorToAssignment(declaration, isVar);
    if (assignment === undefined) return;
    // The first assignment spans from the keyword, so that comments above the declaration stay with it.
    const range = index === 0 ? { pos: statement.pos, end: declarations.length === 1 ? statement.end : declaration.end } : declaration;
    statements.push(ts.setTextRange(f.createExpressionStatement(assignment), range));
  });
  return statements;
}

/** `for (var i = 0; …)` → `for (i = 0; …)`, `for (var x of xs)` → `for (x of xs)`. */
function loopVarToAssignment(loop: Loop, names: DeclaredNames): Loop {
  if (!ts.isForStatement(loop) && !ts.isForInStatement(loop) && !ts.isForOfStatement(loop)) return loop;
  const list = loop.initializer;
  if (list === undefined || !ts.isVariableDeclarationList(list) || !isVarList(list)) return loop;
  if (!list.declarations.every((d) => isUserBinding(d.name))) return loop;
  for (const declaration of list.declarations) names.addBinding(declaration.name);
  if (ts.isForStatement(loop)) {
    const assignments = list.declarations.flatMap((d) => declaratorToAssignment(d, true) ?? []);
    const initializer = assignments.length === 0 ? undefined : assignments.reduce((left, right) => f.createComma(left, right));
    return f.updateForStatement(loop, initializer, loop.condition, loop.incrementor, loop.statement);
  }
  const only = list.declarations[0];
  if (only === undefined) return loop;
  const target = toAssignmentTarget(only.name);
  return ts.isForInStatement(loop)
    ? f.updateForInStatement(loop, target, loop.expression, loop.statement)
    : f.updateForOfStatement(loop, loop.awaitModifier, target, loop.expression, loop.statement);
}

/** `expr` (the cell's last expression) → `return { value: expr };` */
function resultStatement(statement: ts.ExpressionStatement): ts.Statement {
  const value = f.createObjectLiteralExpression([f.createPropertyAssignment("value", statement.expression)], false);
  return ts.setOriginalNode(ts.setTextRange(f.createReturnStatement(value), statement), statement);
}

const MAX_AWAIT_LABEL = 60;

/** `await X` → `await __tsloop.awaited(X, line, "X")`, line and text taken from the cell as written. */
function traceAwait(visited: ts.AwaitExpression, node: ts.Node, written: ts.SourceFile, inner = false): ts.Expression {
  const original = ts.getParseTreeNode(node);
  if (original === undefined || !ts.isAwaitExpression(original)) return visited;
  const operand = original.expression;
  const line = written.getLineAndCharacterOfPosition(original.getStart(written)).line + 1;
  let label = written.text.slice(operand.getStart(written), operand.end).replace(/\s+/g, " ");
  if (label.length > MAX_AWAIT_LABEL) label = `${label.slice(0, MAX_AWAIT_LABEL - 3)}...`;
  return f.updateAwaitExpression(visited, awaitedCall(visited.expression, line, label, inner));
}
