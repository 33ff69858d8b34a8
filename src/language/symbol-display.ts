// A one-line signature of a symbol, read from the checker: for completion entries (TypeScript's
// getCompletionEntryDetails recomputes the whole completion list for every entry it describes, ~30 ms for 20
// entries at global scope; this costs a fraction of a millisecond) and for names a cell imported, which
// reach later cells as aliases whose quick info would only say `import name`.
import ts from "typescript";
import { cleanText, type ShownNames } from "./display.js";

/** How TypeScript's quick info introduces values of each kind. */
const VALUE_PREFIX: Readonly<Record<string, string>> = {
  [ts.ScriptElementKind.constElement]: "const",
  [ts.ScriptElementKind.letElement]: "let",
  [ts.ScriptElementKind.variableElement]: "var",
  [ts.ScriptElementKind.localVariableElement]: "var",
  [ts.ScriptElementKind.variableUsingElement]: "using",
  [ts.ScriptElementKind.memberVariableElement]: "(property)",
  [ts.ScriptElementKind.parameterElement]: "(parameter)",
  [ts.ScriptElementKind.memberGetAccessorElement]: "(getter)",
  [ts.ScriptElementKind.memberSetAccessorElement]: "(setter)",
  [ts.ScriptElementKind.enumMemberElement]: "(enum member)",
};

const FORMAT = ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;

/** A completion entry's signature (keywords are their own). */
export function entrySignature(checker: ts.TypeChecker, entry: ts.CompletionEntry, location: ts.Node, names: ShownNames): string {
  if (entry.symbol === undefined) return entry.kind === ts.ScriptElementKind.keyword ? entry.name : "";
  return symbolSignature(checker, entry.symbol, entry.name, entry.kind, location, names);
}

/** `function f(x: number): string (+1 overload)`, `const x: number`, `class C`, `interface I`… */
export function symbolSignature(
  checker: ts.TypeChecker,
  aliasOrSymbol: ts.Symbol,
  name: string,
  kind: string | undefined,
  location: ts.Node,
  names: ShownNames,
): string {
  const symbol = aliasOrSymbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(aliasOrSymbol) : aliasOrSymbol;
  const flags = symbol.flags;
  const typeText = (type: ts.Type, extra = ts.TypeFormatFlags.None): string => checker.typeToString(type, location, FORMAT | extra);
  const prefix = kind === undefined ? variablePrefix(symbol) : VALUE_PREFIX[kind];
  let text: string;
  if (prefix !== undefined && flags & (ts.SymbolFlags.Variable | ts.SymbolFlags.Property | ts.SymbolFlags.Accessor | ts.SymbolFlags.EnumMember)) {
    // a value first, also when a type of the same name exists (`var Response` and `interface Response`)
    text = `${prefix} ${name}: ${typeText(checker.getTypeOfSymbol(symbol))}`;
  } else if (flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Method)) {
    const signatures = checker.getTypeOfSymbol(symbol).getCallSignatures();
    const first = signatures[0];
    const method = flags & ts.SymbolFlags.Method && kind !== ts.ScriptElementKind.functionElement;
    const head = method ? `(method) ${name}` : `function ${name}`;
    const more = signatures.length > 1 ? ` (+${signatures.length - 1} overload${signatures.length > 2 ? "s" : ""})` : "";
    text = first === undefined ? head : head + checker.signatureToString(first, location, FORMAT) + more;
  } else if (flags & ts.SymbolFlags.Class) {
    text = `class ${typeText(checker.getDeclaredTypeOfSymbol(symbol))}`;
  } else if (flags & ts.SymbolFlags.Interface) {
    text = `interface ${typeText(checker.getDeclaredTypeOfSymbol(symbol))}`;
  } else if (flags & ts.SymbolFlags.TypeAlias) {
    text = `type ${name} = ${typeText(checker.getDeclaredTypeOfSymbol(symbol), ts.TypeFormatFlags.InTypeAlias)}`;
  } else if (flags & ts.SymbolFlags.Enum) {
    text = `enum ${name}`;
  } else if (flags & (ts.SymbolFlags.Variable | ts.SymbolFlags.Property | ts.SymbolFlags.Accessor | ts.SymbolFlags.EnumMember)) {
    text = `${prefix ?? "(property)"} ${name}: ${typeText(checker.getTypeOfSymbol(symbol))}`;
  } else if (flags & ts.SymbolFlags.Module) {
    // `import * as fs from "node:fs"`: the module itself ("fs" for an ambient module, a path for a file)
    const module = symbol.getName();
    text = !module.startsWith('"') ? `namespace ${name}` : module.startsWith('"/') ? `module ${name}` : `module ${module}`;
  } else if (flags & ts.SymbolFlags.TypeParameter) {
    text = `(type parameter) ${name}`;
  } else {
    text = name;
  }
  return cleanText(text, names);
}

/** `const`, `let` or `var` for a variable, from its declaration. */
function variablePrefix(symbol: ts.Symbol): string | undefined {
  const declaration = symbol.valueDeclaration;
  if (declaration === undefined || !ts.isVariableDeclaration(declaration)) return undefined;
  const flags = ts.getCombinedNodeFlags(declaration);
  return flags & ts.NodeFlags.Const ? "const" : flags & ts.NodeFlags.Let ? "let" : "var";
}
