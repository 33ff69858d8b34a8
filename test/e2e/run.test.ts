// `tsloop run` end to end: the real CLI (node kernel/tsloop.js run …) starting the real kernel. Guards the
// executed notebook (valid nbformat 4.5, outputs in the right cells, late output in the cell that started it),
// exit codes and messages for failing cells, bad notebooks and timeouts, and that no kernel process is left.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LAUNCHER, REPO_ROOT, kernelBuilt } from "../helpers/kernel-client.js";

const runE2E = kernelBuilt() || Boolean(process.env.CI);
const root = realpathSync(mkdtempSync(join(tmpdir(), "tsloop-run-e2e-")));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `tsloop run ARGS` and resolves when it exited (bounded: a hung runner is killed and fails the test). */
function tsloopRun(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [LAUNCHER, "run", ...args], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`tsloop run ${args.join(" ")} did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

let serial = 0;
/** A notebook of TypeScript code cells (and a markdown cell first) in its own folder; returns its path. */
function writeNotebook(sources: string[], raw?: string): string {
  const dir = join(root, `nb-${++serial}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "notebook.ipynb");
  const cells = [{ cell_type: "markdown", metadata: {}, source: "# test" }, ...sources.map((source) => ({ cell_type: "code", metadata: {}, source, outputs: [], execution_count: null }))];
  writeFileSync(path, raw ?? JSON.stringify({ nbformat: 4, nbformat_minor: 4, metadata: {}, cells }));
  return path;
}

interface Cell {
  id: string;
  cell_type: string;
  execution_count?: number | null;
  outputs?: { output_type: string; name?: string; text?: string[]; data?: Record<string, string[] | unknown>; ename?: string; evalue?: string; traceback?: string[] }[];
}
interface SavedNotebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, Record<string, unknown>>;
  cells: Cell[];
}

const read = (path: string) => JSON.parse(readFileSync(path, "utf8")) as SavedNotebook;
const TIMELINE_MIME = "application/vnd.tsloop.timeline.v1+json";
/** A cell's outputs other than the kernel's task timelines. */
const outputsOf = (cell: Cell | undefined) => (cell?.outputs ?? []).filter((o) => !(o.data && TIMELINE_MIME in o.data));
const text = (cell: Cell | undefined) =>
  outputsOf(cell).map((o) => (o.text ? o.text.join("") : o.data ? [o.data["text/plain"] ?? []].flat().join("") : `${o.ename}: ${o.evalue}`)).join("");

/** nbformat's own validator, when Debian's python3-nbformat is installed. */
function nbformatProblems(path: string): string | undefined {
  const probe = spawnSync("/usr/bin/python3", ["-c", "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], 4))", path], { encoding: "utf8" });
  if (probe.error || /No module named/.test(probe.stderr)) return undefined;
  return probe.status === 0 ? "" : probe.stderr;
}

/** Processes whose working directory is `dir` (a kernel started for a notebook in it). Linux /proc. */
function processesIn(dir: string): number[] {
  if (!existsSync("/proc")) return [];
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === dir) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

