// inspect_request → TypeScript's quick info at the cursor (or the signature of the call the cursor is in):
// signature and docs as text/plain and text/markdown; detail level 1 adds the declarations' source text,
// for names of earlier cells the code the user wrote rather than the generated declaration file.
import ts from "typescript";
import type { InspectReplyOk } from "../protocol/messages.js";
import type { CellView } from "./cell-view.js";
import { docsAtCall, docsAtName, docsOfSymbol, hasDocs, identifierAt } from "./documentation.js";
import { shownNames, signatureText, tagsMarkdown, tagsText } from "./display.js";
import type { SessionTable } from "./session-table.js";
import { symbolSignature } from "./symbol-display.js";

export interface InspectContext {
  service: ts.LanguageService;
  fileName: string;
  view: CellView;
  table: SessionTable;
  /** the committed cell whose declaration file this is, if it is one */
  cellOfFile: (fileName: string) => { names: ReadonlyMap<string, { sources: string[] }> } | undefined;
}

interface Found {
  signature: string;
  documentation: string;
  tags: readonly ts.JSDocTagInfo[];
  /** file offset of the name the information is about, for the declarations' source */
  at: number | undefined;
}

const NOT_FOUND: InspectReplyOk = { found: false, data: {}, metadata: {} };

/** Kinds of definitions that are members, never a cell's top-level name. */
const MEMBER_KINDS: ReadonlySet<string> = new Set([
  ts.ScriptElementKind.memberFunctionElement,
  ts.ScriptElementKind.memberVariableElement,
  ts.ScriptElementKind.memberGetAccessorElement,
  ts.ScriptElementKind.memberSetAccessorElement,
  ts.ScriptElementKind.constructorImplementationElement,
  ts.ScriptElementKind.enumMemberElement,
  ts.ScriptElementKind.parameterElement,
]);

/** Inspect at `cursor` (a UTF-16 offset in the user's code). */
export function inspectAt(ctx: InspectContext, cursor: number, detailLevel: 0 | 1): InspectReplyOk {
  const found = quickInfo(ctx, cursor) ?? signatureHelp(ctx, cursor);
  if (found === undefined) return NOT_FOUND;
  const sources = detailLevel === 1 && found.at !== undefined ? declarationSources(ctx, found.at) : [];
  const plain = [found.signature, found.documentation, tagsText(found.tags).join("\n"), sources.join("\n\n")];
  const markdown = [
    "```ts\n" + found.signature + "\n```",
    found.documentation,
    tagsMarkdown(found.tags).join("\n\n"),
    sources.length > 0 ? "```ts\n" + sources.join("\n\n") + "\n```" : "",
  ];
  return {
    found: true,
    data: { "text/plain": plain.filter(Boolean).join("\n\n"), "text/markdown": markdown.filter(Boolean).join("\n\n") },
    metadata: {},
  };
}

/** Quick info on the name at the cursor, or on the name just before it (`foo|(`). */
function quickInfo(ctx: InspectContext, cursor: number): Found | undefined {
  for (const offset of cursor > 0 ? [cursor, cursor - 1] : [cursor]) {
    const info = ctx.service.getQuickInfoAtPosition(ctx.fileName, ctx.view.toFile(offset));
    if (info === undefined || ctx.view.inPrelude(info.textSpan.start)) continue;
    const imported = importedSessionName(ctx, info.textSpan.start);
    if (imported !== undefined) return imported;
    // The program has no JSDoc of TypeScript files (documentation.ts reads it where it is needed).
    const program = ctx.service.getProgram();
    const docs = hasDocs(info) || program === undefined ? undefined : docsAtName(program, ctx.fileName, info.textSpan.start);
    return {
      signature: signatureText(info.displayParts, shownNames(ctx.table, ctx.view)),
      documentation: ts.displayPartsToString(docs?.documentation ?? info.documentation),
      tags: docs?.tags ?? info.tags ?? [],
      at: info.textSpan.start,
    };
  }
  return undefined;
}

/**
 * A name an earlier cell imported reaches this cell as an alias, whose quick info says little more than
 * `import name`: describe what it stands for instead, with that declaration's docs.
 */
function importedSessionName(ctx: InspectContext, at: number): Found | undefined {
  const program = ctx.service.getProgram();
  const file = program?.getSourceFile(ctx.fileName);
  const id = file && identifierAt(file, at);
  if (program === undefined || file === undefined || id === undefined) return undefined;
  const names = shownNames(ctx.table, ctx.view);
  if (!names.isSessionName(id.text) || !ctx.table.kindsOf(id.text)?.has("import")) return undefined;
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(id);
  if (symbol === undefined) return undefined;
  // An alias, or `const name: typeof <import>` for a property of an `export =` object (see declaration-file.ts).
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : checker.getTypeOfSymbol(symbol).getSymbol();
  if (target === undefined) return undefined;
  const callable = target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Method);
  const own = { documentation: target.getDocumentationComment(checker), tags: target.getJsDocTags(checker) };
  const docs = hasDocs(own) ? own : docsOfSymbol(target);
  return {
    signature: symbolSignature(checker, callable ? target : symbol, id.text, callable ? ts.ScriptElementKind.functionElement : undefined, file, names),
    documentation: ts.displayPartsToString(docs.documentation),
    tags: docs.tags,
    at,
  };
}

/** Inside a call's parentheses: the signature being called. */
function signatureHelp(ctx: InspectContext, cursor: number): Found | undefined {
  const help = ctx.service.getSignatureHelpItems(ctx.fileName, ctx.view.toFile(cursor), undefined);
  const item = help?.items[help.selectedItemIndex] ?? help?.items[0];
  if (help === undefined || item === undefined) return undefined;
  const separator = ts.displayPartsToString(item.separatorDisplayParts);
  const parameters = item.parameters.map((p) => ts.displayPartsToString(p.displayParts)).join(separator);
  const parts = [...item.prefixDisplayParts, { text: parameters, kind: "text" }, ...item.suffixDisplayParts];
  const program = ctx.service.getProgram();
  const docs = hasDocs(item) || program === undefined ? undefined : docsAtCall(program, ctx.fileName, help.applicableSpan.start);
  return {
    signature: signatureText(parts, shownNames(ctx.table, ctx.view)),
    documentation: ts.displayPartsToString(docs?.documentation ?? item.documentation),
    tags: docs?.tags ?? item.tags,
    at: undefined,
  };
}

/** Source text of every declaration of the symbol at `at` (all overloads), as the user wrote it when possible. */
function declarationSources(ctx: InspectContext, at: number): string[] {
  const { service, fileName, view, table } = ctx;
  const sources: string[] = [];
  for (const d of service.getDefinitionAtPosition(fileName, at) ?? []) {
    const span = d.contextSpan ?? d.textSpan;
    if (d.fileName === fileName) {
      const start = view.fromFile(span.start);
      const end = view.fromFile(span.start + span.length);
      if (start !== undefined && end !== undefined) sources.push(view.code.slice(start, end));
      else sources.push(...(table.ownerOf(d.name)?.names.get(d.name)?.sources ?? [])); // a prelude `declare` of a colliding name
      continue;
    }
    const cell = ctx.cellOfFile(d.fileName);
    const written = cell !== undefined && !MEMBER_KINDS.has(d.kind) ? cell.names.get(d.name)?.sources : undefined;
    if (written !== undefined) {
      sources.push(...written);
      continue;
    }
    const text = service.getProgram()?.getSourceFile(d.fileName)?.text;
    if (text !== undefined) sources.push(text.slice(span.start, span.start + span.length));
  }
  return [...new Set(sources)];
}
