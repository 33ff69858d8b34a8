// Module syntax in a cell, which runs as a script: static imports become awaited `__tsloop.import` calls
// assigned to globals, `import x = require()` becomes `__tsloop.require`, and `import()` goes through
// `__tsloop.import` as well.
import ts from "typescript";
import type { DeclaredNames } from "./declarations.js";
import { awaitImport, defaultBinding, importCall, namedBinding, requireCall } from "./runtime-calls.js";

const f = ts.factory;

/** `import … from "m"` (or `export … from "m"`, which loads the module but binds nothing) → statements. */
export function importStatements(node: ts.ImportDeclaration | ts.ExportDeclaration, names: DeclaredNames): ts.Statement[] {
  const specifier = node.moduleSpecifier as ts.Expression;
  const load = (): ts.Expression => awaitImport(specifier, importOptions(node.attributes));
  const clause = ts.isImportDeclaration(node) ? node.importClause : undefined;
  const namespace = clause?.namedBindings !== undefined && ts.isNamespaceImport(clause.namedBindings) ? clause.namedBindings.name : undefined;
  const named = clause?.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings)
    ? clause.namedBindings.elements.filter((element) => !element.isTypeOnly)
    : [];
  const bindings = (clause?.name !== undefined ? 1 : 0) + (namespace !== undefined ? 1 : 0) + named.length;

  let statement: ts.Statement;
  if (bindings === 0) {
    statement = f.createExpressionStatement(load());
  } else if (bindings === 1 && namespace !== undefined) {
    statement = assign(namespace, load(), names);
  } else if (bindings === 1 && clause?.name !== undefined) {
    statement = assign(clause.name, defaultBinding(load()), names);
  } else {
    // `{ const __m = await __tsloop.import(…); a = __tsloop.named(__m, "a"); … }`
    const ns = f.createUniqueName("__m", ts.GeneratedIdentifierFlags.Optimistic);
    const body: ts.Statement[] = [
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(ns, undefined, undefined, load())], ts.NodeFlags.Const)),
    ];
    if (clause?.name !== undefined) body.push(assign(clause.name, defaultBinding(ns), names));
    if (namespace !== undefined) body.push(assign(namespace, ns, names));
    for (const element of named) {
      const imported = exportNameText(element.propertyName ?? element.name);
      const value = imported === "default" ? defaultBinding(ns) : namedBinding(ns, imported);
      body.push(ts.setTextRange(assign(element.name, value, names), element));
    }
    statement = f.createBlock(body, false);
  }
  return [ts.setOriginalNode(ts.setTextRange(statement, node), node)];
}

function exportNameText(name: ts.ModuleExportName): string {
  return ts.isIdentifier(name) ? ts.idText(name) : name.text;
}

function assign(name: ts.Identifier, value: ts.Expression, names: DeclaredNames): ts.Statement {
  names.add(name);
  return f.createExpressionStatement(f.createAssignment(f.createIdentifier(ts.idText(name)), value));
}

/** `with { type: "json" }` → the second argument of `import()`: `{ with: { type: "json" } }`. */
function importOptions(attributes: ts.ImportAttributes | undefined): ts.Expression | undefined {
  if (attributes === undefined) return undefined;
  const entries = attributes.elements.map((attribute) => f.createPropertyAssignment(attribute.name, attribute.value));
  const key = attributes.token === ts.SyntaxKind.AssertKeyword ? "assert" : "with";
  return f.createObjectLiteralExpression([f.createPropertyAssignment(key, f.createObjectLiteralExpression(entries, false))], false);
}

/** `import(x, options)` anywhere in the cell → `__tsloop.import(x, (s) => import(s, options))`. */
export function isDynamicImport(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword;
}

export function rewriteDynamicImport(node: ts.CallExpression): ts.Expression {
  const [specifier, options] = node.arguments;
  if (specifier === undefined) return node;
  return ts.setTextRange(importCall(specifier, options), node);
}

/** A `before` transformer: TypeScript drops `import x = require("m")` when emitting ES modules, so turn it
 *  into `const x = __tsloop.require("m")` first; the cell rewrite then treats it like any `const`. */
export const importEqualsToRequire: ts.TransformerFactory<ts.SourceFile> = () => (file) => {
  if (!file.statements.some(isRequireImport)) return file;
  const statements = file.statements.map((statement) => {
    if (!isRequireImport(statement)) return statement;
    const reference = statement.moduleReference as ts.ExternalModuleReference;
    const declaration = f.createVariableDeclaration(statement.name, undefined, undefined, requireCall(reference.expression));
    const list = f.createVariableDeclarationList([declaration], ts.NodeFlags.Const);
    return ts.setTextRange(f.createVariableStatement(undefined, list), statement);
  });
  return f.updateSourceFile(file, statements);
};

function isRequireImport(statement: ts.Statement): statement is ts.ImportEqualsDeclaration {
  return ts.isImportEqualsDeclaration(statement) && !statement.isTypeOnly && ts.isExternalModuleReference(statement.moduleReference);
}
