// The language process through the real kernel: started from a start-up snapshot built for real, it checks, completes
// and keeps the session's types; Jupyter's SIGINT to the process group does not touch it; a snapshot that cannot
// start falls back to the plain process without losing the check; a kernel without a snapshot builds one in the
// background, and the build outlives that kernel.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { childProcesses } from "../helpers/jupyter-env.js";
import { KernelClient, REPO_ROOT, kernelBuilt, plain } from "../helpers/kernel-client.js";

const BUILD = join(REPO_ROOT, "dist", "host", "language-snapshot-build-main.js");
/** Building a snapshot takes ~5 s of CPU; on a loaded 2-core machine much longer. */
const BUILD_TIMEOUT = 180_000;

function snapshotDir(): string {
  return mkdtempSync(join(tmpdir(), "tsloop-snapshots-"));
}

function blobIn(dir: string): string | undefined {
  const name = readdirSync(dir).find((f) => f.endsWith(".blob"));
  return name === undefined ? undefined : join(dir, name);
}

/** The kernel's language process: the child of the kernel started with `--snapshot-blob` or the plain entry. */
function languagePid(kernelPid: number): number {
  const found = childProcesses(kernelPid).find((p) => /--snapshot-blob|language-process-main\.js/.test(p.args));
  if (!found) throw new Error(`no language process below kernel ${kernelPid}`);
  return found.pid;
}

async function typeError(kernel: KernelClient, code: string): Promise<string> {
  const r = await kernel.execute(code, { timeoutMs: 60_000 });
  expect(r.reply.content).toMatchObject({ status: "error", ename: "TSError" });
  return String(r.reply.content.evalue);
}

describe.runIf(kernelBuilt())("the language process", () => {
  let built: string;

  beforeAll(() => {
    built = snapshotDir();
    execFileSync(process.execPath, [BUILD], { env: { ...process.env, TSLOOP_SNAPSHOT_DIR: built }, timeout: BUILD_TIMEOUT });
    expect(readFileSync(join(built, "build.log"), "utf8")).toMatch(/ built .*\.blob\n$/);
  }, BUILD_TIMEOUT);

  it("starts from the snapshot, checks, completes and keeps the session's types; SIGINT does not touch it", async () => {
    const kernel = await KernelClient.start({ env: { TSLOOP_SNAPSHOT_DIR: built }, args: ["--log-level", "debug"] });
    try {
      await kernel.waitForStderr(/language process: from .*\.blob/);
      // Built with a hash seed of its own (in its manifest), started with it and without rehashing its heap.
      const manifest = JSON.parse(readFileSync(blobIn(built)!.replace(/\.blob$/, ".json"), "utf8")) as { hashSeed?: number };
      expect(manifest.hashSeed).toBeGreaterThan(0);
      const args = childProcesses(kernel.child.pid!).find((p) => p.pid === languagePid(kernel.child.pid!))?.args ?? "";
      expect(args).toContain(`--hash-seed=${manifest.hashSeed} --no-rehash-snapshot --snapshot-blob`);
      // The notebook's first program reuses what the snapshot parsed: every library file (lib, @types/node).
      const reuse = /first program: (\d+) of (\d+) files/.exec(await kernel.waitForStderr(/first program: \d+ of \d+ files/, 60_000));
      expect(Number(reuse?.[1])).toBeGreaterThan(100);
      expect(Number(reuse?.[2]) - Number(reuse?.[1])).toBeLessThanOrEqual(3); // the notebook's own: globals, input, (tslab)
      // …and the module resolutions of those files (the notebook's folder has the options the builder had).
      expect(kernel.stderr).toContain("module resolutions of the warm-up: reused");
      const first = await kernel.execute("interface Point { x: number }\nconst p: Point = { x: 41 };\np.x + 1", { timeoutMs: 60_000 });
      expect(first.reply.content.status).toBe("ok");
      expect(plain(first.outputs.results[0])).toBe("42");
      expect(await typeError(kernel, "const label: string = p.x;")).toContain("Type 'number' is not assignable to type 'string'");
      const completion = await kernel.request("shell", "complete_request", { code: "p.", cursor_pos: 2 });
      expect(completion.content.matches).toContain("x");
      // Jupyter signals the kernel's process group: the language process ignores SIGINT.
      process.kill(languagePid(kernel.child.pid!), "SIGINT");
      expect(await typeError(kernel, "const again: string = p.x;")).toContain("Type 'number' is not assignable to type 'string'");
      expect(kernel.stderr).not.toContain("language process exited");
    } finally {
      await kernel.close();
    }
  }, 120_000);

  it("falls back to the plain process when the snapshot cannot start, and still checks the first cell", async () => {
    const broken = snapshotDir();
    for (const file of readdirSync(built).filter((f) => /\.(blob|json)$/.test(f))) copyFileSync(join(built, file), join(broken, file));
    writeFileSync(blobIn(broken)!, "not a V8 snapshot");
    const kernel = await KernelClient.start({ env: { TSLOOP_SNAPSHOT_DIR: broken }, args: ["--log-level", "debug"] });
    try {
      expect(await typeError(kernel, "const n: number = 'one';")).toContain("Type 'string' is not assignable to type 'number'");
      expect(kernel.stderr).toMatch(/language process exited .*starting a new one/);
      expect(kernel.stderr).toContain("no snapshot (the snapshot did not start");
    } finally {
      await kernel.close();
    }
  }, 120_000);

  it("without a snapshot, the first cell starts one building, which outlives the kernel", async () => {
    const empty = snapshotDir();
    const kernel = await KernelClient.start({ env: { TSLOOP_SNAPSHOT_DIR: empty }, args: ["--log-level", "debug"] });
    try {
      await kernel.waitForStderr(/language process: no snapshot \(none built yet/);
      const r = await kernel.execute("1 + 1", { timeoutMs: 60_000 });
      expect(plain(r.outputs.results[0])).toBe("2");
      await kernel.waitForStderr(/building the language process's start-up snapshot in the background/);
    } finally {
      await kernel.kill();
    }
    const log = join(empty, "build.log");
    const deadline = Date.now() + BUILD_TIMEOUT;
    while (!existsSync(log) && Date.now() < deadline) execFileSync("sleep", ["0.5"]); // an outside process: poll its file
    expect(readFileSync(log, "utf8")).toMatch(/ built .*\.blob\n$/);
    const next = await KernelClient.start({ env: { TSLOOP_SNAPSHOT_DIR: empty }, args: ["--log-level", "debug"] });
    try {
      await next.waitForStderr(/language process: from .*\.blob/);
    } finally {
      await next.close();
    }
  }, BUILD_TIMEOUT + 60_000);

  it("the kernel process's own threads load no TypeScript: only the language process does", () => {
    // What the main thread and the I/O worker load at start (the worker imports the language process's data, not its
    // program): TypeScript there cost every kernel ~0.35 s before its language process was spawned, and its memory.
    for (const entry of ["cli/kernel-command.js", "host/io-worker.js"]) {
      const script = `require(${JSON.stringify(join(REPO_ROOT, "dist", entry))}); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`;
      const loaded = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })) as string[];
      expect(loaded.length).toBeGreaterThan(10);
      expect(loaded.filter((f) => /[\\/]typescript[\\/]/.test(f))).toEqual([]);
    }
  });
});
