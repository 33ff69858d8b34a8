// The kernels the benchmark compares: tsloop (this repository's build) and the peers — tslab and Deno from npm
// into a scratch folder the benchmark manages (.bench-peers/, never the project's dependencies), and ipykernel
// from Debian's python3-ipykernel. Each kernel is a command line with {connection_file}, an interrupt mode (as its
// kernelspec declares), and the language its cells are written in. A peer that cannot be set up comes back with
// `missing` set to the reason, so that the table says so.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** The peer versions this benchmark was written against (npm install pins them in the scratch folder). */
export const PEER_VERSIONS = { tslab: "1.0.22", deno: "2.9.6" };
export const PYTHON = "/usr/bin/python3";

/** The kernel names in table order. */
export const KERNEL_NAMES = ["tsloop", "tslab", "deno", "ipykernel"];
export const LABELS = { tsloop: "tsloop", tslab: "tslab", deno: "Deno", ipykernel: "ipykernel" };

/** The same cells in each kernel's language. */
export const CODE = {
  ts: {
    trivial: "1 + 1",
    flood: (n) => `for (let i = 0; i < ${n}; i++) console.log(i)`,
    state: "const survivor = 42;",
    probe: "survivor + 1",
    busy: "while (true) {}",
    timer: "setTimeout(() => { while (true) {} }, 0);",
    // a timer keeps it pending (a promise nothing can settle is ended by tsloop's deadlock detection on its own)
    pending: "await new Promise((resolve) => setTimeout(resolve, 3_600_000));",
  },
  py: {
    trivial: "1 + 1",
    flood: (n) => `for i in range(${n}):\n    print(i)`,
    state: "survivor = 42",
    probe: "survivor + 1",
    busy: "while True:\n    pass",
    timer: "import asyncio\ndef _spin():\n    while True:\n        pass\nasyncio.get_event_loop().call_later(0, _spin)",
    pending: "import asyncio\nawait asyncio.sleep(3600)",
  },
};

/** tsloop from this checkout (run `npm run build` first). */
export function tsloopKernel(root, env = {}) {
  const launcher = join(root, "kernel", "tsloop.js");
  const built = existsSync(join(root, "dist", "cli", "main.js"));
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  // the Node that `tsloop install` would write into the kernelspec (this one when ≥ 22, else the packaged Node 24)
  const node = built ? createRequire(import.meta.url)(join(root, "dist", "client", "kernel-node.js")).kernelNodeCommand() : [process.execPath];
  // and the kernelspec's env (MALLOC_ARENA_MAX), as a Jupyter server would set it
  const specEnv = JSON.parse(readFileSync(join(root, "kernel.json"), "utf8")).env ?? {};
  return {
    name: "tsloop",
    lang: "ts",
    interrupt: "message",
    argv: [...node, launcher, "kernel", "-f", "{connection_file}"],
    env: { ...specEnv, ...env },
    version,
    ...(built ? {} : { missing: "not built (run npm run build)" }),
  };
}

/**
 * Sets up the requested peers. `wanted` is a set of names; the others come back with `skipped`. Installs tslab and
 * Deno with npm into `scratch` unless the pinned versions are there already.
 */
export function setUpPeers(scratch, wanted, log) {
  const peers = {};
  const npmWanted = ["tslab", "deno"].filter((n) => wanted.has(n));
  let npmProblem;
  if (npmWanted.length > 0) npmProblem = ensureNpmPeers(scratch, log);
  for (const name of ["tslab", "deno", "ipykernel"]) {
    if (!wanted.has(name)) {
      peers[name] = { name, skipped: "not run (--peers)" };
      continue;
    }
    if (name === "tslab") peers.tslab = tslabKernel(scratch, npmProblem);
    if (name === "deno") peers.deno = denoKernel(scratch, npmProblem);
    if (name === "ipykernel") peers.ipykernel = ipykernelKernel();
  }
  return peers;
}

