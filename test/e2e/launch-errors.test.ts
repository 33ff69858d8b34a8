// A kernel started for a user who cannot read the tsloop package (a classroom install under root's home or an
// nvm dir) fails with ONE line naming the unreadable directory and the user, not Node's stack trace, and stays
// silent when jupyter_client restarts it with the same connection file (five times), so the server log holds
// the line once (checked with jupyter_client's own restarter too). The package is a copy of this checkout's launcher with dist/ and node_modules/ made unreadable,
// run as `nobody` (root only; outside root just the incomplete-package case runs).
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, kernelBuilt } from "../helpers/kernel-client.js";

const isRoot = process.getuid?.() === 0;
const hasRunuser = existsSync("/usr/sbin/runuser") || existsSync("/sbin/runuser");
const hasJupyterClient = spawnSync("/usr/bin/python3", ["-c", "import jupyter_client"], { stdio: "ignore" }).status === 0;

/**
 * Copies of the two dependencies the launcher resolves, readable by every uid (the checkout itself may sit in a
 * private home); the packages below link to them.
 */
function sharedDependencies(base: string): string {
  const dir = join(base, "deps");
  for (const dep of ["zeromq", "typescript"]) cpSync(join(REPO_ROOT, "node_modules", dep), join(dir, dep), { recursive: true, dereference: true });
  return dir;
}

/** A package dir with the real launcher; `dist` and `node_modules` as asked. */
function makePackage(base: string, name: string, parts: { dist: boolean; nodeModules: boolean }): string {
  const root = join(base, name);
  mkdirSync(join(root, "kernel"), { recursive: true });
  for (const f of readdirSync(join(REPO_ROOT, "kernel")).filter((f) => f.endsWith(".js"))) copyFileSync(join(REPO_ROOT, "kernel", f), join(root, "kernel", f));
  copyFileSync(join(REPO_ROOT, "kernel.json"), join(root, "kernel.json"));
  if (parts.dist) cpSync(join(REPO_ROOT, "dist"), join(root, "dist"), { recursive: true });
  if (parts.nodeModules) {
    mkdirSync(join(root, "node_modules"));
    for (const dep of ["zeromq", "typescript"]) symlinkSync(join(base, "deps", dep), join(root, "node_modules", dep));
  }
  return root;
}

/** Runs the launcher's kernel command with a connection file in `runDir`, as `user` (or as we are). */
function launch(root: string, connectionFile: string, user?: string) {
  const argv = [process.execPath, join(root, "kernel", "tsloop.js"), "kernel", "-f", connectionFile];
  const [cmd, ...args] = user ? ["runuser", "-u", user, "--", ...argv] : argv;
  return spawnSync(cmd as string, args, { encoding: "utf8", timeout: 20_000 });
}

/** Starts a kernel with jupyter_client's IOLoop manager and its restarter (as jupyter_server does) until it is dead. */
const RESTARTER = `
import asyncio, logging, sys
from jupyter_client.ioloop import AsyncIOLoopKernelManager
logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="[%(levelname)s] %(message)s")
async def main():
    km = AsyncIOLoopKernelManager(kernel_name="unreadable")
    km.log = logging.getLogger("km")
    await km.start_kernel()
    dead = asyncio.Event()
    km.add_restart_callback(dead.set, "dead")
    km.start_restarter()
    await asyncio.wait_for(dead.wait(), 80)
    print("DEAD", file=sys.stderr)
asyncio.run(main())
`;

