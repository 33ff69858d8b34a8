// launchKernel with stand-in kernel commands (small node scripts): the connection file it writes, the cwd and
// environment the kernel gets, the stderr tail, cleanup of the temp dir, and KernelClient.start / shutdown
// never leaving a process behind when the kernel dies or ignores the shutdown request.
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KernelClient } from "../../../src/client/client.js";
import { KernelDiedError } from "../../../src/client/errors.js";
import { launchKernel } from "../../../src/client/kernel-process.js";
import { freePorts } from "../../../src/client/ports.js";

const cwd = realpathSync(mkdtempSync(join(tmpdir(), "tsloop-client-test-")));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const node = (script: string) => [process.execPath, "-e", script, "{connection_file}"];

describe("launchKernel", () => {
  it("writes a connection file with five distinct free ports, a random key and hmac-sha256, and passes its path", async () => {
    const script = `const fs = require("fs"); const info = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
      process.stderr.write(JSON.stringify({ info, cwd: process.cwd(), env: process.env.TSLOOP_TEST_VAR ?? null, gone: process.env.HOME ?? null }));`;
    const kernel = await launchKernel({ cwd, argv: node(script), env: { TSLOOP_TEST_VAR: "yes", HOME: undefined } });
    const exit = await kernel.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    const seen = JSON.parse(kernel.stderr) as { info: Record<string, unknown>; cwd: string; env: string | null; gone: string | null };
    expect(seen.info).toEqual(kernel.connection);
    const ports = ["shell_port", "control_port", "stdin_port", "iopub_port", "hb_port"].map((p) => seen.info[p]);
    expect(new Set(ports).size).toBe(5);
    expect(seen.info).toMatchObject({ transport: "tcp", ip: "127.0.0.1", signature_scheme: "hmac-sha256", kernel_name: "tsloop" });
    expect(seen.info.key).toMatch(/^[0-9a-f]{64}$/);
    expect(seen.cwd).toBe(cwd);
    expect(seen.env).toBe("yes");
    expect(seen.gone).toBeNull();
    expect(existsSync(dirname(kernel.connectionFile))).toBe(false); // removed once the kernel exited
  });

  it("keeps the tail of stderr", async () => {
    const script = `for (let i = 1; i <= 100; i++) process.stderr.write("line " + i + "\\n"); process.exit(3);`;
    const kernel = await launchKernel({ cwd, argv: node(script) });
    expect(await kernel.exited).toEqual({ code: 3, signal: null });
    expect(kernel.stderrTail(3)).toBe("…\nline 98\nline 99\nline 100");
  });

  it("reports a command that cannot be started as an exit, with the reason on stderr", async () => {
    const kernel = await launchKernel({ cwd, argv: [join(cwd, "no-such-kernel"), "{connection_file}"] });
    const exit = await kernel.exited;
    expect(exit.code === null || exit.code !== 0).toBe(true);
    expect(kernel.stderr).toMatch(/failed to start the kernel: .*ENOENT/);
  });

  it("freePorts gives distinct ports", async () => {
    const ports = await freePorts(8);
    expect(new Set(ports).size).toBe(8);
    for (const p of ports) expect(p).toBeGreaterThan(0);
  });
});

describe("KernelClient.start", () => {
  it("rejects with KernelDiedError and the kernel's stderr when the kernel dies during start-up", async () => {
    const script = `process.stderr.write("tsloop: cannot bind shell channel\\n"); process.exit(1);`;
    const error = await KernelClient.start({ cwd, argv: node(script) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KernelDiedError);
    expect((error as Error).message).toMatch(/exited with code 1 .*\n {2}\| tsloop: cannot bind shell channel/s);
  });

  it("kills a kernel that never gets ready, and says it timed out", async () => {
    const script = `process.stderr.write("starting slowly\\n"); setInterval(() => {}, 1000);`;
    const error = await KernelClient.start({ cwd, argv: node(script) }, { ready: { timeoutMs: 300, retryMs: 50 } }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/no ready kernel .* within 300 ms; the end of the kernel's stderr:\n {2}\| starting slowly/);
  });

  it("shutdown kills a kernel that does not answer shutdown_request", async () => {
    const kernel = await launchKernel({ cwd, argv: node("setInterval(() => {}, 1000);") });
    const client = new KernelClient(kernel.connection, { kernel });
    await client.shutdown(300);
    expect(kernel.exitInfo).toEqual({ code: null, signal: "SIGKILL" });
  });
});