describe.skipIf(!runE2E)("tsloop run", () => {
  it("runs notebooks/00-demo.ipynb into a valid executed notebook with outputs in the right cells", async () => {
    const out = join(root, "demo-out.ipynb");
    const result = await tsloopRun([join(REPO_ROOT, "notebooks", "00-demo.ipynb"), "-o", out]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\[1\/8\] cell 2 …/);
    expect(result.stdout).toMatch(/\[8\/8\] cell 9 ok \d+ ms\n/);
    expect(result.stdout).toContain("waiting up to 2 s for late output…");
    expect(result.stdout).toMatch(/ran 8 cells in [\d.]+ s; wrote .*demo-out\.ipynb\n$/);
    expect(result.stdout).not.toMatch(/\u001b\[/); // not a TTY: no colour
    expect(nbformatProblems(out) ?? "").toBe("");
    const nb = read(out);
    expect([nb.nbformat, nb.nbformat_minor]).toEqual([4, 5]);
    expect(nb.metadata.kernelspec).toEqual({ name: "tsloop", display_name: "TypeScript (tsloop)", language: "typescript" });
    expect(nb.metadata.language_info).toMatchObject({ name: "typescript", file_extension: ".ts", codemirror_mode: "typescript" });
    const byId = new Map(nb.cells.map((c) => [c.id, c]));
    expect(text(byId.get("top-level-await"))).toBe("'hello from the event loop'");
    // Concurrent, not one after the other: 300 ms on a quiet machine, more under load, never the sequential 600.
    const gathered = /^a b c after (\d+) ms \(not 600\)\n$/.exec(text(byId.get("promise-all")));
    expect(Number(gathered?.[1])).toBeGreaterThanOrEqual(300);
    expect(Number(gathered?.[1])).toBeLessThan(600);
    expect(text(byId.get("late-timer"))).toBe("'timer set'late: printed 1 s after its cell finished\n");
    expect(text(byId.get("interval-start"))).toMatch(/^(tick \d+\n)+$/);
    expect(text(byId.get("meanwhile"))).toMatch(/^'\d+ ticks so far'$/);
    expect(text(byId.get("interval-stop"))).toMatch(/^interval stopped after \d+ ticks\n$/);
    const rich = outputsOf(byId.get("rich-display"))[0];
    expect(rich?.output_type).toBe("display_data");
    expect([rich?.data?.["text/html"]].flat().join("")).toContain("<b>bold</b>");
    expect(rich).not.toHaveProperty("transient");
    // The kernel's live timeline display was updated in place (update_display_data) to its final state.
    const timeline = byId.get("promise-all")?.outputs?.find((o) => o.data && TIMELINE_MIME in o.data) as { metadata?: Record<string, unknown> } | undefined;
    expect(timeline?.metadata).toEqual({ final: true });
    expect(timeline).not.toHaveProperty("transient");
    expect(text(byId.get("caught-error"))).toMatch(/^caught SyntaxError: /);
    const counts = nb.cells.filter((c) => c.cell_type === "code").map((c) => c.execution_count);
    expect(counts).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("puts late output from a timer in cell 1 into cell 1, and waits for the last cell's timer", async () => {
    const path = writeNotebook([
      `setTimeout(() => console.log("late from cell 1"), 300);\n"timer set"`,
      `await sleep(800);\n"cell 2 done"`,
      // Longer than the quiet window (grace / 4): the runner keeps waiting because the cell's timeline is pending.
      `setTimeout(() => console.log("after the last cell"), 1200);`,
    ]);
    const result = await tsloopRun([path, "--inplace"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("── late output from cell 2 ──\nlate from cell 1\n");
    const nb = read(path);
    expect(text(nb.cells[1])).toBe("'timer set'late from cell 1\n");
    expect(text(nb.cells[2])).toBe("'cell 2 done'");
    expect(text(nb.cells[3])).toBe("after the last cell\n");
    expect(nb.cells[1]?.id).toMatch(/^[0-9a-f]{8}$/); // ids added to a 4.4 notebook
    expect(processesIn(join(path, ".."))).toEqual([]);
  });

  it("stops at a failing cell with exit 1, names the cell, prints its traceback and leaves later cells unrun", async () => {
    const path = writeNotebook([`const a = 1;\na`, `throw new RangeError("boom in the middle")`, `"never"`]);
    const out = join(root, "failed.ipynb");
    const result = await tsloopRun([path, "-o", out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^tsloop run: cell 3 failed: RangeError: boom in the middle\n$/);
    expect(result.stdout).toContain("[2/3] cell 3 …\n");
    expect(result.stdout).toMatch(/RangeError: boom in the middle[\s\S]*\[2\/3\] cell 3 error/);
    expect(result.stdout).toMatch(/1 cell not run\n$/);
    const nb = read(out);
    expect(outputsOf(nb.cells[2])[0]).toMatchObject({ output_type: "error", ename: "RangeError", evalue: "boom in the middle" });
    expect(nb.cells[3]).toMatchObject({ execution_count: null, outputs: [] });
    expect(nbformatProblems(out) ?? "").toBe("");
  });

  it("--allow-errors runs every cell and exits 0", async () => {
    const path = writeNotebook([`throw new Error("first")`, `"second ran"`]);
    const result = await tsloopRun([path, "--allow-errors", "--inplace"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ran 2 cells in [\d.]+ s; 1 failed \(cell 2; --allow-errors\)/);
    const nb = read(path);
    expect(outputsOf(nb.cells[1])[0]).toMatchObject({ output_type: "error", evalue: "first" });
    expect(text(nb.cells[2])).toBe("'second ran'");
  });

  it("--timeout interrupts a cell stuck in `while (true) {}` and reports it; the kernel lives on", async () => {
    const path = writeNotebook([`while (true) {}`, `"still alive"`]);
    // --timeout counts from the request, type checking included. A fresh kernel's first check takes seconds on a
    // loaded machine (5-7 s beside two busy loops): with `--timeout 2` the interrupt then stopped the check, not the
    // loop ("nothing ran"), and the next cell, queued behind that check, timed out in turn (CI). The check is not what
    // this case is about, so it is off, and the bound leaves a cold start's compile (1.5-2.6 s there) room.
    const result = await tsloopRun([path, "--timeout", "8", "--allow-errors", "--inplace"], { TSLOOP_TYPECHECK: "off" });
    expect(result.stdout).toContain("cell 2 ran longer than 8.00 s (--timeout); interrupting the kernel");
    expect(result.stdout).toMatch(/\[1\/2\] cell 2 timed out/);
    expect(result.code).toBe(0);
    const nb = read(path);
    // The loop itself was interrupted (it ran), and the next cell ran on the same kernel.
    expect(text(nb.cells[1])).toMatch(/^Interrupted: /);
    expect(text(nb.cells[1])).not.toMatch(/nothing ran/);
    expect(text(nb.cells[2])).toBe("'still alive'");
    expect(processesIn(join(path, ".."))).toEqual([]);

    const strict = await tsloopRun([writeNotebook([`while (true) {}`, `"never"`]), "--timeout", "1"]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^tsloop run: cell 2 timed out: CellTimeoutError: cell 2 did not finish within 1.00 s/);
  });

  it("a missing or malformed notebook is a clear error (exit 2) and nothing is written", async () => {
    const out = join(root, "never-written.ipynb");
    const missing = await tsloopRun([join(root, "nope.ipynb"), "-o", out]);
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toBe(`tsloop run: no notebook at ${join(root, "nope.ipynb")}\n`);

    const notJson = writeNotebook([], "{ this is not json");
    const bad = await tsloopRun([notJson, "-o", out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not a notebook: it is not valid JSON/);

    const v3 = writeNotebook([], JSON.stringify({ nbformat: 3, nbformat_minor: 0, worksheets: [] }));
    const old = await tsloopRun([v3, "--inplace"]);
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/is not an nbformat 4 notebook \(nbformat 3\)/);
    expect(readFileSync(v3, "utf8")).toContain('"worksheets"');
    expect(existsSync(out)).toBe(false);

    const usage = await tsloopRun([]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/expected a notebook[\s\S]*usage: tsloop run/);
  });

  it("keeps colour when FORCE_COLOR is set, and --no-color removes it", async () => {
    const path = writeNotebook([`throw new TypeError("coloured")`]);
    const forced = await tsloopRun([path, "--grace", "0"], { FORCE_COLOR: "1" });
    expect(forced.code).toBe(1);
    expect(forced.stdout).toMatch(/\u001b\[/);
    const plain = await tsloopRun([path, "--grace", "0", "--no-color"], { FORCE_COLOR: "1" });
    expect(plain.stdout).not.toMatch(/\u001b\[/);
    expect(plain.stdout).toContain('TypeError: coloured');
  });
});