describe.runIf(kernelBuilt())("the launcher when the package cannot be loaded", () => {
  let base: string;
  let runDir: string;

  beforeAll(() => {
    base = mkdtempSync(join("/tmp", "tsloop-launch-"));
    chmodSync(base, 0o755);
    runDir = join(base, "run");
    mkdirSync(runDir);
    chmodSync(runDir, 0o777);
    sharedDependencies(base);
  });

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it("an incomplete package (no dist/) says so in one line, no stack trace", () => {
    const root = makePackage(base, "incomplete", { dist: false, nodeModules: true });
    const r = launch(root, join(runDir, "kernel-incomplete.json"));
    expect(r.status).toBe(1);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tsloop: cannot start: Cannot find module '\.\.\/dist\/cli\/main\.js'.*incomplete/);
  });

  describe.runIf(isRoot && hasRunuser)("as a user who cannot read it (nobody)", () => {
    it("an unreadable dist/ gives one line naming the directory and the uid, then silence on each restart", () => {
      const root = makePackage(base, "no-dist", { dist: true, nodeModules: true });
      chmodSync(join(root, "dist"), 0o700);
      const connection = join(runDir, "kernel-no-dist.json");
      writeFileSync(connection, "{}");
      const first = launch(root, connection, "nobody");
      expect(first.status).toBe(1);
      expect(first.stderr).toBe(
        `tsloop: cannot start: ${join(root, "dist")} cannot be read by uid 65534 (nobody), so the kernel in ${root} cannot load; ` +
          "install tsloop and Node where every user can read them (e.g. deploy/install-tsloop.sh into /usr/local; see docs/jupyterhub.md)\n",
      );
      // jupyter_client's restarter starts the same argv again (same connection file name): nothing more in the log.
      for (let restart = 1; restart <= 5; restart++) {
        const again = launch(root, connection, "nobody");
        expect(again.status).toBe(1);
        expect(again.stderr).toBe("");
      }
    });

    it("an unreadable node_modules/ (zeromq, typescript) is caught by the launcher too, before any worker starts", () => {
      const root = makePackage(base, "no-deps", { dist: true, nodeModules: true });
      chmodSync(join(root, "node_modules"), 0o700);
      const r = launch(root, join(runDir, "kernel-no-deps.json"), "nobody");
      expect(r.status).toBe(1);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(`${join(root, "node_modules")} cannot be read by uid 65534 (nobody)`);
    });

    it("an unreadable directory deeper in dist/ is named too", () => {
      const root = makePackage(base, "deep", { dist: true, nodeModules: true });
      chmodSync(join(root, "dist", "wire"), 0o700);
      const r = launch(root, join(runDir, "kernel-deep.json"), "nobody");
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^tsloop: cannot start: ${join(root, "dist", "wire")} cannot be read by uid 65534 \\(nobody\\)[^\\n]*\\n$`));
    });

    it.runIf(hasJupyterClient || process.env.CI)("through jupyter_client's own restarter the log holds the line once, then five restarts and 'restart failed'", () => {
      const root = makePackage(base, "restarted", { dist: true, nodeModules: true });
      chmodSync(join(root, "dist"), 0o700);
      const specs = join(base, "specs");
      mkdirSync(join(specs, "kernels", "unreadable"), { recursive: true });
      const argv = [process.execPath, join(root, "kernel", "tsloop.js"), "kernel", "-f", "{connection_file}"];
      writeFileSync(join(specs, "kernels", "unreadable", "kernel.json"), JSON.stringify({ argv, display_name: "unreadable", language: "typescript" }));
      chmodSync(join(specs, "kernels", "unreadable", "kernel.json"), 0o644);
      const env = [`HOME=${runDir}`, `JUPYTER_PATH=${specs}`, `JUPYTER_RUNTIME_DIR=${runDir}`, "PYDEVD_DISABLE_FILE_VALIDATION=1"];
      const r = spawnSync("runuser", ["-u", "nobody", "--", "env", ...env, "/usr/bin/python3", "-c", RESTARTER], { encoding: "utf8", cwd: runDir, timeout: 90_000 });
      const lines = r.stderr.split("\n").filter((l) => /tsloop|Restarter|DEAD|Error|Traceback/.test(l));
      expect(lines.filter((l) => l.startsWith("tsloop: cannot start:"))).toHaveLength(1);
      expect(lines.filter((l) => l.includes("restarting kernel"))).toHaveLength(5);
      expect(lines.slice(-2)).toEqual(["[WARNING] AsyncIOLoopKernelRestarter: restart failed", "DEAD"]);
      expect(lines.filter((l) => /Error|Traceback/.test(l) && !l.startsWith("tsloop:"))).toEqual([]);
    }, 90_000);

    it("a readable copy of the same package starts for nobody (the test's copies are otherwise sound)", () => {
      const root = makePackage(base, "sound", { dist: true, nodeModules: true });
      const r = spawnSync("runuser", ["-u", "nobody", "--", process.execPath, join(root, "kernel", "tsloop.js"), "--help"], { encoding: "utf8", timeout: 20_000 });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("usage: tsloop");
    });
  });
});
