// The script Node runs to build the language process's start-up snapshot:
//   node --snapshot-blob <file> --build-snapshot dist/host/language-snapshot-entry.js
// (src/host/language-snapshot.ts starts it). While a snapshot is built, `require` reaches only Node's built-in
// modules, so this file imports nothing else of ours at run time: it loads the language process's modules itself
// (a small CommonJS loader over files on disk), warms them (TypeScript loaded, the lib files and @types/node parsed
// and bound), records every file it loaded in a manifest (a changed file makes the snapshot stale), and sets the
// process's main. The heap as it then is becomes the snapshot; a process started from it runs `main()` at once.
// Node gives a builder's script only `require`, `__filename` and `__dirname`, no `exports`: the builder runs a
// generated wrapper that runs this file as CommonJS (src/host/language-snapshot.ts, `builderScript`).
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { startupSnapshot } from "node:v8";
import type * as LanguageProcess from "./language-process.js";
import type { SnapshotManifest } from "./language-snapshot.js";

interface LoadedModule {
  exports: unknown;
}

const modules = new Map<string, LoadedModule>();

function resolveFrom(dir: string, specifier: string): string {
  if (specifier.startsWith(".") || isAbsolute(specifier)) {
    const base = resolve(dir, specifier);
    for (const candidate of [base, `${base}.js`, `${base}.json`, join(base, "index.js")]) {
      if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
    }
    throw new Error(`cannot find module "${specifier}" from ${dir}`);
  }
  // A package: Node's own resolution (package.json "exports"/"main"), which only reads the disk.
  return createRequire(join(dir, "noop.js")).resolve(specifier);
}

/** CommonJS as Node runs it: the module wrapper's five names, one instance per file, circles see partial exports. */
function load(file: string): unknown {
  const known = modules.get(file);
  if (known) return known.exports;
  const module: LoadedModule = { exports: {} };
  modules.set(file, module);
  const text = readFileSync(file, "utf8");
  if (file.endsWith(".json")) {
    module.exports = JSON.parse(text);
    return module.exports;
  }
  const dir = dirname(file);
  const localRequire = Object.assign((specifier: string) => (isBuiltin(specifier) ? require(specifier) : load(resolveFrom(dir, specifier))), {
    resolve: (specifier: string) => (isBuiltin(specifier) ? specifier : resolveFrom(dir, specifier)),
  });
  const wrapper = new Function("exports", "require", "module", "__filename", "__dirname", `${text}\n//# sourceURL=${file}`);
  wrapper.call(module.exports, module.exports, localRequire, module, file, dir);
  return module.exports;
}

function build(): void {
  const manifestPath = process.env.TSLOOP_SNAPSHOT_MANIFEST;
  if (!manifestPath) throw new Error("TSLOOP_SNAPSHOT_MANIFEST is not set: src/host/language-snapshot.ts builds the snapshot");
  const program = load(join(__dirname, "language-process.js")) as typeof LanguageProcess;
  program.prepareSnapshot(process.cwd());
  const manifest: SnapshotManifest = {
    node: process.version,
    execPath: process.execPath,
    files: [...modules.keys()].map((path) => {
      const stat = statSync(path);
      return { path, size: stat.size, mtimeMs: stat.mtimeMs };
    }),
    ...hashSeedOf(process.execArgv),
  };
  writeFileSync(manifestPath, `${JSON.stringify(manifest)}\n`);
  startupSnapshot.setDeserializeMainFunction(() => program.main());
}

/** The hash seed this builder runs with, from its command line (none: V8 picked a random one). */
function hashSeedOf(execArgv: readonly string[]): { hashSeed?: number } {
  for (const arg of execArgv) {
    const seed = /^--hash-seed=(\d+)$/.exec(arg)?.[1];
    if (seed !== undefined) return { hashSeed: Number(seed) };
  }
  return {};
}

build();
