// Shutdown and restart under load: intervals ticking, a cell streaming output, a cell spinning, a child process
// started from a cell. Each time: the reply goes out, the process ends by itself within a bound, its pid is gone,
// its ports can be bound again, and nothing it started is left running.
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect } from "vitest";
import { type KernelClient, LAUNCHER, kernelBuilt, parentId } from "../helpers/kernel-client.js";
import { Kernels } from "./support/kernels.js";
import { scale } from "./support/mode.js";
import { childPids, pidAlive, unbindablePort, until } from "./support/proc.js";
import { Report, keyNeverAppears } from "./support/report.js";

const report = new Report("lifecycle", "Shutdown and restart under load");
const kernels = new Kernels();
const ROUNDS = scale(1, 10);
/** A kernel asked to shut down must be gone within this (jupyter_client waits 5 s before it kills). */
const EXIT_WITHIN_MS = 3_000;

const LOAD = `
const ticks = { n: 0 };
const handles = Array.from({ length: 1_000 }, (_, i) => setInterval(() => { ticks.n++; if (i < 10) console.log("tick", i, ticks.n); }, 1 + (i % 10)));
const { spawn } = require("node:child_process");
const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
const grandchild = spawn("sh", ["-c", "sleep 600 & wait"], { stdio: "ignore" });
console.log("load started", child.pid, grandchild.pid);
`;

/** Starts the load, then a cell that is running when the shutdown arrives (`busy`). */
async function loaded(k: KernelClient, busy: string): Promise<number[]> {
  const load = await k.execute(`// @ts-nocheck\n${LOAD}`);
  expect(load.reply.content.status).toBe("ok");
  const running = k.sendExecute(busy);
  await k.waitFor((m) => parentId(m) === running.msg_id && m.header.msg_type === "stream", 30_000);
  const pid = k.child.pid as number;
  const descendants = (root: number): number[] => childPids(root).flatMap((p) => [p, ...descendants(p)]);
  await until(() => descendants(pid).length >= 3, 10_000, "the child processes to start");
  return descendants(pid);
}

async function shutDown(k: KernelClient, how: "shutdown" | "restart", started: number[]): Promise<{ exitMs: number; free: boolean; left: number[] }> {
  const pid = k.child.pid as number;
  const ports = [k.info.shell_port, k.info.control_port, k.info.stdin_port, k.info.iopub_port, k.info.hb_port];
  const t0 = performance.now();
  const reply = await k.request("control", "shutdown_request", { restart: how === "restart" }, 5_000);
  expect(reply.content).toEqual({ status: "ok", restart: how === "restart" });
  const exit = await Promise.race([k.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), EXIT_WITHIN_MS + 2_000))]);
  const exitMs = performance.now() - t0;
  expect(exit, `the kernel process did not exit after shutdown_request; stderr:\n${k.stderr.slice(-2000)}`).toEqual({ code: 0, signal: null });
  expect(exitMs).toBeLessThan(EXIT_WITHIN_MS);
  expect(pidAlive(pid)).toBe(false);
  const busyPort = await unbindablePort(ports);
  const left = started.filter(pidAlive);
  for (const p of left) process.kill(p, "SIGKILL");
  return { exitMs, free: busyPort === undefined, left };
}

describe.runIf(kernelBuilt() || process.env.CI)("shutdown and restart under load", () => {
  const busyCells: [name: string, code: string][] = [
    ["a cell streaming output (await in a loop)", "// @ts-nocheck\nfor (let i = 0; ; i++) { console.log('stream', i); await sleep(1); }"],
    ["a cell spinning in while (true) {}", "// @ts-nocheck\nconsole.log('spinning'); while (true) {}"],
  ];
  for (const [busyName, busy] of busyCells) {
    for (const how of ["shutdown", "restart"] as const) {
      report.case(
        `shutdown_request (restart: ${how === "restart"}) with 1,000 intervals ticking, 2 child processes and ${busyName}`,
        `${ROUNDS} rounds`,
        async (c) => {
          const exits: number[] = [];
          for (let round = 0; round < ROUNDS; round++) {
            const k = await kernels.start({ env: { TSLOOP_TYPECHECK: "off" } });
            const started = await loaded(k, busy);
            const { exitMs, free, left } = await shutDown(k, how, started);
            kernels.check(k);
            await k.close();
            expect(free, "a port of the old kernel is still bound").toBe(true);
            expect(left, "processes started from the kernel still running").toEqual([]);
            exits.push(exitMs);
            c.figure(`round ${round + 1}`, `exit in ${Math.round(exitMs)} ms, ${started.length} processes ended, ports free`);
          }
          c.figure("slowest exit", Math.round(Math.max(...exits)), "ms");
        },
        120_000,
      );
    }
  }

  report.case(
    "a new kernel binds the ports of one that was just restarted under load (same connection file)",
    "1 restart",
    async (c) => {
      const first = await kernels.start({ env: { TSLOOP_TYPECHECK: "off" } });
      const started = await loaded(first, busyCells[0]?.[1] ?? "");
      await shutDown(first, "restart", started);
      kernels.check(first);
      await first.close();
      // What jupyter_client does on restart: the same connection file, so the same ports, for the new process.
      const file = join(first.dir, "..", `${basename(first.dir)}-again.json`);
      writeFileSync(file, JSON.stringify(first.info));
      const t0 = performance.now();
      const second = spawn(process.execPath, [LAUNCHER, "--log-level", "info", "kernel", "-f", file], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, TSLOOP_HISTORY: "off" } });
      let stderr = "";
      second.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      const exited = new Promise<number | null>((r) => second.on("exit", (code) => r(code)));
      try {
        await until(() => /kernel ready on/.test(stderr) || second.exitCode !== null, 20_000, "the second kernel to bind");
        expect(stderr).toMatch(/kernel ready on/);
        expect(stderr).not.toMatch(/cannot bind/);
        c.figure("second kernel bound the same ports in", Math.round(performance.now() - t0), "ms");
      } finally {
        second.kill("SIGKILL");
        await exited;
        rmSync(file, { force: true });
      }
    },
    60_000,
  );

  keyNeverAppears(report, kernels);
});
