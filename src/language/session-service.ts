// One TypeScript language service for a whole notebook session. Each cell is checked as a module; a committed
// cell's declarations become a virtual `.d.mts` whose `declare global` block holds the names that are the
// session's latest, so later cells see them as globals. The design is in docs/language-service.md.
import ts from "typescript";
import type { CellRunId } from "../session/plan.js";
import type { CellDiagnostic } from "../compiler/types.js";
import type { CompleteReplyOk, InspectReplyOk, IsCompleteReply } from "../protocol/messages.js";
import { readCellShape, type CellShape } from "./cell-shape.js";
import { CellView } from "./cell-view.js";
import { sessionCompilerOptions } from "./compiler-options.js";
import { completeAt } from "./completion.js";
import { parseDeclarations } from "./declaration-file.js";
import { cellDiagnostics, computeLineStarts, lineAndColumn } from "./diagnostics.js";
import { floatingPromises } from "./floating-promises.js";
import { addFallbackModules } from "./fallback-modules.js";
import { SessionHost, VIRTUAL_PREFIX } from "./host.js";
import { inspectAt } from "./inspect.js";
import { isComplete } from "./is-complete.js";
import { SessionTable, type CommittedCell } from "./session-table.js";
import { SESSION_JSDOC_MODE, type SharedDocuments, offerDocuments, reusableResolutions, sharedResolutions, takeDocuments } from "./shared-documents.js";
import { log } from "../wire/log.js";

export interface SessionLanguageServiceOptions {
  /** the notebook's folder: relative imports, node_modules, @types and tsconfig.json are found from here */
  cwd: string;
  /** declaration-file text of the kernel's cell API (global declarations every cell sees) */
  extraGlobals?: string;
  /** declarations of modules the kernel provides by bare name, used when that name resolves to no package */
  fallbackModules?: Readonly<Record<string, string>>;
  /** cells are JavaScript (`.mjs` files, checked only under `// @ts-check`; types inferred and read from JSDoc) */
  javascript?: boolean;
}

/** File names: cells are ES modules (`.mts`), or `.tsx` when the tsconfig enables JSX (no `.mtsx` exists). */
interface Extensions {
  input: string;
  declaration: string;
  specifier: string;
}
const MODULE_EXTENSIONS: Extensions = { input: ".mts", declaration: ".d.mts", specifier: ".mjs" };
const JSX_EXTENSIONS: Extensions = { input: ".tsx", declaration: ".d.ts", specifier: ".js" };
const JS_EXTENSIONS: Extensions = { input: ".mjs", declaration: ".d.mts", specifier: ".mjs" };

/** What warmUp() completes and emits (in the input file, which the next request replaces). */
const WARM_UP_MEMBER = "[1].";
const WARM_UP_DECLARATION = "export const warm = { up: [1] };";

/**
 * How many committed cells' files are made roots ahead of their cells, as empty modules. TypeScript reuses a
 * program's structure only when its root files are the ones of the last program; a new root makes it walk every
 * file's references and imports again (lib, @types/node: ~10 ms a cell, 8 of a cell's ~15 ms at cell 200). The
 * placeholder has the shape of a committed cell's file (a `declare global` block, no imports), so filling it in
 * keeps the structure too.
 */
const RESERVED_CELLS = 32;
const RESERVED_TEXT = "declare global {}\nexport {};\n";

/** "Cannot find module …" (2307), "… Did you mean to set moduleResolution …" (2792) */
const UNRESOLVED_IMPORT_CODES = new Set([2307, 2792]);

export class SessionLanguageService {
  /** the tsconfig.json whose notebook-relevant settings are honoured, if any */
  readonly configFile: string | undefined;
  /** problems reading that tsconfig.json */
  readonly warnings: readonly string[];

