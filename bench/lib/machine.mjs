// What the benchmark ran on: cores, CPU model, load average over the run, date, Node and TypeScript versions,
// and the tsloop commit. Read from /proc and the repository; nothing here changes anything.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { join } from "node:path";

export function machineInfo(root) {
  const cpuinfo = readOr("/proc/cpuinfo", "");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown";
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    // dist/ is built from the work tree, which may hold changes not yet committed
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "kernel"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean).length;
    if (dirty > 0) commit += ` plus uncommitted changes to ${dirty} path${dirty === 1 ? "" : "s"} under src/ and kernel/`;
  } catch {
    // not a git checkout
  }
  let typescript = "unknown";
  try {
    typescript = JSON.parse(readFileSync(join(root, "node_modules", "typescript", "package.json"), "utf8")).version;
  } catch {
    // not installed
  }
  let nproc = String(availableParallelism());
  try {
    nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
  } catch {
    // no coreutils
  }
  return {
    nproc,
    cpu: model,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    typescript,
    commit,
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  };
}

/** The 1-minute load average now. */
export function loadNow() {
  const first = readOr("/proc/loadavg", "").split(" ")[0];
  return first === undefined || first === "" ? undefined : Number(first);
}

/** Samples the 1-minute load average every few seconds while the benchmark runs. */
export class LoadSampler {
  samples = [];
  #timer;
  start(everyMs = 5_000) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), everyMs);
    this.#timer.unref();
  }
  sample() {
    const value = loadNow();
    if (value !== undefined) this.samples.push(value);
  }
  stop() {
    clearInterval(this.#timer);
    this.sample();
    const s = this.samples;
    if (s.length === 0) return { start: undefined, end: undefined, mean: undefined, max: undefined };
    return { start: s[0], end: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length, max: Math.max(...s) };
  }
}

function readOr(path, fallback) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return fallback;
  }
}
