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

/** Whether `docs` says anything (a comment or a tag). */
export function hasDocs(docs: { documentation?: readonly unknown[]; tags?: readonly unknown[] }): boolean {
  return (docs.documentation?.length ?? 0) > 0 || (docs.tags?.length ?? 0) > 0;
}

/** How many of a symbol's declarations are looked at for docs. */
const MAX_DECLARATIONS = 8;

/** The docs of the name at `position` in `fileName`: of the signature it calls when it is a call's callee (as
 *  TypeScript's quick info shows them), else of its symbol (an alias's target). */
export function docsAtName(program: ts.Program, fileName: string, position: number): Documentation {
  const file = program.getSourceFile(fileName);
  const id = file && identifierAt(file, position);
  if (id === undefined) return NONE;
  const checker = program.getTypeChecker();
  const call = callWithCallee(id);
  const docs = docsOfSignature(call && checker.getResolvedSignature(call)?.declaration);
  if (hasDocs(docs)) return docs;
  const symbol = checker.getSymbolAtLocation(id);
  if (symbol === undefined) return NONE;
  return docsOfSymbol(symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
}

/** The docs of the signature a call resolves to, the call whose argument list starts (with its trivia) at
 *  `argumentsStart` (signature help's applicable span). */
export function docsAtCall(program: ts.Program, fileName: string, argumentsStart: number): Documentation {
  const file = program.getSourceFile(fileName);
  const isCall = (node: ts.Node): boolean => (ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments?.pos === argumentsStart;
  const call = file && (findNode(file, argumentsStart, argumentsStart, isCall) as ts.CallExpression | ts.NewExpression | undefined);
  return docsOfSignature(call && program.getTypeChecker().getResolvedSignature(call)?.declaration);
}

/** The docs of a symbol's declarations, from the first of them that has any (of the first few: `NodeJS` is declared
 *  in dozens of files, and each one looked at is a parse). */
export function docsOfSymbol(symbol: ts.Symbol): Documentation {
  for (const declaration of (symbol.declarations ?? []).slice(0, MAX_DECLARATIONS)) {
    const twin = twinOf(declaration);
    const name = twin && ts.getNameOfDeclaration(twin.node as ts.Declaration);
    const same = name && twin.checker.getSymbolAtLocation(name);
    if (twin === undefined || same === undefined) continue;
    const docs = { documentation: same.getDocumentationComment(twin.checker), tags: same.getJsDocTags(twin.checker) };
    if (hasDocs(docs)) return docs;
  }
  return NONE;
}

function docsOfSignature(declaration: ts.SignatureDeclaration | ts.JSDocSignature | undefined): Documentation {
  if (declaration === undefined || ts.isJSDocSignature(declaration)) return NONE;
  const twin = twinOf(declaration);
  const signature = twin !== undefined && ts.isFunctionLike(twin.node) ? twin.checker.getSignatureFromDeclaration(twin.node) : undefined;
  if (twin === undefined || signature === undefined) return NONE;
  return { documentation: signature.getDocumentationComment(twin.checker), tags: signature.getJsDocTags() };
}

/** The same declaration in a parse of its statement with JSDoc, and that parse's checker. */
function twinOf(declaration: ts.Node): { node: ts.Node; checker: ts.TypeChecker } | undefined {
  const source = declaration.getSourceFile();
  const statement = enclosingStatement(declaration);
  // (the script kind comes from the file name, as for the session's parse)
  const file = ts.createSourceFile(source.fileName, blankOutside(source.text, statement.pos, statement.end), {
    languageVersion: source.languageVersion,
    jsDocParsingMode: ts.JSDocParsingMode.ParseAll,
    impliedNodeFormat: source.impliedNodeFormat,
  });
  const start = declaration.getStart(source);
  const same = (node: ts.Node): boolean => node.kind === declaration.kind && node.end === declaration.end && node.getStart(file) === start;
  const node = findNode(file, start, declaration.end, same);
  if (node === undefined) return undefined;
  return { node, checker: oneFileProgram(file, { noEmit: true, allowJs: true }).getTypeChecker() };
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

/** The identifier at file offset `at`, if any. */
export function identifierAt(node: ts.Node, at: number): ts.Identifier | undefined {
  if (ts.isIdentifier(node)) return node;
  let found: ts.Identifier | undefined;
  ts.forEachChild(node, (child) => {
    if (found === undefined && child.pos <= at && at < child.end) found = identifierAt(child, at);
  });
  return found;
}

type Call = ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression;

/** The call whose callee is `id` (`f(…)`, `a.f(…)`, `new C(…)`), if any. */
function callWithCallee(id: ts.Identifier): Call | undefined {
  const callee = ts.isPropertyAccessExpression(id.parent) && id.parent.name === id ? id.parent : id;
  const call = callee.parent;
  if ((ts.isCallExpression(call) || ts.isNewExpression(call)) && call.expression === callee) return call;
  if (ts.isTaggedTemplateExpression(call) && call.tag === callee) return call;
  return undefined;
}

/** The first node, outermost first, that holds [start, end] and matches. */
function findNode(root: ts.Node, start: number, end: number, matches: (node: ts.Node) => boolean): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found !== undefined || node.pos > start || node.end < end) return;
    if (matches(node)) found = node;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(root, visit);
  return found;
}