  /** the notebook's folder, as TypeScript writes paths */
  readonly cwd: string;
  private readonly host: SessionHost;
  private readonly service: ts.LanguageService;
  /** drops a warm-up's hold on shared documents, once this service's first program holds them (shared-documents.ts) */
  private warmUpDocuments: SharedDocuments | undefined;
  private documents!: ts.DocumentRegistry;
  private readonly table = new SessionTable();
  private readonly cellsByFile = new Map<string, CommittedCell>();
  private readonly ext: Extensions;
  private readonly inputFile: string;
  private readonly globalsFile: string;
  private readonly jsx: boolean;
  private readonly javascript: boolean;
  private lastView: CellView | undefined;
  /** the last check found an import it could not resolve */
  private unresolvedImports = false;
  /** files of cell runs to come that are roots already, as RESERVED_TEXT (reserveRoot) */
  private readonly reserved = new Set<string>();
  /** the program's files other than the session's own at the last commit (globalsMayHaveChanged) */
  private outsideFiles: readonly ts.SourceFile[] | undefined;

  constructor(options: SessionLanguageServiceOptions) {
    this.cwd = ts.sys.resolvePath(options.cwd).replace(/\\/g, "/");
    const settings = sessionCompilerOptions(this.cwd);
    // JavaScript cells: .mjs files, types from inference and JSDoc, checked only under `// @ts-check`; no JSX.
    this.javascript = options.javascript === true;
    if (this.javascript) Object.assign(settings.options, { allowJs: true, checkJs: false, jsx: undefined });
    this.configFile = settings.configFile;
    this.warnings = settings.warnings;
    this.jsx = settings.options.jsx !== undefined && settings.options.jsx !== ts.JsxEmit.None;
    this.ext = this.jsx ? JSX_EXTENSIONS : MODULE_EXTENSIONS;
    if (this.javascript) this.ext = JS_EXTENSIONS;
    // The documents (and resolutions) a warm-up left, before the host: it starts from those resolutions when it may.
    const documents = takeDocuments(this.cwd, SESSION_JSDOC_MODE);
    const resolutions = reusableResolutions(documents.resolutions, settings.options);
    if (documents.resolutions) log.debug(`module resolutions of the warm-up: ${resolutions ? "reused" : "not reused (other options, or packages changed)"}`);
    this.host = new SessionHost(this.cwd, settings.options, resolutions);
    this.service = this.createService(documents);
    this.globalsFile = this.virtualPath("globals.d.ts");
    this.inputFile = this.virtualPath(`input${this.ext.input}`);
    // The globals file is always there (possibly empty): it is the global scope's location for collisions().
    this.host.setFile(this.globalsFile, options.extraGlobals ?? "");
    this.host.setFile(this.inputFile, "");
    for (const file of [this.globalsFile, this.inputFile]) this.host.addRoot(file);
    addFallbackModules(this.host, this.cwd, options.fallbackModules ?? {});
  }

  /** Type and syntax errors of a cell against the session so far. Whether to check a cell at all (`// @ts-nocheck`,
   *  `// @ts-check` in JavaScript) is the caller's decision, from the cell's plan (src/session/plan.ts). */
  check(code: string, _cellName: string): CellDiagnostic[] {
    // An import the last check could not resolve is looked up again (a package installed since), also in the same
    // text; otherwise an unchanged cell keeps its program (a new one for every check cost ~25 ms and its garbage).
    this.host.resolveImportsAgain(this.unresolvedImports ? this.inputFile : undefined);
    const view = this.load(code);
    const syntactic = this.service.getSyntacticDiagnostics(this.inputFile);
    const diagnostics = syntactic.length > 0 ? syntactic : this.service.getSemanticDiagnostics(this.inputFile);
    this.unresolvedImports = diagnostics.some((d) => UNRESOLVED_IMPORT_CODES.has(d.code));
    const found = cellDiagnostics(diagnostics, view, this.table);
    if (found.some((d) => d.category === "error")) return found;
    return [...found, ...this.floating(view)];
  }

  /** Warnings (not errors) for promises the cell drops on the floor: see floating-promises.ts. */
  private floating(view: CellView): CellDiagnostic[] {
    const program = this.service.getProgram();
    if (!program) return [];
    const lineStarts = computeLineStarts(view.code);
    return floatingPromises(program, this.inputFile, view, (offset) => lineAndColumn(lineStarts, offset));
  }

