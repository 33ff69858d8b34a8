// Modules the kernel provides by bare name (the `tslab` compatibility module), for `import` and `require` from cells:
// used only when no package of that name resolves from the notebook's folder, so an installed package always wins.
import { createRequire } from "node:module";
import { join } from "node:path";
import { ModuleLoader } from "../imports.js";
import type { TypeScriptHook } from "../patches/typescript-hook.js";

export class FallbackModules {
  private readonly requireFromCwd: NodeJS.Require;
  private readonly made = new Map<string, unknown>();

  /** @param makers each module's factory, called on first use */
  constructor(
    cwd: string,
    private readonly makers: Readonly<Record<string, () => unknown>>,
  ) {
    this.requireFromCwd = createRequire(join(cwd, "__tsloop_notebook__.js"));
  }

  /** The module's exports for `require(specifier)`, or undefined when the cell should load it as usual. */
  require(specifier: unknown): { exports: unknown } | undefined {
    if (typeof specifier !== "string" || !Object.hasOwn(this.makers, specifier)) return undefined;
    try {
      this.requireFromCwd.resolve(specifier);
      return undefined; // a real package is installed: it wins
    } catch (err) {
      // Present but not loadable by require (an ESM-only package): let the usual loader import it.
      if ((err as { code?: string } | null)?.code !== "MODULE_NOT_FOUND") return undefined;
    }
    if (!this.made.has(specifier)) this.made.set(specifier, this.makers[specifier]?.());
    return { exports: this.made.get(specifier) };
  }

  /** The module's namespace for `import … from specifier` (a CommonJS module's: its exports plus `default`). */
  import(specifier: unknown): Promise<Record<string, unknown>> | undefined {
    const found = this.require(specifier);
    if (found === undefined) return undefined;
    const exports = found.exports as Record<string, unknown>;
    return Promise.resolve({ ...exports, default: exports });
  }
}

/** The runtime's module loader, with the kernel's own modules as fallbacks for names the folder cannot resolve. */
export class CompatModuleLoader extends ModuleLoader {
  private readonly fallbacks: FallbackModules;

  constructor(cwd: string, makers: Readonly<Record<string, () => unknown>>, tsHook?: TypeScriptHook) {
    super(cwd, tsHook);
    this.fallbacks = new FallbackModules(cwd, makers);
  }

  override import(specifier: string, load: (s: string) => Promise<unknown>): Promise<Record<string, unknown>> {
    return this.fallbacks.import(specifier) ?? super.import(specifier, load);
  }

  override require(specifier: string): unknown {
    const found = this.fallbacks.require(specifier);
    return found === undefined ? super.require(specifier) : found.exports;
  }
}
