// Notebooks written the way tslab, jslab and Deno users write them (test/fixtures/compat, written for these tests)
// run unchanged: each is executed by `tsloop run`, by nbclient (Debian's python3-nbclient) and by the validating
// test client, and every output of every cell is checked — mime types and contents; the newDisplay() progress loop
// ends as one output updated in place; the type error stops only its cell.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KernelClient, LAUNCHER, REPO_ROOT, kernelBuilt, plain } from "../helpers/kernel-client.js";
import { JupyterEnv, PYTHON, pythonModule, shouldSkip } from "../helpers/jupyter-env.js";
import { EXPECTED, type Out, PROGRESS_CELL, TIMELINE, hasTimeline, normalise, type NotebookCell, withoutLoadWarnings } from "./compat-expected.js";

const FIXTURES = join(REPO_ROOT, "test", "fixtures", "compat");
const NOTEBOOKS = [
  { file: "tslab-style.ipynb", kernel: "tsloop", language: "typescript" },
  { file: "jslab-style.ipynb", kernel: "tsloop-js", language: "javascript" },
  { file: "deno-style.ipynb", kernel: "tsloop", language: "typescript" },
] as const;

const expected = (file: string, dir: string) => (EXPECTED[file] ?? (() => []))(dir);

const runE2E = kernelBuilt() || Boolean(process.env.CI);
const noNbclient = shouldSkip("compat-notebooks.test.ts", [pythonModule("nbclient", "python3-nbclient")]);

/** A fresh copy of the fixtures (the notebooks and dot.png) in a folder of its own, as a user's notebook folder. */
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "tsloop-compat-nb-"));
  cpSync(FIXTURES, dir, { recursive: true });
  return dir;
}

const codeCells = (path: string): string[] =>
  (JSON.parse(readFileSync(path, "utf8")) as { cells: NotebookCell[] }).cells.filter((c) => c.cell_type === "code").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));

const RUN_WITH_NBCLIENT = String.raw`
import json, os, sys
import nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
client = NotebookClient(nb, kernel_name=sys.argv[2], timeout=60, startup_timeout=60, allow_errors=True, resources={"metadata": {"path": os.path.dirname(sys.argv[1])}})
client.execute()
print(json.dumps({"cells": nb.cells, "language": nb.metadata.get("language_info", {}).get("name")}))
`;

describe.runIf(runE2E)("tslab, jslab and Deno notebooks under `tsloop run`", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it.each(NOTEBOOKS)("runs $file and writes every output as that kernel shows it", { timeout: 120_000 }, ({ file, language }) => {
    const dir = folder();
    dirs.push(dir);
    const out = join(dir, "executed.ipynb");
    const run = spawnSync(process.execPath, [LAUNCHER, "run", join(dir, file), "--allow-errors", "-o", out], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 110_000 });
    expect(run.status, `tsloop run exited with ${run.status}\n${run.stdout}\n${run.stderr}`).toBe(0);
    const executed = JSON.parse(readFileSync(out, "utf8")) as { cells: NotebookCell[]; metadata: { language_info?: { name?: string } } };
    expect(executed.metadata.language_info?.name).toBe(language);
    expect(normalise(executed.cells)).toEqual(expected(file, dir));
    if (file !== "deno-style.ipynb") expect(hasTimeline(executed.cells, PROGRESS_CELL)).toBe(true);
  });
});

