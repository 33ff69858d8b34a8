// Parsed and bound source files shared between language services of one process. TypeScript's DocumentRegistry
// hands the same SourceFile to every service whose compiler options parse files alike (same key) when the file's
// version is the same; binding lives on the nodes, so a shared file is bound once. The language process is started
// from a V8 snapshot that holds a registry warmed with the lib files and @types/node (src/host/language-snapshot.ts):
// the notebook's service then builds its first program from files already parsed and bound.
import { dirname } from "node:path";
import ts from "typescript";
import { type ResolutionCaches, installs } from "./host.js";
import { sortKeys } from "../protocol/json-keys.js";

/** The JSDoc mode sessions start in (see SessionLanguageService): a shared registry must parse alike. */
export const SESSION_JSDOC_MODE = ts.JSDocParsingMode.ParseForTypeInfo;

export interface SharedDocuments {
  registry: ts.DocumentRegistry;
  /** releases the warm-up's hold on its documents; they stay while a session service holds them too */
  release: () => void;
  /** the files the warm-up parsed (to count how many a session's first program reused) */
  files: ReadonlySet<ts.SourceFile>;
  /** the warm-up's module resolutions (sharedResolutions) */
  resolutions?: SharedResolutions;
}

/**
 * Module resolutions a warm-up made: mostly the imports of `@types/node`'s files, which its first program resolves
 * again otherwise (~50 ms of the first check, stat-ing node_modules folders up the tree). A session takes them only
 * when its compiler options are the warm-up's (`paths`, `typeRoots`, `customConditions`… change what a name resolves
 * to) and no package was installed or removed where those files look since (installs() of their folder).
 */
export interface SharedResolutions {
  options: ts.CompilerOptions;
  caches: ResolutionCaches;
  /** the folder of a shared file below node_modules, and installs() of it when the warm-up resolved */
  installedAt: { dir: string; marks: string } | undefined;
}

/** What a warm-up offers of its host's resolutions, given the files it parsed. */
export function sharedResolutions(resolutions: { options: ts.CompilerOptions; caches: ResolutionCaches }, files: ReadonlySet<ts.SourceFile>): SharedResolutions {
  const inPackages = [...files].find((f) => f.fileName.includes("/node_modules/@types/"));
  const dir = inPackages === undefined ? undefined : dirname(inPackages.fileName);
  return { ...resolutions, installedAt: dir === undefined ? undefined : { dir, marks: installs(dir) } };
}

/** The shared resolutions when a session with `options` may use them (see SharedResolutions). */
export function reusableResolutions(shared: SharedResolutions | undefined, options: ts.CompilerOptions): ResolutionCaches | undefined {
  if (shared?.installedAt === undefined) return undefined;
  if (JSON.stringify(sortKeys(shared.options)) !== JSON.stringify(sortKeys(options))) return undefined;
  if (installs(shared.installedAt.dir) !== shared.installedAt.marks) return undefined;
  return shared.caches;
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
