// Documentation (JSDoc) for inspect_request. The session's program does not parse JSDoc in TypeScript files
// (SESSION_JSDOC_MODE: checking and completion never read it, and skipping it saves ~0.4 s of the first check), so a
// declaration's comment is read from a second parse, with JSDoc, of the one statement that holds it: its file's text
// with everything else blanked out (offsets stay the same), in a one-file program, where the declaration is found
// by its start, end and kind. Parsing the whole program again with JSDoc, as the first inspection used to, took
// ~0.95 s and kept a second parse of every lib and @types/node file (live heap 74 → 120 MB); parsing the declaring
// file whole took 0.2–0.6 s cold (lib.es5.d.ts, node's fs.d.ts); the statement alone ~40 ms cold.
import ts from "typescript";
import { oneFileProgram } from "./one-file-program.js";

export interface Documentation {
  documentation: ts.SymbolDisplayPart[];
  tags: ts.JSDocTagInfo[];
}

const NONE: Documentation = { documentation: [], tags: [] };

/** How many of a symbol's declarations are looked at for docs. */
const MAX_DECLARATIONS = 8;

export class DocumentationReader {
  /** The docs of the name at `position` in `fileName`: of the signature it calls when it is a call's callee (as
   *  TypeScript's quick info shows them), else of its symbol (an alias's target). */
  atName(program: ts.Program, fileName: string, position: number): Documentation {
    const file = program.getSourceFile(fileName);
    const id = file && identifierAt(file, position);
    if (id === undefined) return NONE;
    const checker = program.getTypeChecker();
    const call = callWithCallee(id);
    const signature = call && checker.getResolvedSignature(call)?.declaration;
    if (signature !== undefined && !ts.isJSDocSignature(signature)) {
      const docs = this.ofSignature(signature);
      if (docs.documentation.length > 0 || docs.tags.length > 0) return docs;
    }
    const symbol = checker.getSymbolAtLocation(id);
    if (symbol === undefined) return NONE;
    return this.ofSymbol(symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  }

  /** The docs of the signature a call resolves to, the call whose argument list starts (with its trivia) at
   *  `argumentsStart` (signature help's applicable span). */
  atCall(program: ts.Program, fileName: string, argumentsStart: number): Documentation {
    const file = program.getSourceFile(fileName);
    const call = file && callWithArgumentsAt(file, argumentsStart);
    const signature = call && program.getTypeChecker().getResolvedSignature(call)?.declaration;
    return signature === undefined || ts.isJSDocSignature(signature) ? NONE : this.ofSignature(signature);
  }

  /** The docs of a symbol's declarations, from the first of them that has any (of the first few: `NodeJS` is declared
   *  in dozens of files, and each one looked at is a parse). */
  ofSymbol(symbol: ts.Symbol): Documentation {
    for (const declaration of (symbol.declarations ?? []).slice(0, MAX_DECLARATIONS)) {
      const twin = this.twin(declaration);
      const name = twin && ts.getNameOfDeclaration(twin.node as ts.Declaration);
      const same = name && twin.checker.getSymbolAtLocation(name);
      if (twin === undefined || same === undefined) continue;
      const docs = { documentation: same.getDocumentationComment(twin.checker), tags: same.getJsDocTags(twin.checker) };
      if (docs.documentation.length > 0 || docs.tags.length > 0) return docs;
    }
    return NONE;
  }

  private ofSignature(declaration: ts.SignatureDeclaration): Documentation {
    const twin = this.twin(declaration);
    if (twin === undefined || !isSignatureDeclaration(twin.node)) return NONE;
    const signature = twin.checker.getSignatureFromDeclaration(twin.node);
    if (signature === undefined) return NONE;
    return { documentation: signature.getDocumentationComment(twin.checker), tags: signature.getJsDocTags() };
  }

  /** The same declaration in a parse of its statement with JSDoc, and that parse's checker. */
  private twin(declaration: ts.Node): { node: ts.Node; checker: ts.TypeChecker } | undefined {
    const source = declaration.getSourceFile();
    const statement = enclosingStatement(declaration);
    const file = ts.createSourceFile(
      source.fileName,
      blankOutside(source.text, statement.pos, statement.end),
      { languageVersion: source.languageVersion, jsDocParsingMode: ts.JSDocParsingMode.ParseAll, impliedNodeFormat: source.impliedNodeFormat },
      false,
      scriptKindOf(source.fileName),
    );
    const node = nodeAt(file, declaration.getStart(source), declaration.end, declaration.kind);
    if (node === undefined) return undefined;
    return { node, checker: oneFileProgram(file, { noEmit: true, allowJs: true }).getTypeChecker() };
  }
}

/** The declaration's top-level statement, or the one in the `declare module`/namespace/`declare global` body it is in. */
function enclosingStatement(node: ts.Node): ts.Node {
  let statement = node;
  while (statement.parent !== undefined && !ts.isSourceFile(statement.parent) && !ts.isModuleBlock(statement.parent)) statement = statement.parent;
  return statement;
}

/** `text` with every character outside [pos, end) but line breaks turned into a space. */
export function blankOutside(text: string, pos: number, end: number): string {
  const blank = (part: string): string => part.replace(/[^\n\r]/g, " ");
  return blank(text.slice(0, pos)) + text.slice(pos, end) + blank(text.slice(end));
}

function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.[cm]?jsx?$/.test(fileName)) return fileName.endsWith("x") ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  return fileName.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

/** The node of `kind` that starts (after its trivia) at `start` and ends at `end`. */
function nodeAt(file: ts.SourceFile, start: number, end: number, kind: ts.SyntaxKind): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found !== undefined || node.pos > start || node.end < end) return;
    if (node.kind === kind && node.end === end && node.getStart(file) === start) found = node;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(file, visit);
  return found;
}

/** The identifier at file offset `at`, if any. */
export function identifierAt(node: ts.Node, at: number): ts.Identifier | undefined {
  if (ts.isIdentifier(node)) return node;
  let found: ts.Identifier | undefined;
  ts.forEachChild(node, (child) => {
    if (found === undefined && child.pos <= at && at < child.end) found = identifierAt(child, at);
  });
  return found;
}

type Call = ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression | ts.Decorator;

/** The call whose callee is `id` (`f(…)`, `a.f(…)`, `new C(…)`), if any. */
function callWithCallee(id: ts.Identifier): Call | undefined {
  const callee = ts.isPropertyAccessExpression(id.parent) && id.parent.name === id ? id.parent : id;
  const call = callee.parent;
  if ((ts.isCallExpression(call) || ts.isNewExpression(call)) && call.expression === callee) return call;
  if (ts.isTaggedTemplateExpression(call) && call.tag === callee) return call;
  return undefined;
}

/** The call or `new` whose argument list starts at `start`. */
function callWithArgumentsAt(file: ts.SourceFile, start: number): ts.CallExpression | ts.NewExpression | undefined {
  let found: ts.CallExpression | ts.NewExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found !== undefined || start < node.pos || start > node.end) return;
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments?.pos === start) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function isSignatureDeclaration(node: ts.Node): node is ts.SignatureDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isMethodSignature(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isConstructSignatureDeclaration(node) ||
    ts.isCallSignatureDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isFunctionTypeNode(node) ||
    ts.isConstructorTypeNode(node) ||
    ts.isIndexSignatureDeclaration(node)
  );
}
