// tsloop under Debian's headless notebook runners: `python3 -m nbconvert --execute` (nbclient inside) runs a
// notebook we write here with top-level await, Promise.all, display(html) and an interval started and cleared,
// and each cell's outputs land in that cell; nbclient's API fails with CellExecutionError carrying the
// TypeScript error (a thrown error, a type error), or with allow_errors saves it and runs on.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JupyterEnv, PYTHON, pythonModule, shouldSkip } from "../helpers/jupyter-env.js";

const skip = shouldSkip("nbclient.test.ts", [pythonModule("nbclient", "python3-nbclient"), pythonModule("nbconvert", "python3-nbconvert")]);


interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  execution_count?: number;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
interface Cell {
  cell_type: string;
  source: string | string[];
  execution_count?: number | null;
  outputs?: Output[];
}

const join_ = (text: string | string[] | undefined) => (Array.isArray(text) ? text.join("") : (text ?? ""));

function notebook(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tsloop", display_name: "TypeScript (tsloop)", language: "typescript" }, language_info: { name: "typescript" } },
    cells: cells.map((source, i) => ({ cell_type: "code", id: `cell-${i + 1}`, metadata: {}, source, execution_count: null, outputs: [] })),
  });
}

const stdout = (cell: Cell | undefined) =>
  (cell?.outputs ?? [])
    .filter((o) => o.output_type === "stream" && o.name === "stdout")
    .map((o) => join_(o.text))
    .join("");
const result = (cell: Cell | undefined) => join_(cell?.outputs?.find((o) => o.output_type === "execute_result")?.data?.["text/plain"]);

// nbclient's API: executes the notebook at argv[1]; prints one JSON line: the executed cells, or the error.
const RUN_WITH_NBCLIENT = String.raw`
import json, sys
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
nb = nbformat.read(sys.argv[1], as_version=4)
client = NotebookClient(nb, kernel_name="tsloop", timeout=30, startup_timeout=30, allow_errors=sys.argv[2] == "allow")
try:
    client.execute()
    print(json.dumps({"cells": nb.cells}))
except CellExecutionError as e:
    print(json.dumps({"error": type(e).__name__, "ename": e.ename, "evalue": e.evalue, "message": str(e), "cells": nb.cells}))
`;

describe.skipIf(skip)("tsloop under nbconvert --execute and nbclient", () => {
  let jupyter: JupyterEnv;

  beforeAll(() => {
    jupyter = JupyterEnv.create("nbclient");
  });
  afterAll(() => jupyter?.dispose());

  function nbclient(name: string, cells: string[], mode: "stop" | "allow") {
    const path = join(jupyter.work, `${name}.ipynb`);
    writeFileSync(path, notebook(cells));
    const run = spawnSync(PYTHON, ["-c", RUN_WITH_NBCLIENT, path, mode], { encoding: "utf8", env: jupyter.env, cwd: jupyter.work, timeout: 50_000 });
    expect(run.status, `nbclient exited with ${run.status}; stderr:\n${run.stderr}`).toBe(0);
    const last = run.stdout.trim().split("\n").at(-1) ?? "";
    return JSON.parse(last) as { cells: Cell[]; error?: string; ename?: string; evalue?: string; message?: string };
  }

  it("nbconvert --execute saves each cell's outputs in that cell", { timeout: 60_000 }, () => {
    const input = join(jupyter.work, "async.ipynb");
    writeFileSync(
      input,
      notebook([
        "const answer = await Promise.resolve(41) + 1;\nanswer",
        'const [a, b] = await Promise.all([sleep(60, "a"), sleep(20, "b")]);\nconsole.log(a + b);',
        'display(html("<b>bold</b>"));',
        'let ticks = 0;\nconst timer = setInterval(() => {\n  ticks++;\n  console.log("tick", ticks);\n  if (ticks === 3) clearInterval(timer);\n}, 20);\nawait sleep(300);\nticks',
        "answer + ticks",
      ]),
    );
    const converted = spawnSync(
      PYTHON,
      ["-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=tsloop", "--ExecutePreprocessor.timeout=30", "--output", "async.out.ipynb", input],
      { encoding: "utf8", env: jupyter.env, cwd: jupyter.work, timeout: 55_000 },
    );
    expect(converted.status, `nbconvert exited with ${converted.status}; stderr:\n${converted.stderr}`).toBe(0);
    const cells = (JSON.parse(readFileSync(join(jupyter.work, "async.out.ipynb"), "utf8")) as { cells: Cell[] }).cells;

    expect(cells.map((c) => c.execution_count)).toEqual([1, 2, 3, 4, 5]);
    expect(result(cells[0])).toBe("42");
    expect(cells[0]?.outputs?.map((o) => o.output_type)).toEqual(["execute_result"]);
    expect(stdout(cells[1])).toBe("ab\n");
    expect(cells[1]?.outputs?.some((o) => o.output_type === "execute_result")).toBe(false);
    expect(cells[2]?.outputs).toHaveLength(1);
    expect(cells[2]?.outputs?.[0]).toMatchObject({ output_type: "display_data" });
    expect(join_(cells[2]?.outputs?.[0]?.data?.["text/html"])).toBe("<b>bold</b>");
    expect(stdout(cells[3])).toBe("tick 1\ntick 2\ntick 3\n");
    expect(result(cells[3])).toBe("3");
    expect(result(cells[4])).toBe("45");
    for (const cell of cells) expect(cell.outputs?.filter((o) => o.output_type === "error")).toEqual([]);
  });

  it.each([
    ["a thrown error", 'function fail(): never {\n  throw new RangeError("out of range: 7");\n}\nfail();', "RangeError", /out of range: 7/],
    ["a type error", 'const n: number = "text";', undefined, /Type 'string' is not assignable to type 'number'/],
  ])("nbclient fails with CellExecutionError carrying %s, and later cells do not run", { timeout: 60_000 }, (_name, failing, ename, evalue) => {
    const run = nbclient(`fails-${ename ?? "type"}`, ['console.log("before")', failing, 'console.log("after")'], "stop");
    expect(run.error, JSON.stringify(run)).toBe("CellExecutionError");
    if (ename) expect(run.ename).toBe(ename);
    expect(run.evalue).toMatch(evalue);
    expect(stripVTControlCharacters(run.message ?? "")).toMatch(evalue);
    expect(stdout(run.cells[0])).toBe("before\n");
    const error = run.cells[1]?.outputs?.find((o) => o.output_type === "error");
    expect(error?.evalue).toMatch(evalue);
    expect(run.cells[2]?.outputs).toEqual([]);
  });

  it("with allow_errors, the error is saved in its cell and the next cells still run", { timeout: 60_000 }, () => {
    const run = nbclient("allow-errors", ['const kept = "kept";', 'throw new Error("boom in cell 2");', "kept"], "allow");
    expect(run.error).toBeUndefined();
    expect(run.cells[1]?.outputs?.[0]).toMatchObject({ output_type: "error", ename: "Error", evalue: "boom in cell 2" });
    expect(result(run.cells[2])).toBe("'kept'");
  });
});
