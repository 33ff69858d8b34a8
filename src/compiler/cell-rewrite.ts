// The `after` transformer that turns a cell, by then plain JavaScript with module syntax, into one script:
// `(async () => { "use strict"; <functions>; <imports>; <statements>; return { value: <last> }; })()`,
// with every top-level declaration turned into an assignment to a global the runtime creates.
import ts from "typescript";
import { createCellVisitors, declarationsToAssignments, type CellScope } from "./body-visitor.js";
import { DeclaredNames } from "./declarations.js";
import { importStatements } from "./imports.js";
import { definedCall, traceAsyncCall } from "./runtime-calls.js";

const f = ts.factory;

/** What the rewrite learned about the cell, besides the code. */
export interface CellOutline {
  declared: string[];
  hasResult: boolean;
  /** the name a result expression `f(…)` / `x.f(…)` calls */
  resultCallee: string | undefined;
  /** `return` at the top level: a syntax error in a module, but it would run inside the async wrapper. */
  topLevelReturns: ts.ReturnStatement[];
  /** The parse tree of the cell (positions of `topLevelReturns`). */
  written: ts.SourceFile;
}

/** Rewrites the transformed source file `file` into the cell script. */
export function rewriteCell(file: ts.SourceFile, context: ts.TransformationContext, options: { trace: boolean } = { trace: false }): { file: ts.SourceFile; outline: CellOutline } {
  const written = ts.getOriginalNode(file) as ts.SourceFile;
  const names = new DeclaredNames();
  const trace = options.trace ? written : undefined;
  const result = resultStatement(written);
  const scope: CellScope = { names, result, topLevelReturns: [], returnsResult: false, trace };
  const { top, inner } = createCellVisitors(context, scope);
  const functions: ts.Statement[] = [];
  const imports: ts.Statement[] = [];
  const body: ts.Statement[] = [];

  // After each top-level statement that declares names, `__tsloop.defined("a", …)` tells the runtime that their
  // initialisers completed: a cell that throws later keeps them (see docs/architecture.md).
  const marked = (into: ts.Statement[], from: number): void => {
    const fresh = names.list.slice(from);
    if (fresh.length > 0) into.push(definedCall(fresh));
  };
  for (const whole of file.statements) {
    for (const statement of oneDeclaratorEach(whole)) {
      const before = names.list.length;
      const into = rewriteStatement(statement);
      marked(into, before);
    }
  }

  function rewriteStatement(statement: ts.Statement): ts.Statement[] {
    if (ts.isImportDeclaration(statement)) {
      imports.push(...importStatements(statement, names));
    } else if (ts.isExportDeclaration(statement)) {
      // `export { a }` binds nothing; `export … from "m"` still loads "m", as it would in a module.
      if (statement.moduleSpecifier !== undefined) imports.push(...importStatements(statement, names));
    } else if (ts.isExportAssignment(statement)) {
      const expression = ts.visitNode(statement.expression, top, ts.isExpression) ?? statement.expression;
      body.push(ts.setTextRange(f.createExpressionStatement(expression), statement));
    } else if (ts.isFunctionDeclaration(statement)) {
      const declaration = ts.visitEachChild(statement, inner, context);
      if (declaration.name !== undefined) names.add(declaration.name);
      (declaration.name !== undefined ? functions : body).push(functionToAssignment(declaration, trace));
    } else if (ts.isClassDeclaration(statement)) {
      const declaration = ts.visitEachChild(statement, inner, context);
      if (declaration.name !== undefined) names.add(declaration.name);
      body.push(classToAssignment(declaration));
    } else if (ts.isVariableStatement(statement)) {
      const visited = ts.visitEachChild(statement, top, context);
      const traced = trace === undefined ? visited : traceAsyncInitializers(visited, trace);
      body.push(...(isLoweredEnumOrNamespace(statement) ? resetBindings(traced, names) : declarationsToAssignments(traced, names)));
    } else {
      body.push(...statementsOf(top(statement)));
    }
    return ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? imports : ts.isFunctionDeclaration(statement) && statement.name !== undefined ? functions : body;
  }

  const script = f.updateSourceFile(file, [asyncWrapper([...functions, ...imports, ...body])]);
  return {
    file: script,
    outline: { declared: names.list, hasResult: scope.returnsResult, resultCallee: calleeName(result), topLevelReturns: scope.topLevelReturns, written },
  };
}

/** `const a = f(), b = g();` → one statement per declarator, so that `a` counts as defined when `g()` throws. */
function oneDeclaratorEach(statement: ts.Statement): ts.Statement[] {
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length < 2) return [statement];
  const list = statement.declarationList;
  return list.declarations.map((d, i) => {
    const split = f.createVariableStatement(statement.modifiers, f.createVariableDeclarationList([d], list.flags));
    // The first keeps the keyword's position (comments above stay with it), the others their declarator's.
    return ts.setTextRange(ts.setOriginalNode(split, statement), i === 0 ? { pos: statement.pos, end: d.end } : d);
  });
}

/** The last statement when it is an expression statement written without a trailing semicolon. */
function resultStatement(written: ts.SourceFile): ts.ExpressionStatement | undefined {
  const last = written.statements[written.statements.length - 1];
  if (last === undefined || !ts.isExpressionStatement(last)) return undefined;
  return written.text.charCodeAt(last.end - 1) === 0x3b /* ; */ ? undefined : last;
}

