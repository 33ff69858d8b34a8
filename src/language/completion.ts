// complete_request → TypeScript's completions at the cursor: the matches for the prefix being typed, sorted by
// TypeScript's sortText, with Jupyter's experimental types (kind and, for the first entries, the signature).
import ts from "typescript";
import type { CompleteItem, CompleteReplyOk } from "../protocol/messages.js";
import type { CellView } from "./cell-view.js";
import { shownNames } from "./display.js";
import { VIRTUAL_PREFIX } from "./host.js";
import type { SessionTable } from "./session-table.js";
import { entrySignature } from "./symbol-display.js";

/** Entries past this many get no signature (each costs a checker query). */
const SIGNATURE_LIMIT = 20;

const PREFERENCES: ts.GetCompletionsAtPositionOptions = {
  includeCompletionsForModuleExports: false, // auto-imports would need text edits that Jupyter cannot apply
  includeCompletionsWithInsertText: false,
  includeCompletionsForImportStatements: false,
  includeCompletionsWithSnippetText: false,
  includeCompletionsWithClassMemberSnippets: false,
  includeCompletionsWithObjectLiteralMethodSnippets: false,
  includeSymbol: true, // for entrySignature(); the language service runs in this thread
};

const GLOBAL_SORT = "15";
const LOCAL_SORT = "11";

const ALIAS_KINDS: readonly [ts.SymbolFlags, string][] = [
  [ts.SymbolFlags.Function, ts.ScriptElementKind.functionElement],
  [ts.SymbolFlags.Class, ts.ScriptElementKind.classElement],
  [ts.SymbolFlags.Enum, ts.ScriptElementKind.enumElement],
  [ts.SymbolFlags.Interface, ts.ScriptElementKind.interfaceElement],
  [ts.SymbolFlags.TypeAlias, ts.ScriptElementKind.typeElement],
  [ts.SymbolFlags.Module, ts.ScriptElementKind.moduleElement],
  [ts.SymbolFlags.Variable, ts.ScriptElementKind.variableElement],
];

export interface CompletionContext {
  service: ts.LanguageService;
  fileName: string;
  view: CellView;
  table: SessionTable;
}

/** Completions at `cursor` (a UTF-16 offset in the user's code). */
export function completeAt({ service, fileName, view, table }: CompletionContext, cursor: number): CompleteReplyOk {
  const code = view.code;
  const position = view.toFile(cursor);
  const info = service.getCompletionsAtPosition(fileName, position, PREFERENCES);
  const span = info?.entries[0]?.replacementSpan ?? info?.optionalReplacementSpan;
  const spanStart = span === undefined ? undefined : view.fromFile(span.start);
  const start = spanStart !== undefined && spanStart <= cursor ? spanStart : cursor;
  const prefix = code.slice(start, cursor).toLowerCase();
  const names = shownNames(table, view);
  // Earlier cells' names are globals to TypeScript ("15"); rank them with the cell's own names ("11").
  const sortKey = (e: ts.CompletionEntry): string => (e.sortText === GLOBAL_SORT && names.isSessionName(e.name) ? LOCAL_SORT : e.sortText);
  const seen = new Set<string>();
  const entries = (info?.entries ?? [])
    .filter((e) => {
      if (e.name.includes(VIRTUAL_PREFIX) || e.source !== undefined || e.kind === ts.ScriptElementKind.warning) return false;
      if (!e.name.toLowerCase().startsWith(prefix) || seen.has(e.name)) return false;
      seen.add(e.name);
      return true;
    })
    .sort((a, b) => compare(sortKey(a), sortKey(b)) || compare(a.name.toLowerCase(), b.name.toLowerCase()) || compare(a.name, b.name));
  const program = service.getProgram();
  const location = program?.getSourceFile(fileName);
  const checker = program?.getTypeChecker();
  const signature = (e: ts.CompletionEntry): string => (checker && location ? entrySignature(checker, e, location, names) : "");
  const items: CompleteItem[] = entries.map((e, i) => ({
    start,
    end: cursor,
    text: e.name,
    type: kindOf(e, checker),
    signature: i < SIGNATURE_LIMIT ? signature(e) : "",
  }));
  return {
    matches: entries.map((e) => e.name),
    cursor_start: start,
    cursor_end: cursor,
    metadata: { _jupyter_types_experimental: items },
  };
}

/** Imports show as "alias"; say what they stand for, as TypeScript does for the original name. */
function kindOf(entry: ts.CompletionEntry, checker: ts.TypeChecker | undefined): string {
  if (entry.kind !== ts.ScriptElementKind.alias || entry.symbol === undefined || checker === undefined) return entry.kind;
  const flags = checker.getAliasedSymbol(entry.symbol).flags;
  for (const [flag, kind] of ALIAS_KINDS) if (flags & flag) return kind;
  return entry.kind;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