  /** The cell ran: its top-level declarations replace same-named ones of earlier cells for later cells. A cell
   *  that failed passes the names whose initialisers never ran as `dropped`: they stay module-level in its file.
   *  `run` is the cell run's identity (its declaration file is `__tsloop_cell_<run>`): each is committed once, in
   *  increasing order. */
  commit(code: string, run: CellRunId, dropped: readonly string[] = []): void {
    const last = this.table.lastId();
    if (!Number.isSafeInteger(run) || run < 0 || (last !== undefined && run <= last)) {
      throw new Error(`cannot commit cell run ${run}: runs are committed once each, in increasing order (the last was ${last})`);
    }
    const view = this.load(code);
    const names = dropped.length === 0 ? view.shape.names : new Map([...view.shape.names].filter(([name]) => !dropped.includes(name)));
    const replaced = new Map<string, string>();
    for (const name of names.keys()) {
      const owner = this.table.globalOwnerOf(name);
      if (owner !== undefined) replaced.set(name, owner.specifier);
    }
    const declarations = parseDeclarations(this.emitDeclarations(view), names, replaced, this.importTargets());
    const collisions = this.collisions(names);
    const fileName = this.cellFile(run);
    const specifier = `./${VIRTUAL_PREFIX}cell_${run}${this.ext.specifier}`;
    const cell: CommittedCell = { id: run, fileName, specifier, names, declarations, injected: new Map() };
    this.cellsByFile.set(fileName, cell);
    this.reserveRoot(run);
    for (const changed of this.table.commit(cell, collisions)) this.host.setFile(changed.fileName, this.table.render(changed));
    this.lastView = undefined;
    this.host.refreshDisk("all");
  }

  /** Completions at `cursor`, a UTF-16 offset into `code`. */
  complete(code: string, cursor: number): CompleteReplyOk {
    const view = this.load(code);
    return completeAt({ service: this.service, fileName: this.inputFile, view, table: this.table }, clamp(cursor, code));
  }

  /** Signature and documentation of the name at `cursor`, a UTF-16 offset into `code`. */
  inspect(code: string, cursor: number, detailLevel: 0 | 1): InspectReplyOk {
    const view = this.load(code);
    const context = {
      service: this.service,
      fileName: this.inputFile,
      view,
      table: this.table,
      cellOfFile: (fileName: string) => this.cellsByFile.get(fileName),
    };
    return inspectAt(context, clamp(cursor, code), detailLevel);
  }

  /** Whether the code is ready to run, needs more lines, or cannot become valid. */
  isComplete(code: string): IsCompleteReply {
    return isComplete(code, this.jsx);
  }

  /**
   * Load the lib files and Node's types ahead of the first cell, and run once what the first cells will (a member
   * completion, a cell's declaration emit), so that their code is compiled before a user waits on it: cold, the
   * first completion after a cell took ~170 ms of ~50, and JupyterLab drops a completion that takes over 1 s.
   * Leaves the session's types as they were.
   */
  warmUp(): void {
    this.check("", "warm-up");
    this.complete(WARM_UP_MEMBER, WARM_UP_MEMBER.length);
    this.emitDeclarations(this.load(WARM_UP_DECLARATION));
  }

  /**
   * Parses and binds the lib files and Node's types for the next session service of this process (which may have
   * another folder): a service for `options` checks an empty cell, and its documents are offered to the next one
   * (src/language/shared-documents.ts). Used to warm the language process's start-up snapshot.
   */
  static warmSharedDocuments(options: SessionLanguageServiceOptions): void {
    const warm = new SessionLanguageService(options);
    // Only a check: a completion leaves an Intl.Collator behind, which V8 cannot put in a snapshot (the build aborts).
    warm.check("", "warm-up");
    const files = new Set(warm.service.getProgram()?.getSourceFiles());
    const resolutions = sharedResolutions(warm.host.resolutions(), files);
    offerDocuments({ registry: warm.documents, release: () => warm.service.dispose(), files, resolutions });
  }

