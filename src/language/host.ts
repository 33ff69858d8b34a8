// The LanguageServiceHost of a notebook session: virtual files (names starting with `__tsloop_`) live in
// memory inside the notebook's folder; every other file is read from disk once and cached with its mtime,
// so that TypeScript reuses the program and its source files when only the checked cell changes.
import { type Stats, statSync } from "node:fs";
import { dirname } from "node:path";
import ts from "typescript";

/** Prefix of every virtual file name; such files are never looked up on disk. */
export const VIRTUAL_PREFIX = "__tsloop_";

interface VirtualFile {
  text: string;
  version: number;
  snapshot: ts.IScriptSnapshot;
}

interface DiskFile {
  snapshot: ts.IScriptSnapshot;
  version: string;
  /** one of TypeScript's own lib files */
  library: boolean;
}

/** The module resolutions a host keeps across programs: Node's (the session's options) and the bundler-style retry. */
export interface ResolutionCaches {
  modules: ts.ModuleResolutionCache;
  bundler: ts.ModuleResolutionCache;
}

export class SessionHost implements ts.LanguageServiceHost {
  private readonly virtual = new Map<string, VirtualFile>();
  private readonly disk = new Map<string, DiskFile>();
  private readonly roots: string[] = [];
  private projectVersion = 0;
  /** How much JSDoc TypeScript parses (set by the session service, matching its document registry). */
  jsDocParsingMode: ts.JSDocParsingMode | undefined;
  /**
   * Kept across programs: without it TypeScript creates a cache per program and looks up the package.json
   * scope of every declaration file again on each check (~20 µs a file). Cleared by refreshDisk("all").
   */
  private readonly resolutionCache: ts.ModuleResolutionCache;
  /** the same for the bundler-style second try (resolveModuleNameLiterals): most bare names in @types/node fail
   *  the first try (they are ambient modules), and trying them again uncached was ~60 % of a program rebuild */
  private readonly bundlerCache: ts.ModuleResolutionCache;
  /** the compiler options of that second try */
  private readonly bundlerOptions: ts.CompilerOptions;
  private readonly libFolder: string;
  /** TypeScript asks for it many times per program (sorting the lib files), and computing it was ~1 ms of each */
  private readonly defaultLib: string;
  /** installs() when packages were last looked at: refreshDisk("all") does its full work only when it changed */
  private installed: string;
  /** the file whose imports the next program resolves again (resolveImportsAgain) */
  private invalidated: string | undefined;

  /**
   * @param cwd the notebook's folder, with forward slashes (as TypeScript writes paths)
   * @param caches resolutions made before with the same options (shared-documents.ts); new caches when absent
   */
  constructor(
    private readonly cwd: string,
    private readonly options: ts.CompilerOptions,
    caches?: ResolutionCaches,
  ) {
    const canonical = ts.sys.useCaseSensitiveFileNames ? (f: string) => f : (f: string) => f.toLowerCase();
    this.resolutionCache = caches?.modules ?? ts.createModuleResolutionCache(cwd, canonical, options);
    this.bundlerOptions = { ...options, ...BUNDLER };
    this.bundlerCache = caches?.bundler ?? ts.createModuleResolutionCache(cwd, canonical, this.bundlerOptions);
    this.defaultLib = ts.getDefaultLibFilePath(options);
    this.libFolder = dirname(this.defaultLib).replace(/\\/g, "/") + "/";
    this.installed = installs(cwd); // before any file is read: an install from now on is seen
  }

  /** The compiler options and the resolutions made with them, for the next session of the process to start from. */
  resolutions(): { options: ts.CompilerOptions; caches: ResolutionCaches } {
    return { options: this.options, caches: { modules: this.resolutionCache, bundler: this.bundlerCache } };
  }

  /** Whether `fileName` is one of the session's virtual files. */
  isVirtual(fileName: string): boolean {
    const slash = fileName.lastIndexOf("/");
    return fileName.slice(0, slash) === this.cwd && fileName.startsWith(VIRTUAL_PREFIX, slash + 1);
  }

  /** Create or replace a virtual file; returns false when the text is unchanged. */
  setFile(fileName: string, text: string): boolean {
    const existing = this.virtual.get(fileName);
    if (existing?.text === text) return false;
    this.virtual.set(fileName, { text, version: (existing?.version ?? 0) + 1, snapshot: ts.ScriptSnapshot.fromString(text) });
    this.projectVersion++;
    return true;
  }