describe.runIf(runE2E && !noNbclient)("tslab, jslab and Deno notebooks under nbclient", () => {
  let jupyter: JupyterEnv;
  beforeAll(() => {
    jupyter = JupyterEnv.create("compat-nbclient");
  });
  afterAll(() => jupyter?.dispose());

  it.each(NOTEBOOKS)("runs $file on the $kernel kernelspec with the same outputs", { timeout: 120_000 }, ({ file, kernel, language }) => {
    const dir = folder();
    const run = spawnSync(PYTHON, ["-c", RUN_WITH_NBCLIENT, join(dir, file), kernel], { encoding: "utf8", env: jupyter.env, cwd: dir, timeout: 110_000 });
    expect(run.status, `nbclient exited with ${run.status}; stderr:\n${run.stderr}`).toBe(0);
    const executed = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "") as { cells: NotebookCell[]; language: string };
    expect(executed.language).toBe(language);
    expect(normalise(executed.cells)).toEqual(expected(file, dir));
    if (file !== "deno-style.ipynb") expect(hasTimeline(executed.cells, PROGRESS_CELL)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe.runIf(runE2E)("tslab, jslab and Deno notebooks through the validating client", () => {
  it.each(NOTEBOOKS)("sends valid messages for $file, the progress display as one display_data and its updates", { timeout: 120_000 }, async ({ file, language }) => {
    const dir = folder();
    const kernel = await KernelClient.start({ cwd: dir, env: { TSLOOP_HISTORY: "off" }, args: language === "javascript" ? ["--language", "javascript"] : [] });
    try {
      const outs: Out[][] = [];
      for (const code of codeCells(join(dir, file))) {
        const cell = await kernel.execute(code, { stopOnError: false, timeoutMs: 60_000 });
        if (code.includes("newDisplay()")) {
          const ours = (m: { content: Record<string, unknown> }) => !(TIMELINE in (m.content.data as object));
          const shown = cell.outputs.displays.filter(ours);
          const updates = cell.outputs.updates.filter(ours);
          const ids = new Set([...shown, ...updates].map((m) => (m.content.transient as { display_id?: string }).display_id));
          expect(shown).toHaveLength(1);
          expect(updates.map((m) => (m.content.data as Record<string, string>)["text/plain"])).toEqual(["[#....] 20%", "[##...] 40%", "[###..] 60%", "[####.] 80%", "[#####] 100%"]);
          expect(ids.size).toBe(1);
        }
        outs.push(cell.iopub.filter((m) => !(TIMELINE in ((m.content.data ?? {}) as object))).flatMap((m) => asOutput(m.header.msg_type, m.content)));
      }
      // Applying the updates in place gives what the notebook runners wrote.
      expect(outs.map((o) => withoutLoadWarnings(applyUpdates(o)))).toEqual(expected(file, dir).map((c) => c.outputs));
      if (file === "deno-style.ipynb") await denoBeyondJupyter(kernel, dir);
      expect(kernel.violations).toEqual([]);
    } finally {
      await kernel.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The rest of Deno's runtime: a cell's read fails naming what exists; a library's runtime probe reads it as absent. */
async function denoBeyondJupyter(kernel: KernelClient, dir: string): Promise<void> {
  const touched = await kernel.execute('// @ts-nocheck (the checker stops it otherwise: TS2339)\nawait Deno.readTextFile("dot.png")', { stopOnError: false });
  expect(touched.outputs.errors[0]?.content).toMatchObject({ ename: "DenoUnsupported", evalue: expect.stringMatching(/^Deno\.readTextFile is not available in tsloop.*Deno\.jupyter\.display/) as unknown });
  mkdirSync(join(dir, "node_modules", "probe"), { recursive: true });
  writeFileSync(join(dir, "node_modules", "probe", "index.js"), "exports.runtime = () => (typeof Deno !== 'undefined' && Deno.build != null ? 'deno' : 'node');\n");
  const probed = await kernel.execute('// @ts-nocheck\nrequire("probe").runtime()');
  expect(plain(probed.outputs.results[0])).toBe("'node'");
  // broadcast: any message on iopub, parented to the cell (here a kernel-opened comm, which the validator checks).
  const sent = await kernel.execute('await Deno.jupyter.broadcast("comm_open", { comm_id: "deno-c1", target_name: "probe", data: { n: 1 } }, { metadata: { from: "deno" } });');
  const opened = sent.iopub.filter((m) => m.header.msg_type === "comm_open");
  expect(opened.map((m) => [m.content, m.metadata])).toEqual([[{ comm_id: "deno-c1", target_name: "probe", data: { n: 1 } }, { from: "deno" }]]);
}

/** An iopub message as a notebook output (with its display id until updates are applied), or nothing. */
function asOutput(type: string, content: Record<string, unknown>): (Out & { id?: string; update?: boolean })[] {
  const id = (content.transient as { display_id?: string } | undefined)?.display_id;
  if (type === "display_data" || type === "execute_result" || type === "update_display_data") {
    const [out] = normalise([{ cell_type: "code", source: "", outputs: [{ output_type: type === "update_display_data" ? "display_data" : type, data: content.data as Record<string, unknown> }] }])[0]?.outputs ?? [];
    return out ? [{ ...out, ...(id ? { id } : {}), ...(type === "update_display_data" ? { update: true } : {}) }] : [];
  }
  if (type === "stream") return [{ type: "stream", name: String(content.name), text: String(content.text) }];
  if (type === "error") return normalise([{ cell_type: "code", source: "", outputs: [{ output_type: "error", ename: String(content.ename), evalue: String(content.evalue) }] }])[0]?.outputs ?? [];
  return [];
}

/** What a notebook keeps: updates replace the output with their display id; consecutive stream text merges. */
function applyUpdates(outputs: (Out & { id?: string; update?: boolean })[]): Out[] {
  const shown: (Out & { id?: string })[] = [];
  for (const { update, ...out } of outputs) {
    const last = shown.at(-1);
    if (update) shown.forEach((o, i) => o.id === out.id && (shown[i] = out));
    else if (out.type === "stream" && last?.type === "stream" && last.name === out.name) last.text += out.text;
    else shown.push(out);
  }
  return shown.map(({ id: _id, ...out }) => out);
}