  /** Names the session knows, each from the cell that declared it last. */
  sessionNames(): string[] {
    return this.table.names();
  }

  /**
   * A language service over the session's host; its registry and the host parse JSDoc alike (TypeScript asserts it).
   * JSDoc is not parsed in the program: checking and completion of TypeScript never read it, and skipping it cuts the
   * first check's parse of lib + @types/node (2.9 MB, mostly comments) by ~0.4 s of CPU. ParseForTypeInfo skips JSDoc
   * in .ts/.d.ts files but keeps it in JavaScript cells, whose types it carries. Inspection reads a declaration's
   * JSDoc from the statement that declares the name (documentation.ts).
   */
  private createService(documents: SharedDocuments): ts.LanguageService {
    this.host.jsDocParsingMode = SESSION_JSDOC_MODE;
    this.warmUpDocuments = documents.files.size > 0 ? documents : undefined;
    this.documents = documents.registry;
    return ts.createLanguageService(this.host, documents.registry);
  }

  /** Put `code` with its prelude into the input file (unchanged text keeps the program and checker). */
  private load(code: string): CellView {
    this.host.refreshDisk("local");
    if (this.lastView?.code === code && this.host.getFileText(this.inputFile) === this.lastView.text) return this.lastView;
    const shape = readCellShape(code, this.inputFile);
    const view = new CellView(shape, exportLine(shape) + this.table.prelude(shape.names, this.javascript));
    this.host.setFile(this.inputFile, view.text);
    this.lastView = view;
    if (this.warmUpDocuments) {
      // This service's first program now holds the shared documents it uses: the warm-up can let go of them.
      const files = this.service.getProgram()?.getSourceFiles() ?? [];
      const reused = files.filter((f) => this.warmUpDocuments?.files.has(f)).length;
      log.debug(`first program: ${reused} of ${files.length} files were parsed and bound before (shared documents)`);
      this.warmUpDocuments.release();
      this.warmUpDocuments = undefined;
    }
    return view;
  }

  /** The input file's declarations; when TypeScript cannot emit them, the cell's names become `any`. */
  private emitDeclarations(view: CellView): string {
    try {
      const output = this.service.getEmitOutput(this.inputFile, true, true);
      const dts = output.outputFiles.find((f) => f.name.endsWith(this.ext.declaration));
      if (dts !== undefined) return dts.text;
    } catch {
      // fall through: a TypeScript crash must not lose the cell's names
    }
    return fallbackDeclarations(view.shape);
  }

  /** What each import binding of the input file stands for (symbol flags of its target). */
  private importTargets(): Map<string, ts.SymbolFlags> {
    const targets = new Map<string, ts.SymbolFlags>();
    const program = this.service.getProgram();
    const file = program?.getSourceFile(this.inputFile);
    if (program === undefined || file === undefined) return targets;
    const checker = program.getTypeChecker();
    for (const statement of file.statements) {
      for (const id of importBindings(statement)) {
        const alias = checker.getSymbolAtLocation(id);
        if (alias !== undefined && alias.flags & ts.SymbolFlags.Alias) targets.set(id.text, checker.getAliasedSymbol(alias).flags);
      }
    }
    return targets;
  }

