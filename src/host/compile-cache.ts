// Node's module compile cache (Node ≥ 22.1): V8's code cache of every module this kernel loads, kept on disk, so
// that `typescript.js` (9 MB) is not compiled again at every start. One directory under the user's cache; the
// kernel's own worker threads get it through NODE_COMPILE_CACHE (module.enableCompileCache() covers only the
// calling thread), user code's processes and workers do not. NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node's own
// switch); a NODE_COMPILE_CACHE set by the user wins.
import * as nodeModule from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";

/** `<user cache>/tsloop`: XDG_CACHE_HOME or ~/.cache, ~/Library/Caches on macOS, LOCALAPPDATA on Windows. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const base =
    platform === "darwin"
      ? join(home, "Library", "Caches")
      : platform === "win32"
        ? (env.LOCALAPPDATA ?? join(home, "AppData", "Local"))
        : (env.XDG_CACHE_HOME ?? join(home, ".cache"));
  return join(base, "tsloop");
}

/** `<user cache>/tsloop/compile-cache` */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  return join(userCacheDir(env, platform, home), "compile-cache");
}

type EnableCompileCache = (dir?: string) => { status: number; message?: string; directory?: string };

/**
 * Turns the cache on for this thread; returns the directory in use (to hand to the kernel's workers), or undefined
 * when it is off (disabled, or a Node without the API). Never throws: a cache that cannot be written only costs speed.
 */
export function enableCompileCache(): string | undefined {
  const enable = (nodeModule as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
  if (typeof enable !== "function" || process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const { constants } = nodeModule as unknown as { constants: { compileCacheStatus: Record<string, number> } };
  const result = enable(process.env.NODE_COMPILE_CACHE ?? compileCacheDir());
  const ok = [constants.compileCacheStatus.ENABLED, constants.compileCacheStatus.ALREADY_ENABLED];
  return ok.includes(result.status) ? result.directory : undefined;
}
