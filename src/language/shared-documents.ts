// Parsed and bound source files shared between language services of one process. TypeScript's DocumentRegistry
// hands the same SourceFile to every service whose compiler options parse files alike (same key) when the file's
// version is the same; binding lives on the nodes, so a shared file is bound once. The language process is started
// from a V8 snapshot that holds a registry warmed with the lib files and @types/node (src/host/language-snapshot.ts):
// the notebook's service then builds its first program from files already parsed and bound.
import ts from "typescript";

/** The JSDoc mode sessions start in (see SessionLanguageService): a shared registry must parse alike. */
export const SESSION_JSDOC_MODE = ts.JSDocParsingMode.ParseForTypeInfo;

export interface SharedDocuments {
  registry: ts.DocumentRegistry;
  /** releases the warm-up's hold on its documents; they stay while a session service holds them too */
  release: () => void;
  /** the files the warm-up parsed (to count how many a session's first program reused) */
  files: ReadonlySet<ts.SourceFile>;
}

let shared: SharedDocuments | undefined;

/** Keeps a warm-up's registry for the next session service of this process. */
export function offerDocuments(documents: SharedDocuments): void {
  shared?.release();
  shared = documents;
}

/** The warmed registry, once (the first session service takes it), or a new one. */
export function takeDocuments(cwd: string, jsDoc: ts.JSDocParsingMode): SharedDocuments {
  const offered = shared;
  if (offered && jsDoc === SESSION_JSDOC_MODE) {
    shared = undefined;
    return offered;
  }
  return { registry: ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, cwd, jsDoc), release: () => undefined, files: new Set() };
}