  /**
   * Names of the session or of the new cell that a global from elsewhere (lib, @types, the cell API, a
   * package's `declare global`) already uses; read from the current program. Session names are looked at again only
   * when a global may have come since the last commit (a file outside the session's own changed, or the cell
   * declares globals itself); otherwise only the new cell's names are (listing every global in scope was ~2.5 ms of
   * each commit).
   */
  private collisions(newNames: ReadonlyMap<string, unknown>): Set<string> {
    const program = this.service.getProgram();
    const scope = program?.getSourceFile(this.globalsFile);
    const taken = new Set<string>();
    if (program === undefined || scope === undefined) return taken;
    const checker = program.getTypeChecker();
    const meaning = ts.SymbolFlags.Value | ts.SymbolFlags.Type | ts.SymbolFlags.Namespace | ts.SymbolFlags.Alias;
    const elsewhere = (symbol: ts.Symbol): boolean => (symbol.declarations ?? []).some((d) => !this.cellsByFile.has(d.getSourceFile().fileName));
    if (!this.globalsMayHaveChanged(program)) {
      for (const name of newNames.keys()) {
        const symbol = checker.resolveName(name, scope, meaning, false);
        if (symbol !== undefined && elsewhere(symbol)) taken.add(name);
      }
      return taken;
    }
    for (const symbol of checker.getSymbolsInScope(scope, meaning)) {
      const name = symbol.getName();
      if (!newNames.has(name) && this.table.ownerOf(name) === undefined) continue;
      if (elsewhere(symbol)) taken.add(name);
    }
    return taken;
  }

  /** Whether the program has a file other than the session's own (committed cells, reserved ones) that the last
   *  commit's had not, or lost one, or the checked cell declares globals; remembers this program's files. */
  private globalsMayHaveChanged(program: ts.Program): boolean {
    const input = program.getSourceFile(this.inputFile);
    const outside = program.getSourceFiles().filter((f) => f !== input && !this.cellsByFile.has(f.fileName) && !this.reserved.has(f.fileName));
    const last = this.outsideFiles;
    this.outsideFiles = outside;
    const declaresGlobals = input?.statements.some((s) => ts.isModuleDeclaration(s) && (s.flags & ts.NodeFlags.GlobalAugmentation) !== 0) ?? true;
    return declaresGlobals || last === undefined || last.length !== outside.length || outside.some((f, i) => f !== last[i]);
  }

  /** Make run `run`'s file a root; when it is not one already, also those of the next runs (RESERVED_CELLS), and
   *  drop the reserved files of runs that committed nothing: one rebuild of the program's structure per range. */
  private reserveRoot(run: CellRunId): void {
    const fileName = this.cellFile(run);
    if (this.reserved.delete(fileName)) return;
    for (const unused of this.reserved) this.host.removeFile(unused);
    this.reserved.clear();
    this.host.addRoot(fileName);
    for (let next = run + 1; next < run + RESERVED_CELLS; next++) {
      const reserved = this.cellFile(next);
      this.host.setFile(reserved, RESERVED_TEXT);
      this.host.addRoot(reserved);
      this.reserved.add(reserved);
    }
  }

  private cellFile(run: CellRunId): string {
    return this.virtualPath(`cell_${run}${this.ext.declaration}`);
  }

  private virtualPath(name: string): string {
    return `${this.cwd}/${VIRTUAL_PREFIX}${name}`;
  }
}

/** `export { a, b };` for the cell's top-level names that have no `export` modifier. */
function exportLine(shape: CellShape): string {
  const names = [...shape.names.values()].filter((n) => !n.exported).map((n) => n.name);
  return names.length > 0 ? `export { ${names.join(", ")} };\n` : "";
}

function importBindings(statement: ts.Statement): ts.Identifier[] {
  if (ts.isImportEqualsDeclaration(statement)) return [statement.name];
  if (!ts.isImportDeclaration(statement) || statement.importClause === undefined) return [];
  const { name, namedBindings } = statement.importClause;
  const ids = name ? [name] : [];
  if (namedBindings && ts.isNamespaceImport(namedBindings)) ids.push(namedBindings.name);
  if (namedBindings && ts.isNamedImports(namedBindings)) ids.push(...namedBindings.elements.map((e) => e.name));
  return ids;
}

function fallbackDeclarations(shape: CellShape): string {
  let text = "";
  for (const { name, kinds } of shape.names.values()) {
    if (kinds.has("type") || kinds.has("class") || kinds.has("enum")) text += `export type ${name} = any;\n`;
    if (!kinds.has("type") || kinds.size > 1) text += `export declare const ${name}: any;\n`;
  }
  return text || "export {};\n";
}

function clamp(cursor: number, code: string): number {
  return Math.max(0, Math.min(cursor, code.length));
}
