// The kernel's life as jupyter_client sees it: an orphaned kernel (its launcher died) ends itself, as
// ipykernel's parent poller does; the first is_complete answers fast, while the type checker is still warming up.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { kernelBuilt } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";

const PYTHON = "/usr/bin/python3";
const hasJupyterClient = spawnSync(PYTHON, ["-c", "import jupyter_client"]).status === 0;
const LAUNCHER = resolve(__dirname, "..", "..", "kernel", "tsloop.js");

describe.runIf(kernelBuilt() && (hasJupyterClient || process.env.CI))("kernel lifecycle under jupyter_client", () => {
  let prefix: string;

  beforeAll(() => {
    prefix = mkdtempSync(join(tmpdir(), "tsloop-lifecycle-"));
    execFileSync(process.execPath, [LAUNCHER, "install", "--prefix", prefix]);
  });

  it("ends an orphaned kernel whose launcher died (JPY_PARENT_PID), within a few seconds", () => {
    const script = [
      "import os, sys, time",
      "from jupyter_client.manager import start_new_kernel",
      "km, kc = start_new_kernel(kernel_name='tsloop')",
      "print(km.provisioner.process.pid, flush=True)",
      "os._exit(0)",
    ].join("\n");
    const out = execFileSync(PYTHON, ["-c", script], { env: { ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter") }, encoding: "utf8", timeout: 60_000 });
    const pid = Number(out.trim().split("\n").pop());
    expect(pid).toBeGreaterThan(0);
    const deadline = Date.now() + 8000;
    let alive = true;
    while (alive && Date.now() < deadline) {
      try {
        process.kill(pid, 0);
        execFileSync("sleep", ["0.2"]);
      } catch {
        alive = false;
      }
    }
    if (alive) process.kill(pid, "SIGKILL");
    expect(alive).toBe(false);
  });
});

describe.runIf(kernelBuilt())("is_complete right after start", () => {
  const session = useKernel("iscomplete");

  it("answers the first is_complete_request within a second (jupyter console's timeout)", async () => {
    const kernel = session();
    const t0 = performance.now();
    const reply = await kernel.request("shell", "is_complete_request", { code: "function f(a: number," });
    expect(reply.content.status).toBe("incomplete");
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
