// Modules the kernel provides by bare name (the `tslab` compatibility module), for the session's language service:
// an import of such a name that resolves to nothing else resolves to a virtual declaration file, so a real package
// installed in the notebook's folder (or later, after `npm install`) always wins, for the checker as for the runtime.
import ts from "typescript";
import { type SessionHost, VIRTUAL_PREFIX } from "./host.js";

/**
 * Adds `modules` (bare specifier → declaration text) to `host` as fallbacks: each becomes a virtual `.d.ts` in the
 * notebook's folder `cwd`, and the host's module resolution answers with it when the specifier resolves to nothing.
 * The host's own resolution is kept and wrapped (it is this session's host object; nothing else is touched).
 */
export function addFallbackModules(host: SessionHost, cwd: string, modules: Readonly<Record<string, string>>): void {
  const fallbacks = new Map<string, string>();
  for (const [specifier, declarations] of Object.entries(modules)) {
    const fileName = `${cwd}/${VIRTUAL_PREFIX}module_${specifier.replace(/[^a-z0-9_-]/gi, "_")}.d.ts`;
    host.setFile(fileName, declarations);
    fallbacks.set(specifier, fileName);
  }
  if (fallbacks.size === 0) return;
  const resolve = host.resolveModuleNameLiterals.bind(host);
  host.resolveModuleNameLiterals = (literals, ...rest) =>
    resolve(literals, ...rest).map((result, i) => {
      const fallback = result.resolvedModule === undefined ? fallbacks.get(literals[i]?.text ?? "") : undefined;
      if (fallback === undefined) return result;
      return { ...result, resolvedModule: { resolvedFileName: fallback, extension: ts.Extension.Dts, isExternalLibraryImport: false } };
    });
}
