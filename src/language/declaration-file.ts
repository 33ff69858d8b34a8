// A committed cell's declaration file, taken apart so that it can be rendered again as the session moves on:
// the declarations of names that are still the session's latest go inside `declare global { … }` (so that
// later cells see them as plain globals, which TypeScript resolves and prints cheaply); the declarations
// of names a later cell re-declared stay at module level, exported, for the cells that still refer to them.
import ts from "typescript";
import type { TopLevelName } from "./cell-shape.js";

/** A declaration of one of the cell's names, without `export`/`declare` modifiers. */
interface Item {
  name: string;
  /** variables render as `<keyword> <text>;`, everything else as the statement text */
  keyword: "let" | "var" | "const" | undefined;
  /** the JSDoc comment before the declaration, if any */
  doc: string;
  text: string;
}

/**
 * An import statement, kept as it is. Its bindings that become globals are re-declared inside `declare global`
 * as `export import name = <namespace>.<imported>` over a namespace import of the same module (`import x = y`
 * with a bare `y` would only find namespaces, so a qualified name is needed for functions and classes).
 */
interface ImportStatement {
  text: string;
  /** `import * as <ns> from "m" with {…};` / `import <ns> = require("m");`, with `<ns>` standing for the namespace */
  namespaceImport: string | undefined;
  /**
   * The cell's own bindings: `target` is what the global aliases, `<ns>` standing for the namespace. A
   * `value` binding is re-declared as `const name: typeof <target>` instead: an alias cannot reach a property
   * of an `export =` object (`import { basename } from "node:path"`), nor a module that is only a function.
   */
  bindings: { name: string; target: string; value: boolean }[];
}

export interface DeclarationModel {
  /** `/// <reference …/>` lines */
  header: string;
  imports: ImportStatement[];
  items: Item[];
  /** module-level statements that declare none of the cell's names (`declare global`, `export default`…) */
  others: string[];
  /** names the imports bind (the cell's own and the prelude's) */
  importedNames: Set<string>;
  /** every identifier text in the file: which names of other cells the declarations may refer to */
  references: Set<string>;
}

/**
 * Read an emitted declaration file of a cell whose top-level names are `names`. `replaced` maps the names the
 * cell re-declares that were globals of an earlier cell to that cell's file: where the emitter had to write
 * `globalThis.P` (the old P, hidden by the cell's own), the file refers to that cell's P instead, which is
 * module-level there from now on.
 */
export function parseDeclarations(
  dts: string,
  names: ReadonlyMap<string, TopLevelName>,
  replaced: ReadonlyMap<string, string>,
  targets: ReadonlyMap<string, ts.SymbolFlags> = new Map(),
): DeclarationModel {
  const sf = ts.createSourceFile("cell.d.mts", pinGlobalThis(dts, replaced), ts.ScriptTarget.Latest, false);
  const model: DeclarationModel = { header: headerOf(sf), imports: [], items: [], others: [], importedNames: new Set(), references: new Set() };
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) {
      const imported = importStatement(sf, statement, names, targets);
      model.imports.push(imported.statement);
      for (const name of imported.names) model.importedNames.add(name);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier === undefined) {
      // `export { … }` / `export {}`: the rendering writes its own
    } else if (ts.isVariableStatement(statement)) {
      const keyword = statement.declarationList.flags & ts.NodeFlags.Const ? "const" : statement.declarationList.flags & ts.NodeFlags.Let ? "let" : "var";
      const doc = jsDocOf(sf, statement);
      for (const d of statement.declarationList.declarations) {
        const text = d.getText(sf);
        if (ts.isIdentifier(d.name) && names.has(d.name.text)) model.items.push({ name: d.name.text, keyword, doc, text });
        else model.others.push(`declare ${keyword} ${text};`);
      }
    } else {
      const name = declaredName(statement);
      if (name !== undefined && names.has(name)) model.items.push({ name, keyword: undefined, doc: jsDocOf(sf, statement), text: withoutModifiers(sf, statement) });
      else model.others.push(statement.getText(sf));
    }
  }
  collectIdentifiers(sf, model.references);
  return model;
}

/** `globalThis.P` → `import("./__tsloop_cell_3.mjs").P` for the names in `replaced`. */
function pinGlobalThis(dts: string, replaced: ReadonlyMap<string, string>): string {
  if (replaced.size === 0 || !dts.includes("globalThis.")) return dts;
  const sf = ts.createSourceFile("cell.d.mts", dts, ts.ScriptTarget.Latest, false);
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isQualifiedName(node) && ts.isIdentifier(node.left) && node.left.text === "globalThis") {
      const specifier = replaced.get(node.right.text);
      if (specifier !== undefined) edits.push({ start: node.getStart(sf), end: node.end, text: `import(${JSON.stringify(specifier)}).${node.right.text}` });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  let text = dts;
  for (const edit of edits.reverse()) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  return text;
}

/**
 * The declaration file's text. `globals` are the cell's names that are the session's latest; `injected`
 * imports names of earlier cells that this file refers to but that are no longer globals.
 */
