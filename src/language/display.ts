// Turning TypeScript's display parts into text a notebook user reads: imports of earlier cells (and colliding
// names, through the prelude) reach a cell as aliases, which TypeScript shows as `(alias) function f()` +
// `import f`; and types of virtual files print as `import("…/__tsloop_cell_3").P`.
import ts from "typescript";
import type { CellView } from "./cell-view.js";
import type { SessionTable } from "./session-table.js";

/** What text shown to the user needs to know about the session's names. */
export interface ShownNames {
  /** a name of an earlier cell that the cell being edited does not declare itself */
  isSessionName(name: string): boolean;
  /** the caller's name of committed cell `id` (e.g. `cell_3`) */
  cellName(id: number): string | undefined;
}

export function shownNames(table: SessionTable, view: CellView): ShownNames {
  return {
    isSessionName: (name) => table.ownerOf(name) !== undefined && !view.shape.names.has(name),
    cellName: (id) => table.cellName(id),
  };
}

/** `import("/nb/__tsloop_cell_3", { with: { "resolution-mode": "import" } }).` and the like */
const VIRTUAL_IMPORT_TYPE = /import\("([^"]*__tsloop_[^"]*)"(?:, \{ with: \{[^}]*\} \})?\)\./g;
const CELL_FILE = /__tsloop_cell_(\d+)/;

/**
 * Remove references to virtual files from text shown to the user: a type of an earlier cell that a later
 * cell re-declared reads `cell_3.P`, a type of the cell being edited just `P`.
 */
export function cleanText(text: string, names: Pick<ShownNames, "cellName">): string {
  return text.replace(VIRTUAL_IMPORT_TYPE, (_, path: string) => {
    const id = CELL_FILE.exec(path)?.[1];
    const cell = id === undefined ? undefined : names.cellName(Number(id));
    return cell === undefined ? "" : `${cell}.`;
  });
}

/** Display parts → text, without the `(alias)` decoration of names of earlier cells. */
export function signatureText(parts: readonly ts.SymbolDisplayPart[] | undefined, names: ShownNames): string {
  let list = parts ?? [];
  const importLine = list.findLastIndex((p) => p.kind === "lineBreak");
  const tail = list.slice(importLine + 1);
  const aliased = list[1]?.text === "alias" && list[0]?.text === "(" && list[2]?.text === ")";
  if (aliased && importLine > 0 && tail[0]?.text === "import") {
    const name = tail.find((p) => p.kind === "aliasName")?.text ?? "";
    if (names.isSessionName(name)) {
      list = list.slice(list[3]?.kind === "space" ? 4 : 3, importLine);
      // A called function shows as `f(n: number): R`; a function of the cell itself shows `function f(…)`.
      const next = list[1]?.text;
      if (list[0]?.kind === "aliasName" && (next === "(" || next === "<")) list = [{ text: "function ", kind: "keyword" }, ...list];
    }
  }
  return cleanText(ts.displayPartsToString([...list]), names);
}

/** JSDoc tags as plain text lines: `@param x — the x`. */
export function tagsText(tags: readonly ts.JSDocTagInfo[] | undefined): string[] {
  return (tags ?? []).map((t) => {
    const text = ts.displayPartsToString(t.text);
    return text ? `@${t.name} ${text}` : `@${t.name}`;
  });
}

/** JSDoc tags as Markdown lines: `*@param* x — the x`. */
export function tagsMarkdown(tags: readonly ts.JSDocTagInfo[] | undefined): string[] {
  return (tags ?? []).map((t) => {
    const text = ts.displayPartsToString(t.text);
    return text ? `*@${t.name}* ${text}` : `*@${t.name}*`;
  });
}
