// Imports from cells. Packages (CommonJS or ESM-only) go through the cell's own `import()` closure, so Node
// resolves them from the notebook's directory. Local TypeScript modules (./helpers.ts, ./helpers) load through
// ts-node's CommonJS hook (transpile only), which works whatever kind of folder the notebook is in.
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";

const TS_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts"];

export class ModuleLoader {
  private tsHookInstalled = false;
  private readonly requireFromCwd: NodeJS.Require;

  constructor(private readonly cwd: string) {
    this.requireFromCwd = createRequire(join(cwd, "__tsloop_notebook__.js"));
  }

  async import(specifier: string, load: (s: string) => Promise<unknown>): Promise<Record<string, unknown>> {
    if (typeof specifier !== "string") throw new TypeError(`import() expects a module name string, got ${typeof specifier}`);
    const local = this.localTypeScript(specifier);
    if (local) return namespaceOf(this.requireTs(local));
    try {
      return (await load(specifier)) as Record<string, unknown>;
    } catch (err) {
      throw this.explain(specifier, err);
    }
  }

  require(specifier: string): unknown {
    const local = this.localTypeScript(specifier);
    if (local) return this.requireTs(local);
    try {
      return this.requireFromCwd(specifier);
    } catch (err) {
      throw this.explain(specifier, err);
    }
  }

  /** A relative or absolute specifier that names a TypeScript file (with or without extension, or .js for .ts). */
  private localTypeScript(specifier: string): string | undefined {
    if (!(specifier.startsWith("./") || specifier.startsWith("../") || isAbsolute(specifier))) return undefined;
    const base = resolve(this.cwd, specifier);
    const candidates = [base];
    if (/\.(c|m)?js$/.test(base)) candidates.push(base.replace(/\.(c|m)?js$/, (_, p: string | undefined) => `.${p ?? ""}ts`));
    for (const ext of TS_EXTENSIONS) candidates.push(base + ext, join(base, `index${ext}`));
    for (const c of candidates) {
      if (TS_EXTENSIONS.some((e) => c.endsWith(e)) && isFile(c)) return c;
    }
    return undefined;
  }

  private requireTs(file: string): unknown {
    if (!this.tsHookInstalled) {
      // ts-node is a dependency for exactly this: a CommonJS require hook that transpiles local .ts files.
      const tsNode = require("ts-node") as typeof import("ts-node");
      tsNode.register({
        transpileOnly: true,
        skipProject: true,
        compilerOptions: { module: "commonjs", moduleResolution: "node10", target: "es2022", esModuleInterop: true, ignoreDeprecations: "6.0" },
      });
      this.tsHookInstalled = true;
    }
    return this.requireFromCwd(file);
  }

  private explain(specifier: string, err: unknown): Error {
    const code = (err as { code?: string } | null)?.code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      const relative = specifier.startsWith(".") || isAbsolute(specifier);
      const where = relative ? `relative to ${this.cwd}` : `in ${join(this.cwd, "node_modules")} or any parent folder's node_modules`;
      const hint = relative ? "" : ` Install it with \`npm install ${packageName(specifier)}\` in ${this.cwd}.`;
      const e = new Error(`Cannot find module '${specifier}': looked ${where}.${hint}`);
      e.name = "ModuleNotFoundError";
      return e;
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A CommonJS module's exports seen as an ES module namespace. */
function namespaceOf(exports: unknown): Record<string, unknown> {
  if (typeof exports === "object" && exports !== null) {
    const e = exports as Record<string, unknown>;
    return { ...e, default: e.__esModule && "default" in e ? e.default : exports };
  }
  return { default: exports };
}

export function defaultExport(ns: Record<string, unknown>): unknown {
  if (!("default" in ns)) return ns;
  const d = ns.default as Record<string, unknown> | null | undefined;
  if (d && typeof d === "object" && d.__esModule === true && "default" in d) return d.default;
  return d;
}

export function namedExport(ns: Record<string, unknown>, name: string): unknown {
  if (name in ns) return ns[name];
  const d = ns.default as Record<string, unknown> | null | undefined;
  if (d !== null && (typeof d === "object" || typeof d === "function") && name in d) return d[name];
  return undefined;
}
