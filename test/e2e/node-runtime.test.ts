// On a machine whose own Node is older than 22 (Node 20 is end-of-life; CI's Debian has it), the CLI still works and
// the kernel it installs or starts runs on the packaged Node 24 (the optional dependency node-<platform>-<arch>).
// Skipped when no Node older than 22 is on this machine (outside node_modules) — except under CI, where it must be.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { majorOf, packagedNode } from "../../src/client/kernel-node.js";
import { LAUNCHER, kernelBuilt } from "../helpers/kernel-client.js";

/** A node binary older than 22 on PATH (skipping node_modules) or in the usual places, else undefined. */
function oldNode(): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter((d) => d !== "" && !d.includes("node_modules")), "/usr/bin", "/usr/local/bin"];
  for (const dir of dirs) {
    const candidate = join(dir, "node");
    if (!existsSync(candidate)) continue;
    const probe = spawnSync(candidate, ["-p", "process.versions.node"], { encoding: "utf8" });
    if (probe.status === 0 && majorOf(probe.stdout.trim()) < 22) return candidate;
  }
  return undefined;
}

const node20 = oldNode();
const packaged = packagedNode();
const runHere = (node20 !== undefined && packaged !== null && kernelBuilt()) || Boolean(process.env.CI);
const tmp = mkdtempSync(join(tmpdir(), "tsloop-node-runtime-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the launcher on the old Node, with PATH holding no packaged node (as a user's shell outside npm). */
function onOldNode(args: string[]) {
  const path = (process.env.PATH ?? "").split(delimiter).filter((d) => !d.includes("node_modules")).join(delimiter);
  const result = spawnSync(node20 ?? "node", [LAUNCHER, ...args], { encoding: "utf8", cwd: tmp, env: { ...process.env, PATH: path }, timeout: 90_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.skipIf(!runHere)("the CLI on Node 20 runs the kernel on the packaged Node 24", () => {
  it("`tsloop install` writes the packaged Node's absolute path into the kernelspec", () => {
    expect(node20, "no Node older than 22 on this machine").toBeDefined();
    const result = onOldNode(["install", "--prefix", tmp]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const spec = JSON.parse(readFileSync(join(tmp, "share", "jupyter", "kernels", "tsloop", "kernel.json"), "utf8")) as { argv: string[] };
    expect(spec.argv[0]).toBe(packaged?.path);
    const version = spawnSync(spec.argv[0] ?? "", ["--version"], { encoding: "utf8" }).stdout.trim();
    expect(majorOf(version)).toBe(24);
  });

  it("`tsloop run` executes a notebook whose kernel reports Node 24 and has the kernelspec's env", { timeout: 90_000 }, () => {
    const notebook = join(tmp, "version.ipynb");
    const code = (source: string) => ({ cell_type: "code", metadata: {}, source, outputs: [], execution_count: null });
    const cells = [code("process.versions.node"), code("process.env.MALLOC_ARENA_MAX")];
    writeFileSync(notebook, JSON.stringify({ nbformat: 4, nbformat_minor: 4, metadata: {}, cells }));
    const result = onOldNode(["run", notebook, "--inplace", "--no-color", "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(notebook, "utf8")) as { cells: { outputs: { data?: Record<string, unknown> }[] }[] };
    const value = (i: number) => [saved.cells[i]?.outputs.map((o) => o.data?.["text/plain"]).find((t) => t !== undefined)].flat().join("");
    expect(value(0)).toMatch(/^'24\.\d+\.\d+'$/);
    expect(value(1)).toBe("'2'");
  });
});
