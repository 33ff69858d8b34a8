// What the language service needs to know about a cell before type-checking it: the names its top level
// declares (and how) and where the session prelude may be inserted. (Whether it is checked at all is in the cell's
// plan, read by the cell compiler: src/session/plan.ts.)
import ts from "typescript";

/** How a top-level name is declared; decides how later cells see it (see session-table.ts). */
export type DeclarationKind = "let" | "var" | "const" | "function" | "class" | "enum" | "namespace" | "type" | "import";

export interface TopLevelName {
  name: string;
  kinds: Set<DeclarationKind>;
  /** declared with an `export` modifier (so the cell exports it already) */
  exported: boolean;
  /** source text of each top-level statement declaring the name, with its JSDoc */
  sources: string[];
}

export interface CellShape {
  code: string;
  /** top-level names in order of first declaration */
  names: Map<string, TopLevelName>;
  /** start offsets of top-level declaration names, declaration lists and import declarations */
  topLevelStarts: Set<number>;
  /** where the prelude goes: after a shebang and leading pragma comments, at the start of a line */
  preludeAt: number;
}

/** Parse a cell alone (no program) and read its top-level declarations. */
export function readCellShape(code: string, fileName: string): CellShape {
  const sf = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false);
  const names = new Map<string, TopLevelName>();
  const topLevelStarts = new Set<number>();
  for (const statement of sf.statements) {
    const source = code.slice(statement.getStart(sf, true), statement.end);
    const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword) && !hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
    const add = (id: ts.Identifier, kind: DeclarationKind): void => {
      topLevelStarts.add(id.getStart(sf));
      let entry = names.get(id.text);
      if (entry === undefined) {
        entry = { name: id.text, kinds: new Set(), exported: false, sources: [] };
        names.set(id.text, entry);
      }
      entry.kinds.add(kind);
      entry.exported ||= exported;
      if (entry.sources.at(-1) !== source) entry.sources.push(source);
    };
    for (const [id, kind] of declaredBy(statement)) add(id, kind);
    if (ts.isVariableStatement(statement)) {
      topLevelStarts.add(statement.getStart(sf)).add(statement.declarationList.getStart(sf));
      for (const d of statement.declarationList.declarations) topLevelStarts.add(d.name.getStart(sf));
    }
    if (ts.isImportDeclaration(statement)) topLevelStarts.add(statement.getStart(sf));
  }
  return { code, names, topLevelStarts, preludeAt: preludeOffset(code) };
}

function declaredBy(statement: ts.Statement): [ts.Identifier, DeclarationKind][] {
  if (ts.isVariableStatement(statement)) {
    const kind = variableKind(statement.declarationList);
    return statement.declarationList.declarations.flatMap((d) => bindingNames(d.name).map((id): [ts.Identifier, DeclarationKind] => [id, kind]));
  }
  if (ts.isFunctionDeclaration(statement)) return statement.name ? [[statement.name, "function"]] : [];
  if (ts.isClassDeclaration(statement)) return statement.name ? [[statement.name, "class"]] : [];
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) return [[statement.name, "type"]];
  if (ts.isEnumDeclaration(statement)) return [[statement.name, "enum"]];
  if (ts.isModuleDeclaration(statement)) {
    // `declare global {}` and `declare module "x" {}` augment; they declare no name of the cell.
    return ts.isIdentifier(statement.name) && statement.name.text !== "global" ? [[statement.name, "namespace"]] : [];
  }
  if (ts.isImportEqualsDeclaration(statement)) return [[statement.name, "import"]];
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (clause === undefined) return [];
    const ids: ts.Identifier[] = clause.name ? [clause.name] : [];
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) ids.push(bindings.name);
    if (bindings && ts.isNamedImports(bindings)) ids.push(...bindings.elements.map((e) => e.name));
    return ids.map((id) => [id, "import"]);
  }
  return [];
}

function variableKind(list: ts.VariableDeclarationList): DeclarationKind {
  // `using` and `await using` are read-only bindings, like const.
  if (list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Using)) return "const";
  return list.flags & ts.NodeFlags.Let ? "let" : "var";
}

function bindingNames(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** Comments that must stay at the top of the file, for TypeScript to honour them: triple-slash directives, `@ts-`
 *  and `@jsx` pragmas. */
const PRAGMA = /^\/\/\/\s*<|^\/\/\s*@ts-|@jsx/;

function preludeOffset(code: string): number {
  let preludeAt = code.startsWith("#!") ? lineAfter(code, 0) : 0;
  for (const range of ts.getLeadingCommentRanges(code, 0) ?? []) {
    if (PRAGMA.test(code.slice(range.pos, range.end))) preludeAt = Math.max(preludeAt, lineAfter(code, range.end));
  }
  return preludeAt;
}

/** Offset of the start of the line after `pos` (the end of the code when there is none). */
function lineAfter(code: string, pos: number): number {
  const match = /\r\n|[\n\r\u2028\u2029]/g;
  match.lastIndex = pos;
  const found = match.exec(code);
  return found ? found.index + found[0].length : code.length;
}