  getFileText(fileName: string): string | undefined {
    return this.virtual.get(fileName)?.text;
  }

  /** The next program resolves the imports of `fileName` again, also when its text is the same (the checked cell run
   *  again after `npm install`: TypeScript would keep the failed resolution of the unchanged file); `undefined`:
   *  no file is resolved again. Set before each check. */
  resolveImportsAgain(fileName: string | undefined): void {
    this.invalidated = fileName;
    if (fileName !== undefined) this.projectVersion++;
  }

  /** (TypeScript calls it unbound) */
  hasInvalidatedResolutions = (path: ts.Path): boolean => path === this.invalidated;

  addRoot(fileName: string): void {
    if (this.roots.includes(fileName)) return;
    this.roots.push(fileName);
    this.projectVersion++;
  }

  /** Drop a virtual file and its place among the roots. */
  removeFile(fileName: string): void {
    const index = this.roots.indexOf(fileName);
    if (index >= 0) this.roots.splice(index, 1);
    if (this.virtual.delete(fileName) || index >= 0) this.projectVersion++;
  }

  /**
   * Forget cached disk files that changed since they were read. `"local"` looks only at files outside
   * node_modules and TypeScript's libs (the notebook's own modules, which the user edits between cells; a
   * few stat calls); `"all"` at every file, and forgets module resolutions (a package was installed) — when an
   * install may have happened since it last did (installs()): otherwise it is `"local"`. Stat-ing every file and
   * resolving every import again cost each cell ~50 ms of its next check or completion.
   */
  refreshDisk(scope: "local" | "all"): void {
    if (scope === "all") {
      const installed = installs(this.cwd);
      if (installed === this.installed) scope = "local";
      this.installed = installed;
    }
    let changed = false;
    for (const [fileName, file] of this.disk) {
      if (scope === "local" && (file.library || fileName.includes("/node_modules/"))) continue;
      if (file.version !== mtimeVersion(fileName)) {
        this.disk.delete(fileName);
        changed = true;
      }
    }
    if (scope === "all") {
      this.resolutionCache.clear();
      this.bundlerCache.clear();
    }
    if (changed) this.projectVersion++;
  }

  // ---- ts.LanguageServiceHost ----

  getCompilationSettings(): ts.CompilerOptions {
    return this.options;
  }

  getProjectVersion(): string {
    return String(this.projectVersion);
  }

  getScriptFileNames(): string[] {
    return this.roots;
  }

  getScriptVersion(fileName: string): string {
    const file = this.virtual.get(fileName);
    if (file !== undefined) return String(file.version);
    return this.readDisk(fileName)?.version ?? "";
  }

  getScriptSnapshot(fileName: string): ts.IScriptSnapshot | undefined {
    const file = this.virtual.get(fileName);
    if (file !== undefined) return file.snapshot;
    if (this.isVirtual(fileName)) return undefined;
    return this.readDisk(fileName)?.snapshot;
  }

  getCurrentDirectory(): string {
    return this.cwd;
  }

  getDefaultLibFileName(options: ts.CompilerOptions): string {
    return options === this.options ? this.defaultLib : ts.getDefaultLibFilePath(options);
  }

  getNewLine(): string {
    return "\n";
  }

  useCaseSensitiveFileNames(): boolean {
    return ts.sys.useCaseSensitiveFileNames;
  }

  fileExists(fileName: string): boolean {
    if (this.isVirtual(fileName)) return this.virtual.has(fileName);
    return ts.sys.fileExists(fileName);
  }

  readFile(fileName: string): string | undefined {
    if (this.isVirtual(fileName)) return this.virtual.get(fileName)?.text;
    return ts.sys.readFile(fileName);
  }

  directoryExists(directoryName: string): boolean {
    return ts.sys.directoryExists(directoryName);
  }

  getDirectories(directoryName: string): string[] {
    return ts.sys.getDirectories(directoryName);
  }

  readDirectory(
    path: string,
    extensions?: readonly string[],
    exclude?: readonly string[],
    include?: readonly string[],
    depth?: number,
  ): string[] {
    return ts.sys.readDirectory(path, extensions, exclude, include, depth);
  }

  getModuleResolutionCache(): ts.ModuleResolutionCache {
    return this.resolutionCache;
  }

