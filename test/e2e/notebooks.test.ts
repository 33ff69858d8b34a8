// The teaching notebooks as end-to-end tests: they match their chapter sources, every one (and every solution)
// runs through `tsloop run` with stubs failing their checks and solutions passing them, every known wrong answer
// (scripts/notebooks/wrong/) fails its check under `tsloop grade`, and Debian's nbclient executes each one top
// to bottom through the installed kernelspec.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { kernelBuilt } from "../helpers/kernel-client.js";

const ROOT = resolve(__dirname, "..", "..");
const PYTHON = "/usr/bin/python3";
const hasNbclient = spawnSync(PYTHON, ["-c", "import nbclient, nbformat"]).status === 0;

function node(script: string, args: string[], timeout: number): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, encoding: "utf8", timeout });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe.runIf(kernelBuilt())("the teaching notebooks", () => {
  it("match their chapter sources (scripts/notebooks/build.mjs --check)", () => {
    const r = node("scripts/notebooks/build.mjs", ["--check"], 60_000);
    expect(r.status, r.output).toBe(0);
  });

  it("run through tsloop run: every stub fails its check, every solution passes, no cell fails", { timeout: 900_000 }, () => {
    const r = node("scripts/notebooks/verify.mjs", [], 880_000);
    expect(r.status, r.output.slice(-4000)).toBe(0);
  });

  it("reject every known wrong answer in their checks (scripts/notebooks/wrong.mjs, through tsloop grade)", { timeout: 600_000 }, () => {
    const r = node("scripts/notebooks/wrong.mjs", [], 580_000);
    expect(r.status, r.output.slice(-4000)).toBe(0);
    expect(r.output).not.toMatch(/^FAIL/m);
  });

  it.runIf(hasNbclient || process.env.CI)("execute top to bottom under Debian's nbclient", { timeout: 600_000 }, () => {
    const prefix = mkdtempSync(join(tmpdir(), "tsloop-nbclient-notebooks-"));
    execFileSync(process.execPath, [join(ROOT, "kernel", "tsloop.js"), "install", "--prefix", prefix]);
    const notebooks = readdirSync(join(ROOT, "notebooks"))
      .filter((n) => /^\d\d-.*\.ipynb$/.test(n))
      .map((n) => join(ROOT, "notebooks", n));
    const script = [
      "import sys, nbformat",
      "from nbclient import NotebookClient",
      "for path in sys.argv[1:]:",
      "    nb = nbformat.read(path, as_version=4)",
      "    NotebookClient(nb, kernel_name='tsloop', timeout=120, resources={'metadata': {'path': 'notebooks'}}).execute()",
      "    print('ok', path, flush=True)",
    ].join("\n");
    const r = spawnSync(PYTHON, ["-c", script, ...notebooks], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 580_000,
      env: { ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter"), JUPYTER_DATA_DIR: join(prefix, "data") },
    });
    expect(r.status, `${r.stdout}${r.stderr}`.slice(-4000)).toBe(0);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("ok ")).length).toBe(notebooks.length);
  });
});