export function renderDeclarations(model: DeclarationModel, globals: ReadonlySet<string>, injected: ReadonlyMap<string, string>): string {
  let out = model.header;
  const exported: string[] = [];
  let global = "";
  for (const [i, statement] of model.imports.entries()) {
    out += statement.text + "\n";
    const namespace = `__tsloop_ns_${i}`;
    const global_ = statement.bindings.filter((b) => globals.has(b.name));
    if (global_.length > 0 && statement.namespaceImport !== undefined) out += statement.namespaceImport.replace(NS, namespace) + "\n";
    for (const b of statement.bindings) {
      const target = b.target.replace(NS, namespace);
      if (!globals.has(b.name)) exported.push(b.name);
      else if (b.value) global += `  const ${b.name}: typeof ${target};\n`;
      else global += `  export import ${b.name} = ${target};\n`;
    }
  }
  for (const [name, specifier] of injected) out += `import { ${name} } from ${JSON.stringify(specifier)};\n`;
  for (const item of model.items) {
    const text = item.keyword === undefined ? item.text : `${item.keyword} ${item.text};`;
    if (globals.has(item.name)) {
      global += indent(item.doc + text) + "\n";
    } else {
      out += `${item.doc}declare ${text}\n`;
      exported.push(item.name);
    }
  }
  for (const other of model.others) out += other + "\n";
  if (global !== "") out += `declare global {\n${global}}\n`;
  out += exported.length > 0 ? `export { ${[...new Set(exported)].join(", ")} };\n` : "export {};\n";
  return out;
}

/** Placeholder for the name of a namespace import in ImportStatement. */
const NS = "<ns>";

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? line : "  " + line))
    .join("\n");
}

function headerOf(sf: ts.SourceFile): string {
  let header = "";
  for (const ref of sf.typeReferenceDirectives) header += `/// <reference types=${JSON.stringify(ref.fileName)} />\n`;
  for (const ref of sf.libReferenceDirectives) header += `/// <reference lib=${JSON.stringify(ref.fileName)} />\n`;
  for (const ref of sf.referencedFiles) header += `/// <reference path=${JSON.stringify(ref.fileName)} />\n`;
  return header;
}

function importStatement(
  sf: ts.SourceFile,
  statement: ts.ImportDeclaration | ts.ImportEqualsDeclaration,
  names: ReadonlyMap<string, TopLevelName>,
  targets: ReadonlyMap<string, ts.SymbolFlags>,
): { statement: ImportStatement; names: string[] } {
  const bound: { name: string; target: string }[] = [];
  let namespaceImport: string | undefined;
  if (ts.isImportEqualsDeclaration(statement)) {
    const ref = statement.moduleReference;
    if (ts.isExternalModuleReference(ref)) {
      namespaceImport = `import ${NS} = require(${ref.expression.getText(sf)});`;
      bound.push({ name: statement.name.text, target: NS });
    } else {
      bound.push({ name: statement.name.text, target: ref.getText(sf) });
    }
  } else {
    const attributes = statement.attributes ? ` ${statement.attributes.getText(sf)}` : "";
    namespaceImport = `import * as ${NS} from ${statement.moduleSpecifier.getText(sf)}${attributes};`;
    const clause = statement.importClause;
    if (clause?.name) bound.push({ name: clause.name.text, target: `${NS}.default` });
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) bound.push({ name: bindings.name.text, target: NS });
    if (bindings && ts.isNamedImports(bindings)) {
      for (const e of bindings.elements) bound.push({ name: e.name.text, target: `${NS}.${(e.propertyName ?? e.name).getText(sf)}` });
    }
  }
  return {
    statement: {
      text: statement.getText(sf),
      namespaceImport,
      // A JavaScript cell's `const fs = require("node:fs")` is emitted as `import fs = require("node:fs")`: the cell's
      // own variable, so it is one of its bindings too.
      bindings: bound.filter((b) => names.get(b.name)?.kinds.has("import") || isRequireOfVariable(statement, names.get(b.name))).map((b) => ({ ...b, value: isValueOnly(b.target, targets.get(b.name)) })),
    },
    names: bound.map((b) => b.name),
  };
}

function isRequireOfVariable(statement: ts.ImportDeclaration | ts.ImportEqualsDeclaration, name: TopLevelName | undefined): boolean {
  return ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference) && name !== undefined && !name.kinds.has("type");
}

/** Whether `export import name = <target>` could not resolve what the import binds (see ImportStatement). */
function isValueOnly(target: string, flags: ts.SymbolFlags | undefined): boolean {
  if (flags === undefined) return false;
  if (flags & (ts.SymbolFlags.Property | ts.SymbolFlags.Method | ts.SymbolFlags.Accessor)) return true;
  return target === NS && !(flags & ts.SymbolFlags.Namespace); // `import f = require("m")` of a module that is `export = f`
}

function declaredName(statement: ts.Statement): string | undefined {
  if (
    ts.isFunctionDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isEnumDeclaration(statement)
  ) {
    return statement.name?.text;
  }
  if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name) && statement.name.text !== "global") return statement.name.text;
  return undefined;
}

function jsDocOf(sf: ts.SourceFile, node: ts.Node): string {
  return sf.text.slice(node.getStart(sf, true), node.getStart(sf));
}

const DROPPED_MODIFIERS: ReadonlySet<ts.SyntaxKind> = new Set([ts.SyntaxKind.ExportKeyword, ts.SyntaxKind.DeclareKeyword, ts.SyntaxKind.DefaultKeyword]);

/** The statement from its first token on, without `export`, `declare` and `default`: `abstract class C {…}`. */
function withoutModifiers(sf: ts.SourceFile, statement: ts.Statement): string {
  const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
  const kept = modifiers.filter((m) => !DROPPED_MODIFIERS.has(m.kind)).map((m) => m.getText(sf));
  const rest = sf.text.slice(modifiers.at(-1)?.end ?? statement.getStart(sf), statement.end).trimStart();
  return [...kept, rest].join(" ");
}

function collectIdentifiers(node: ts.Node, into: Set<string>): void {
  if (ts.isIdentifier(node)) into.add(node.text);
  ts.forEachChild(node, (child) => collectIdentifiers(child, into));
}
