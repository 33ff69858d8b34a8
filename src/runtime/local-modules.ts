// Where a cell's local import points, resolved as TypeScript users write it (ts-node, tslab, Vite, bundlers):
// `./x` → ./x.ts, ./x.tsx, ./x.js, ./x/index.ts…; `./x.js` → ./x.ts when only that exists; a bare specifier that
// the notebook folder's tsconfig.json maps with `paths` → the mapped file, found the same way. The type checker
// resolves the same specifiers (src/language/host.ts: a bundler-style retry after Node's own resolution).
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";

export const TS_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts"];
const JS_EXTENSIONS = [".js", ".mjs", ".cjs", ".jsx"];
const HAS_EXTENSION = /\.(?:[cm]?[jt]sx?|json|node)$/;

type PathMap = { pattern: string; targets: string[] }[];

export class LocalModules {
  private pathMap: PathMap | undefined;

  constructor(private readonly cwd: string) {}

  /** The local file `specifier` names, or undefined when it is a package (or names nothing here). */
  resolve(specifier: string): string | undefined {
    if (specifier.startsWith("./") || specifier.startsWith("../") || isAbsolute(specifier)) return findFile(resolve(this.cwd, specifier));
    if (specifier.startsWith("node:")) return undefined;
    for (const { pattern, targets } of this.paths()) {
      const star = matchPattern(pattern, specifier);
      if (star === undefined) continue;
      for (const target of targets) {
        const found = findFile(target.replace("*", star));
        if (found) return found;
      }
    }
    return undefined;
  }

  /** `paths` of the nearest tsconfig.json (read once, with TypeScript's reader: comments, `extends`; TypeScript is
   *  loaded on the main thread only when there is such a file). */
  private paths(): PathMap {
    if (this.pathMap) return this.pathMap;
    this.pathMap = [];
    const configFile = nearestConfig(this.cwd);
    if (configFile === undefined) return this.pathMap;
    const ts = require("typescript") as typeof import("typescript");
    const read = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
    if (read.error !== undefined) return this.pathMap; // the type checker reports it
    const { options } = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configFile), undefined, configFile);
    const base = options.baseUrl ?? (options as { pathsBasePath?: string }).pathsBasePath ?? dirname(configFile);
    for (const [pattern, targets] of Object.entries(options.paths ?? {})) {
      this.pathMap.push({ pattern, targets: targets.map((t) => resolve(base, t)) });
    }
    return this.pathMap;
  }
}

function nearestConfig(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (isFile(resolve(dir, "tsconfig.json"))) return resolve(dir, "tsconfig.json");
    if (dirname(dir) === dir) return undefined;
  }
}

/** What `*` stands for when `specifier` matches `pattern` (`@lib/*`), "" for an exact match, else undefined. */
function matchPattern(pattern: string, specifier: string): string | undefined {
  const star = pattern.indexOf("*");
  if (star === -1) return pattern === specifier ? "" : undefined;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (specifier.length < prefix.length + suffix.length || !specifier.startsWith(prefix) || !specifier.endsWith(suffix)) return undefined;
  return specifier.slice(prefix.length, specifier.length - suffix.length);
}

/** The file a path names: itself, `.js` → `.ts`, or with an extension / as a folder's index added. */
function findFile(base: string): string | undefined {
  const candidates: string[] = [];
  if (HAS_EXTENSION.test(base)) {
    candidates.push(base);
    if (/\.[cm]?js$/.test(base)) candidates.push(base.replace(/\.([cm]?)js$/, ".$1ts"));
  } else {
    for (const ext of [...TS_EXTENSIONS, ...JS_EXTENSIONS]) candidates.push(base + ext);
    for (const ext of [".ts", ".tsx", ".js"]) candidates.push(resolve(base, `index${ext}`));
    candidates.push(base);
  }
  return candidates.find(isFile);
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}
