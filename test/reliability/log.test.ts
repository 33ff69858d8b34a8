// The kernel log under pressure: a worker thread logging a burst into a stderr pipe that its reader drains
// slowly loses no line (Node makes such pipes non-blocking, and writeSync then throws EAGAIN), and arguments
// that cannot be turned into JSON (circular objects, BigInts, throwing getters) never make logging throw.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { REPO_ROOT, kernelBuilt } from "../helpers/kernel-client.js";
import { scale } from "./support/mode.js";
import { Report } from "./support/report.js";

const report = new Report("logging", "The kernel log (stderr)");
const LOG_MODULE = join(REPO_ROOT, "dist", "wire", "log.js");

/** Runs `body` in a worker thread of a child process that logs through the kernel's log module. */
function logInWorker(body: string, readSlowly: boolean): Promise<{ stderr: string; code: number | null }> {
  const program = `
    const { Worker } = require("node:worker_threads");
    new Worker(${JSON.stringify(`const { log, setLogLevel } = require(${JSON.stringify(LOG_MODULE)}); setLogLevel("debug"); ${body}`)}, { eval: true });
    process.stderr; // what the kernel's main thread does: Node opens the pipe (and makes it non-blocking)
  `;
  const child = spawn(process.execPath, ["-e", program], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const stream = child.stderr;
  stream.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    if (!readSlowly) return;
    stream.pause();
    setTimeout(() => stream.resume(), 2);
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ stderr, code })));
}

describe.runIf(kernelBuilt() || process.env.CI)("logging", () => {
  const LINES = scale(20_000, 200_000);
  report.case(
    `${LINES.toLocaleString("en-US")} log lines from a worker thread into a slowly read stderr pipe: none lost`,
    `${LINES.toLocaleString("en-US")} lines`,
    async (c) => {
      const t0 = performance.now();
      const { stderr, code } = await logInWorker(`for (let i = 0; i < ${LINES}; i++) log.warn("line " + i + " " + "x".repeat(120));`, true);
      expect(code).toBe(0);
      const seen = stderr.match(/WARN t\d+\] line \d+ x+\n/g) ?? [];
      expect(seen.length).toBe(LINES);
      expect(stderr).not.toMatch(/were dropped/);
      c.figure("lines received", seen.length);
      c.figure("bytes", stderr.length);
      c.figure("took", Math.round(performance.now() - t0), "ms");
    },
    120_000,
  );

  report.case(
    "a circular object, a BigInt and an object whose getter throws are logged without throwing",
    "3 values",
    async () => {
      const { stderr, code } = await logInWorker(
        `const circular = { name: "loop" }; circular.self = circular;
         const hostile = new Proxy({}, { get() { throw new Error("no reading me"); }, ownKeys() { throw new Error("no keys"); } });
         for (const value of [circular, 10n, hostile]) log.debug("value:", value);
         log.info("still logging");`,
        false,
      );
      expect(code).toBe(0);
      expect(stderr).toMatch(/value: <ref \*1> \{ name: 'loop', self: \[Circular \*1\] \}/);
      expect(stderr).toMatch(/value: 10n/);
      expect(stderr.match(/DEBUG t\d+\] value:/g)).toHaveLength(3);
      expect(stderr).toMatch(/still logging/);
    },
    30_000,
  );
});
