// One student's kernel through the hub, as JupyterLab drives it (@jupyterlab/services over the proxy): start it,
// time the first result, run small cells, and read the kernel's CPU time and PSS from /proc.
import services from "@jupyterlab/services";
import { readFileSync } from "node:fs";
import { cpuSeconds, pssKiB, rssTreeKiB } from "../lib/proc.mjs";
import { processesOf } from "./hub.mjs";

const { KernelManager, ServerConnection } = services;

/** The small cells a student runs, per kernel; cell k declares and prints a value (state grows as it would). */
export const KINDS = {
  tsloop: { spec: "tsloop", match: "tsloop.js kernel", first: "1 + 1", cell: (k) => `const v${k}: number = ${k} * 2;\nconsole.log(v${k});` },
  ipykernel: { spec: "python3", match: "ipykernel_launcher", first: "1 + 1", cell: (k) => `v${k} = ${k} * 2\nprint(v${k})` },
};

/** Runs one cell; resolves with the reply (rejects on error status or after `ms`). */
async function execute(kernel, code, ms = 600_000) {
  const future = kernel.requestExecute({ code });
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no reply to ${JSON.stringify(code)} within ${ms} ms`)), ms)));
  try {
    const reply = await Promise.race([future.done, timeout]);
    if (reply.content.status !== "ok") throw new Error(`${JSON.stringify(code)}: ${reply.content.status} ${reply.content.evalue ?? ""}`);
    return reply;
  } finally {
    clearTimeout(timer);
    future.dispose();
  }
}

/** PSS in KiB of one process alone (not its children). */
export function pssOfProcess(pid) {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

/** RSS in KiB of one process alone: what a pod of its own pays, where nothing is shared with other students. */
export function rssOfProcess(pid) {
  try {
    return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

export class StudentKernel {
  constructor(hub, student, token, kind) {
    this.student = student;
    this.kind = KINDS[kind];
    const base = `${hub.url}user/${student.name}/`;
    this.settings = ServerConnection.makeSettings({ baseUrl: base, wsUrl: base.replace(/^http/, "ws"), token, appendToken: true, fetch });
    this.manager = new KernelManager({ serverSettings: this.settings });
    this.cells = 0;
  }

  /** POST api/kernels, then the first cell: milliseconds from the request to the first cell's reply. */
  async start() {
    const t0 = performance.now();
    this.kernel = await this.manager.startNew({ name: this.kind.spec });
    await execute(this.kernel, this.kind.first);
    this.firstResultMs = performance.now() - t0;
    this.cells = 1;
    return this.firstResultMs;
  }

  /** Runs small cells until `total` cells have run in this kernel. */
  async runUntil(total) {
    while (this.cells < total) await execute(this.kernel, this.kind.cell(++this.cells));
  }

  /** The kernel's pid (a process of the student's uid running the kernel), and the single-user server's. */
  pids() {
    const procs = processesOf(this.student.uid);
    const kernel = procs.filter((p) => p.args.includes(this.kind.match));
    const server = procs.filter((p) => p.args.includes("jupyterhub-singleuser"));
    if (kernel.length !== 1 || server.length !== 1) throw new Error(`${this.student.name}: expected one kernel and one server, found ${JSON.stringify(procs)}`);
    return { kernel: kernel[0].pid, server: server[0].pid };
  }

  measure() {
    const { kernel, server } = this.pids();
    return { cpu: cpuSeconds(kernel), pss: pssKiB(kernel).kib, serverPss: pssOfProcess(server), rss: rssTreeKiB(kernel), serverRss: rssOfProcess(server) };
  }

  async shutdown() {
    await this.kernel?.shutdown();
    this.manager.dispose();
  }
}