function ensureNpmPeers(scratch, log) {
  const have = (pkg) => {
    try {
      return JSON.parse(readFileSync(join(scratch, "node_modules", pkg, "package.json"), "utf8")).version;
    } catch {
      return undefined;
    }
  };
  if (have("tslab") === PEER_VERSIONS.tslab && have("deno") === PEER_VERSIONS.deno && findDenoBinary(scratch)) return undefined;
  mkdirSync(scratch, { recursive: true });
  const manifest = { name: "tsloop-bench-peers", private: true, description: "Peers for tsloop's benchmark (bench/run.mjs); safe to delete", dependencies: PEER_VERSIONS };
  writeFileSync(join(scratch, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  log(`installing peers into ${scratch}: npm install tslab@${PEER_VERSIONS.tslab} deno@${PEER_VERSIONS.deno}`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"], { cwd: scratch, encoding: "utf8", timeout: 300_000 });
  if (result.status !== 0) {
    const why = (result.error?.message ?? result.stderr ?? "").trim().split("\n").slice(-3).join(" ");
    log(`npm install failed: ${why}`);
    return `npm install failed: ${why.slice(0, 160)}`;
  }
  return undefined;
}

function tslabKernel(scratch, npmProblem) {
  const bin = join(scratch, "node_modules", "tslab", "bin", "tslab");
  // tslab type-checks against the @types/node it finds from its working directory: run it where it is installed, as a
  // project that uses it would (elsewhere `console` is "Cannot find name").
  const base = { name: "tslab", lang: "ts", interrupt: "signal", argv: [process.execPath, bin, "kernel", "--config-path", "{connection_file}"], env: {}, cwd: scratch };
  if (!existsSync(bin)) return { ...base, missing: npmProblem ?? "tslab is not installed" };
  const probe = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8", timeout: 30_000 });
  if (probe.status !== 0) return { ...base, missing: `tslab --version failed: ${(probe.stderr || probe.error?.message || "").trim().slice(0, 160)}` };
  return { ...base, version: probe.stdout.trim().replace(/^tslab\s*/, "") };
}

function denoKernel(scratch, npmProblem) {
  const binary = findDenoBinary(scratch);
  // Deno's kernelspec (deno jupyter --install) declares no interrupt_mode: Jupyter's default, a signal.
  const base = { name: "deno", lang: "ts", interrupt: "signal", env: { DENO_NO_UPDATE_CHECK: "1", DENO_DIR: join(scratch, "deno-dir"), NO_COLOR: "1" } };
  if (!binary) return { ...base, argv: [], missing: npmProblem ?? "the deno npm package has no binary for this platform" };
  const probe = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 30_000 });
  if (probe.status !== 0) return { ...base, argv: [], missing: `deno --version failed: ${(probe.stderr || probe.error?.message || "").trim().slice(0, 160)}` };
  const version = /deno (\S+)/.exec(probe.stdout)?.[1] ?? probe.stdout.trim();
  return { ...base, argv: [binary, "jupyter", "--kernel", "--conn", "{connection_file}"], version };
}

/** The native binary inside @deno/<platform> (run directly: the package's bin.cjs would add a Node wrapper process). */
function findDenoBinary(scratch) {
  const dir = join(scratch, "node_modules", "@deno");
  if (!existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir)) {
    for (const file of ["deno", "deno.exe"]) {
      const candidate = join(dir, entry, file);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

function ipykernelKernel() {
  const base = { name: "ipykernel", lang: "py", interrupt: "signal", argv: [PYTHON, "-m", "ipykernel_launcher", "-f", "{connection_file}"], env: { PYDEVD_DISABLE_FILE_VALIDATION: "1" } };
  const probe = spawnSync(PYTHON, ["-c", "import sys, ipykernel, IPython; print(ipykernel.__version__, IPython.__version__, sys.version.split()[0])"], { encoding: "utf8", timeout: 30_000 });
  if (probe.status !== 0) return { ...base, missing: `${PYTHON} cannot import ipykernel (apt-get install -y python3-ipykernel)` };
  const [ipykernel, ipython, python] = probe.stdout.trim().split(" ");
  return { ...base, version: `${ipykernel} (IPython ${ipython}, Python ${python})` };
}
