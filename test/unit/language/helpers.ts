// Shared helpers for the language service tests: a notebook folder with files, a session over it, cells run
// (checked clean, then committed), and code with a `|` marking the cursor.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { SessionLanguageService } from "../../../src/language/session-service.js";
import { CELL_API_DTS } from "../../../src/runtime/api-types.js";

/** Creating a session loads lib files and @types/node (~1–3 s on a busy machine). */
export const SESSION_TIMEOUT = 60_000;

/** A fresh notebook folder holding `files` (paths relative to it). */
export function notebookDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "tsloop-language-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export function newSession(files: Record<string, string> = {}): SessionLanguageService {
  return new SessionLanguageService({ cwd: notebookDir(files), extraGlobals: CELL_API_DTS });
}

/** Check each cell (failing on any diagnostic) and commit it, as the kernel does for cells that ran. */
export function run(session: SessionLanguageService, ...cells: string[]): void {
  for (const [i, code] of cells.entries()) {
    const diagnostics = session.check(code, `cell_${i}`);
    if (diagnostics.length > 0) throw new Error(`expected ${JSON.stringify(code)} to check clean, got ${JSON.stringify(diagnostics)}`);
    session.commit(code, i);
  }
}

/** `"fs.re|"` → `{ code: "fs.re", cursor: 5 }` (the cursor as a UTF-16 offset). */
export function atCursor(marked: string): { code: string; cursor: number } {
  const cursor = marked.indexOf("|");
  if (cursor === -1) throw new Error(`no | cursor in ${JSON.stringify(marked)}`);
  return { code: marked.slice(0, cursor) + marked.slice(cursor + 1), cursor };
}

/** Completion matches at the `|` in `marked`. */
export function matchesAt(session: SessionLanguageService, marked: string): string[] {
  const { code, cursor } = atCursor(marked);
  return session.complete(code, cursor).matches;
}
