// Node's module compile cache: where its directory goes on each platform, and that the kernel's thread turns it on.
import { describe, expect, it } from "vitest";
import { compileCacheDir, enableCompileCache } from "../../../src/host/compile-cache.js";

describe("the compile cache's directory", () => {
  it.each([
    ["Linux", {}, "linux", "/home/ada/.cache/tsloop/compile-cache"],
    ["Linux with XDG_CACHE_HOME", { XDG_CACHE_HOME: "/xdg" }, "linux", "/xdg/tsloop/compile-cache"],
    ["macOS", { XDG_CACHE_HOME: "/ignored" }, "darwin", "/home/ada/Library/Caches/tsloop/compile-cache"],
  ] as const)("%s", (_name, env, platform, expected) => {
    expect(compileCacheDir(env, platform, "/home/ada")).toBe(expected);
  });

  it("is turned on in this thread and names the directory in use (NODE_COMPILE_CACHE wins)", () => {
    const dir = enableCompileCache();
    // vitest's own runner may have enabled it already: then Node reports that directory
    expect(typeof dir).toBe("string");
    // Node keeps its entries in a sub-directory per Node version
    expect((require("node:module") as { getCompileCacheDir(): string }).getCompileCacheDir().startsWith(dir ?? "?")).toBe(true);
  });
});
