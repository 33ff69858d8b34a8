// Builders for the code a compiled cell uses to reach the runtime: calls on the `__tsloop` global
// (src/session/cell-globals.ts) — loop guards, imports, default/named bindings and `require`.
import ts from "typescript";
import { CELL_GLOBAL } from "../session/cell-globals.js";

const f = ts.factory;

function member(name: string): ts.Expression {
  return f.createPropertyAccessExpression(f.createIdentifier(CELL_GLOBAL), name);
}

function callMember(name: string, args: readonly ts.Expression[]): ts.Expression {
  return f.createCallExpression(member(name), undefined, args);
}

/** `if (__tsloop.flag[0] !== 0) __tsloop.interrupted();` — the first statement of every loop body. */
export function loopGuard(): ts.Statement {
  const flag = f.createElementAccessExpression(member("flag"), f.createNumericLiteral(0));
  const raised = f.createStrictInequality(flag, f.createNumericLiteral(0));
  return f.createIfStatement(raised, f.createExpressionStatement(callMember("interrupted", [])));
}

/** `__tsloop.import(specifier, (s) => import(s[, options]))`: the loader closure is written in the cell so
 *  that Node resolves the specifier against the cell's file name. */
export function importCall(specifier: ts.Expression, options?: ts.Expression): ts.Expression {
  const param = f.createIdentifier("s");
  const importKeyword = f.createToken(ts.SyntaxKind.ImportKeyword) as ts.Expression as ts.ImportExpression;
  const load = f.createCallExpression(importKeyword, undefined, options === undefined ? [param] : [param, options]);
  const loader = f.createArrowFunction(
    undefined,
    undefined,
    [f.createParameterDeclaration(undefined, undefined, "s")],
    undefined,
    f.createToken(ts.SyntaxKind.EqualsGreaterThanToken),
    load,
  );
  return callMember("import", [specifier, loader]);
}

/** `await __tsloop.import(...)`: the namespace object of a static import. */
export function awaitImport(specifier: ts.Expression, options?: ts.Expression): ts.Expression {
  return f.createAwaitExpression(importCall(specifier, options));
}

/** `__tsloop.default(ns)` */
export function defaultBinding(ns: ts.Expression): ts.Expression {
  return callMember("default", [ns]);
}

/** `__tsloop.named(ns, "name")` */
export function namedBinding(ns: ts.Expression, name: string): ts.Expression {
  return callMember("named", [ns, f.createStringLiteral(name)]);
}

/** `__tsloop.require("m")` */
export function requireCall(specifier: ts.Expression): ts.Expression {
  return callMember("require", [specifier]);
}

/** `__tsloop.awaited(value, line, "label"[, 1])` — the awaited value, reported to the cell's timeline; `1` marks an
 *  await inside a function or class (folded into the enclosing task unless it waits on a known task). */
export function awaitedCall(value: ts.Expression, line: number, label: string, inner = false): ts.Expression {
  const args = [value, f.createNumericLiteral(line), f.createStringLiteral(label)];
  return callMember("awaited", inner ? [...args, f.createNumericLiteral(1)] : args);
}

/** `__tsloop.traceAsync(fn, line)` — an async function whose calls show on the cell's timeline. */
export function traceAsyncCall(fn: ts.Expression, line: number): ts.Expression {
  return callMember("traceAsync", [fn, f.createNumericLiteral(line)]);
}

/** `__tsloop.defined("a", "b")` — the initialisers of these declared names have completed. */
export function definedCall(names: readonly string[]): ts.Statement {
  return f.createExpressionStatement(callMember("defined", names.map((name) => f.createStringLiteral(name))));
}
