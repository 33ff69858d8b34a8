// Local TypeScript modules for `require` and `import` from cells: ts-node's compiler service (transpile only) behind
// a CommonJS require hook of ours, installed through the process's patch owner on the first local `.ts` import.
// ts-node's own `register()` would take the process's `Error.prepareStackTrace`, `process.emit` and
// `Module._resolveFilename` (through source-map-support) for good; here `create()` runs with those side effects
// undone, the hook is a table entry per extension that uninstall removes, and each compiled module's source map goes
// to the kernel's own registry, which maps tracebacks into the module to its TypeScript lines (errors.ts).
import Module from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, join, sep } from "node:path";
import type { Service } from "ts-node";
import type { SourceMapRegistry } from "../source-maps.js";
import type { ProcessPatches } from "./owner.js";
import type { Patch, Uninstall } from "./table.js";

type LoadingModule = { _compile(code: string, fileName: string): unknown; parent?: { filename?: string } | null };
type Loader = (module: LoadingModule, fileName: string) => unknown;
const loaders = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;

/** ts-node's compiler options for notebook modules: CommonJS out, `jsx` so that it takes .tsx files too (JSX in them
 *  compiles to react/jsx-runtime calls). */
const COMPILER_OPTIONS = { module: "commonjs", moduleResolution: "node10", target: "es2022", esModuleInterop: true, ignoreDeprecations: "6.0", jsx: "react-jsx" };

/** Process-wide hooks that ts-node's `create()` changes as a side effect (it installs source-map-support). */
const CREATE_SIDE_EFFECTS: readonly (readonly [object, PropertyKey])[] = [
  [Error, "prepareStackTrace"],
  [process, "emit"],
  [Module, "_resolveFilename"],
];

export class TypeScriptHook {
  private uninstallHook: Uninstall | undefined;

  constructor(
    private readonly patches: ProcessPatches,
    private readonly maps: SourceMapRegistry,
  ) {}

  /** Installs the require hook unless it is installed. */
  ensure(): void {
    if (this.uninstallHook) return;
    const tsNode = require("ts-node") as typeof import("ts-node");
    const service = this.patches.undoSideEffects(CREATE_SIDE_EFFECTS, () => tsNode.create({ transpileOnly: true, skipProject: true, compilerOptions: COMPILER_OPTIONS }));
    this.uninstallHook = this.patches.install(extensionPatches(service, this.maps));
  }

  uninstall(): void {
    const uninstall = this.uninstallHook;
    this.uninstallHook = undefined;
    uninstall?.();
  }
}

/** The extensions ts-node compiles with these options (`jsx` set, `allowJs` not). */
const COMPILED = [".ts", ".tsx", ".cts", ".mts"];

/** A loader per extension ts-node compiles, chosen as its `register()` chooses: `.ts`, `.tsx`, and `.js` for the
 *  extensions Node has no loader for (`.cts`, `.mts`: Node loads unknown extensions with the `.js` loader). */
function extensionPatches(service: Service, maps: SourceMapRegistry): Patch[] {
  const extensions = new Set<string>(COMPILED);
  for (const ext of [".mts", ".cts"]) {
    if (extensions.delete(ext) && !Object.hasOwn(loaders, ext)) extensions.add(".js");
  }
  const jsLoader = loaders[".js"] as Loader;
  return [...extensions].map((ext): Patch => ({
    name: `Module._extensions['${ext}']`,
    target: loaders,
    key: ext,
    attributes: { enumerable: true, writable: true }, // Node tries the extensions it enumerates
    replacement: (real: unknown) => typeScriptLoader(service, maps, (real as Loader | undefined) ?? jsLoader),
  }));
}

function typeScriptLoader(service: Service, maps: SourceMapRegistry, next: Loader): Loader {
  return (module, fileName) => {
    if (service.ignored(fileName)) return next(module, fileName);
    assertLoadableAsCommonJs(module, fileName);
    const compile = module._compile;
    module._compile = function (this: LoadingModule, code: string, name: string) {
      const js = service.compile(code, name);
      maps.registerModule(name, js);
      return compile.call(this, js, name);
    };
    return next(module, fileName);
  };
}

/** As ts-node's hook: a `.mts` file, or a TypeScript file (not `.cts`) in a `"type": "module"` package, is an ES
 *  module, which this CommonJS hook must not load (Node's ERR_REQUIRE_ESM). */
function assertLoadableAsCommonJs(module: LoadingModule, fileName: string): void {
  const ext = extname(fileName);
  if (ext === ".cts" || (ext !== ".mts" && packageType(fileName) !== "module")) return;
  const parent = module.parent?.filename;
  const why = ext === ".mts" ? "a .mts file" : `a ${ext} file whose nearest package.json says "type": "module"`;
  const error = new Error(`Must use import to load ES Module: ${fileName}\nrequire() of ${fileName}${parent ? ` from ${parent}` : ""} is not supported: it is ${why}.`) as Error & {
    code: string;
  };
  error.code = "ERR_REQUIRE_ESM";
  throw error;
}

/** `type` of the package.json nearest to `fileName` (not looking past a node_modules folder). */
function packageType(fileName: string): unknown {
  for (let dir = dirname(fileName); ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { type?: unknown }).type;
    if (dir.endsWith(`${sep}node_modules`) || dirname(dir) === dir) return undefined;
  }
}
