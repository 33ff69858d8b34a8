// Imports from cells. Packages (CommonJS or ESM-only) go through the cell's own `import()` closure, so Node
// resolves them from the notebook's directory. Local modules are found as TypeScript users write them
// (./local-modules.ts: no extension, `.js` for `.ts`, tsconfig `paths`); local TypeScript modules load through the
// kernel's CommonJS hook over ts-node's compiler (transpile only, ./patches/typescript-hook.ts), which works whatever
// kind of folder the notebook is in.
import { createRequire } from "node:module";
import { isAbsolute, join } from "node:path";
import { pathToFileURL } from "node:url";
import { LocalModules, TS_EXTENSIONS } from "./local-modules.js";
import { processPatches } from "./patches/owner.js";
import { TypeScriptHook } from "./patches/typescript-hook.js";
import { SourceMapRegistry } from "./source-maps.js";

export class ModuleLoader {
  private readonly requireFromCwd: NodeJS.Require;
  private readonly local: LocalModules;

  /** @param tsHook loads local TypeScript modules (installed on the first one) */
  constructor(
    private readonly cwd: string,
    private readonly tsHook = new TypeScriptHook(processPatches, new SourceMapRegistry()),
  ) {
    this.requireFromCwd = createRequire(join(cwd, "__tsloop_notebook__.js"));
    this.local = new LocalModules(cwd);
  }

  /** Removes the TypeScript require hook, if it was installed. */
  dispose(): void {
    this.tsHook.uninstall();
  }

  async import(specifier: string, load: (s: string) => Promise<unknown>): Promise<Record<string, unknown>> {
    if (typeof specifier !== "string") throw new TypeError(`import() expects a module name string, got ${typeof specifier}`);
    const local = this.local.resolve(specifier);
    if (local && isTypeScript(local)) return namespaceOf(this.requireTs(local));
    try {
      // A local JavaScript file by its URL (Node's ESM loader would not add the extension); packages by name.
      return (await load(local ? pathToFileURL(local).href : specifier)) as Record<string, unknown>;
    } catch (err) {
      throw this.explain(specifier, err);
    }
  }

  require(specifier: string): unknown {
    const local = this.local.resolve(specifier);
    if (local && isTypeScript(local)) return this.requireTs(local);
    try {
      return this.requireFromCwd(local ?? specifier);
    } catch (err) {
      throw this.explain(specifier, err);
    }
  }

  private requireTs(file: string): unknown {
    this.tsHook.ensure();
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

function isTypeScript(file: string): boolean {
  return TS_EXTENSIONS.some((ext) => file.endsWith(ext)) && !/\.d\.[cm]?ts$/.test(file);
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