/** `display(x)` → "display", `w.on(…)` → "on", `await f()` → "f"; undefined when the expression is not a call. */
function calleeName(statement: ts.ExpressionStatement | undefined): string | undefined {
  let expression = statement?.expression;
  while (expression !== undefined && (ts.isParenthesizedExpression(expression) || ts.isAwaitExpression(expression))) expression = expression.expression;
  if (expression === undefined || !ts.isCallExpression(expression)) return undefined;
  const callee = expression.expression;
  if (ts.isIdentifier(callee)) return ts.idText(callee);
  if (ts.isPropertyAccessExpression(callee)) return ts.idText(callee.name);
  return "";
}

function statementsOf(result: ts.VisitResult<ts.Node>): ts.Statement[] {
  if (result === undefined) return [];
  return (Array.isArray(result) ? result : [result]) as ts.Statement[];
}

/** `function f() {}` → `f = function f() {}` (hoisted by the caller); an unnamed `export default function`
 *  becomes an expression statement. */
function functionToAssignment(declaration: ts.FunctionDeclaration, trace: ts.SourceFile | undefined): ts.Statement {
  const modifiers = declaration.modifiers?.filter((m): m is ts.Modifier => m.kind === ts.SyntaxKind.AsyncKeyword);
  const expression: ts.Expression = ts.setTextRange(
    f.createFunctionExpression(modifiers, declaration.asteriskToken, declaration.name, undefined, declaration.parameters, undefined, declaration.body ?? f.createBlock([])),
    declaration,
  );
  const isAsync = modifiers !== undefined && modifiers.length > 0 && declaration.asteriskToken === undefined;
  const value = trace !== undefined && isAsync ? traceAsyncCall(expression, lineOf(declaration, trace)) : expression;
  return ts.setTextRange(f.createExpressionStatement(assignTo(declaration.name, value)), declaration);
}

/** `const f = async (…) => …` → `const f = __tsloop.traceAsync(async (…) => …, line)` (timelines). */
function traceAsyncInitializers(statement: ts.VariableStatement, trace: ts.SourceFile): ts.VariableStatement {
  const declarations = statement.declarationList.declarations.map((d) => {
    const init = d.initializer;
    const isAsyncFunction =
      init !== undefined &&
      (ts.isArrowFunction(init) || (ts.isFunctionExpression(init) && init.asteriskToken === undefined)) &&
      (init.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
    if (!isAsyncFunction || !ts.isIdentifier(d.name)) return d;
    return f.updateVariableDeclaration(d, d.name, d.exclamationToken, d.type, traceAsyncCall(init, lineOf(d, trace)));
  });
  return f.updateVariableStatement(statement, statement.modifiers, f.updateVariableDeclarationList(statement.declarationList, declarations));
}

function lineOf(node: ts.Node, written: ts.SourceFile): number {
  const original = ts.getParseTreeNode(node);
  return original === undefined ? 0 : written.getLineAndCharacterOfPosition(original.getStart(written)).line + 1;
}

/** `class A {}` → `A = class A {}` */
function classToAssignment(declaration: ts.ClassDeclaration): ts.Statement {
  const decorators = declaration.modifiers?.filter(ts.isDecorator);
  const expression = ts.setTextRange(
    f.createClassExpression(decorators, declaration.name, undefined, declaration.heritageClauses, declaration.members),
    declaration,
  );
  return ts.setTextRange(f.createExpressionStatement(assignTo(declaration.name, expression)), declaration);
}

/** `name = value`, or for an unnamed `export default` function/class just `(value)`: parenthesised, since a
 *  statement starting with `class` or `function` would be a declaration. */
function assignTo(name: ts.Identifier | undefined, value: ts.Expression): ts.Expression {
  return name === undefined ? f.createParenthesizedExpression(value) : f.createAssignment(f.createIdentifier(ts.idText(name)), value);
}

/** TypeScript lowers `enum E {}` and `namespace N {}` to `var E; (function (E) { … })(E || (E = {}));`. */
function isLoweredEnumOrNamespace(statement: ts.VariableStatement): boolean {
  const original = ts.getOriginalNode(statement);
  return ts.isEnumDeclaration(original) || ts.isModuleDeclaration(original);
}

/** `var E;` of a lowered enum/namespace → `E = void 0;`, so that running the cell again builds a fresh object
 *  instead of adding members to the previous one. */
function resetBindings(statement: ts.VariableStatement, names: DeclaredNames): ts.Statement[] {
  return statement.declarationList.declarations.flatMap((declaration) => {
    if (!ts.isIdentifier(declaration.name)) return [];
    names.add(declaration.name);
    const reset = f.createExpressionStatement(f.createAssignment(f.createIdentifier(ts.idText(declaration.name)), f.createVoidZero()));
    return [ts.setSourceMapRange(reset, ts.getSourceMapRange(ts.getOriginalNode(statement)))];
  });
}

/** `(async () => { "use strict"; … })();` — evaluating the script yields the promise. */
function asyncWrapper(statements: readonly ts.Statement[]): ts.Statement {
  const body = f.createBlock([f.createExpressionStatement(f.createStringLiteral("use strict")), ...statements], true);
  const arrow = f.createArrowFunction(
    [f.createModifier(ts.SyntaxKind.AsyncKeyword)],
    undefined,
    [],
    undefined,
    f.createToken(ts.SyntaxKind.EqualsGreaterThanToken),
    body,
  );
  return f.createExpressionStatement(f.createCallExpression(f.createParenthesizedExpression(arrow), undefined, []));
}