  resolveModuleNameLiterals(
    literals: readonly ts.StringLiteralLike[],
    containingFile: string,
    redirectedReference: ts.ResolvedProjectReference | undefined,
    options: ts.CompilerOptions,
    containingSourceFile: ts.SourceFile,
  ): readonly ts.ResolvedModuleWithFailedLookupLocations[] {
    // The cell being checked resolves its imports afresh, so that a package installed since is found.
    const fresh = this.isVirtual(containingFile) && !/__tsloop_cell_\d/.test(containingFile);
    const cache = fresh ? undefined : this.resolutionCache;
    return literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, options);
      const resolved = ts.resolveModuleName(literal.text, containingFile, options, this, cache, redirectedReference, mode);
      if (resolved.resolvedModule !== undefined || !mayResolveAsBundler(literal.text)) return resolved;
      // `./helpers` (no extension) and `paths` targets without one, as ts-node, tslab and bundlers resolve them: the
      // runtime loads them the same way (src/runtime/imports.ts).
      const bundlerCache = fresh ? undefined : this.bundlerCache;
      const bundler = ts.resolveModuleName(literal.text, containingFile, this.bundlerOptions, this, bundlerCache, redirectedReference, mode);
      return bundler.resolvedModule !== undefined && !bundler.resolvedModule.isExternalLibraryImport ? bundler : resolved;
    });
  }

  realpath(path: string): string {
    if (this.isVirtual(path)) return path;
    return ts.sys.realpath ? ts.sys.realpath(path) : path;
  }

  private readDisk(fileName: string): DiskFile | undefined {
    const cached = this.disk.get(fileName);
    if (cached !== undefined) return cached;
    const stats = statSync(fileName, { throwIfNoEntry: false });
    if (!stats?.isFile()) return undefined; // not cached: the file may appear later
    const library = fileName.startsWith(this.libFolder);
    const file = { snapshot: new DiskSnapshot(fileName), version: versionOf(stats), library };
    this.disk.set(fileName, file);
    return file;
  }
}

/**
 * A file's text, read when TypeScript first asks for it. TypeScript asks for every file's snapshot when it builds a
 * program, but reads it only to parse: the lib files and `@types/node`, parsed in the start-up snapshot and shared
 * (shared-documents.ts), never are. Reading them anyway was ~30 ms of the first check and kept a second copy of their
 * ~3 MB of text in every session.
 */
class DiskSnapshot implements ts.IScriptSnapshot {
  private text: string | undefined;

  constructor(private readonly fileName: string) {}

  /** (a file gone since it was seen reads as empty; refreshDisk drops it at the next check) */
  private read(): string {
    this.text ??= ts.sys.readFile(this.fileName) ?? "";
    return this.text;
  }

  getText(start: number, end: number): string {
    return this.read().substring(start, end);
  }

  getLength(): number {
    return this.read().length;
  }

  getChangeRange(): ts.TextChangeRange | undefined {
    return undefined;
  }
}

const BUNDLER: ts.CompilerOptions = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };

/** A relative specifier without a file extension, or a bare one that tsconfig `paths` may map (not `node:x`). */
function mayResolveAsBundler(specifier: string): boolean {
  if (specifier.startsWith("./") || specifier.startsWith("../")) return !/\.[cm]?[jt]sx?$|\.json$/.test(specifier);
  return !specifier.startsWith("node:") && !specifier.startsWith("/");
}

/** Files every package manager changes on an install, in each node_modules folder where Node looks from `cwd`. */
const INSTALL_MARKS = ["", "/.package-lock.json", "/@types", "/.modules.yaml", "/.yarn-integrity", "/.yarn-state.yml"];

/**
 * A fingerprint of the packages visible from `cwd`: the mtimes of each node_modules folder from `cwd` up (adding or
 * removing a package changes its folder's entries), of its @types folder, and of the package managers' own records
 * there (npm's hidden lockfile, pnpm's and yarn's state files, rewritten by every install, also an upgrade in place).
 */
export function installs(cwd: string): string {
  const marks: string[] = [];
  for (let dir = cwd; ; dir = dirname(dir)) {
    const modules = `${dir === "/" ? "" : dir}/node_modules`;
    for (const mark of INSTALL_MARKS) marks.push(mtimeVersion(modules + mark));
    if (dirname(dir) === dir) return marks.join(",");
  }
}

/** A missing file is an answer, not an exception: most install marks do not exist, and a thrown ENOENT cost ~4 µs
 *  more per stat (installs() runs at every commit). */
function mtimeVersion(fileName: string): string {
  return versionOf(statSync(fileName, { throwIfNoEntry: false }));
}

function versionOf(stats: Stats | undefined): string {
  return stats === undefined ? "missing" : `disk:${stats.mtimeMs}`;
}
