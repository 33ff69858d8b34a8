// Start-up errors: a connection file that is missing, unreadable or wrong, a port already taken, an address
// the kernel cannot bind. Each: one clear line on stderr, a non-zero exit within a few seconds, never a hang,
// and the key (when the file has one) never echoed.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { LAUNCHER, freePorts, kernelBuilt } from "../helpers/kernel-client.js";
import { Report } from "./support/report.js";

const report = new Report("startup", "Start-up errors");
/** A failing start must end well within this; the measured times are in the report. */
const EXIT_WITHIN_MS = 5_000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

/** Runs `tsloop kernel` with these arguments; kills it if it is still running after 15 s (a hang). */
function runKernel(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Exit> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [LAUNCHER, "--log-level", "debug", "kernel", ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, TSLOOP_HISTORY: "off", ...env },
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, 15_000);
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, ms: performance.now() - t0, timedOut });
    }),
  );
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

describe.runIf(kernelBuilt() || process.env.CI)("start-up errors", () => {
  let dir: string;
  const key = randomUUID().replace(/-/g, "");
  /** Any 6 consecutive characters of the key: V8's JSON errors quote about 10 characters of the text. */
  const leaksKey = (text: string) => Array.from({ length: key.length - 5 }, (_, i) => key.slice(i, i + 6)).some((part) => text.includes(part));
  const good = async () => {
    const [shell, control, stdin, iopub, hb] = (await freePorts(5)) as [number, number, number, number, number];
    return { transport: "tcp", ip: "127.0.0.1", shell_port: shell, control_port: control, stdin_port: stdin, iopub_port: iopub, hb_port: hb, key, signature_scheme: "hmac-sha256" };
  };
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "tsloop-startup-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  type Setup = () => Promise<{ args: string[]; cleanup?: () => Promise<void> | void }>;
  const cases: [name: string, setup: Setup, stderr: RegExp, exitCode: number][] = [
    ["no -f CONNECTION_FILE argument", async () => ({ args: [] }), /expected -f CONNECTION_FILE/, 2],
    ["a connection file that does not exist", async () => ({ args: ["-f", join(dir, "missing.json")] }), /cannot read connection file .*missing\.json: ENOENT/, 1],
    ["a directory instead of a file", async () => ({ args: ["-f", (mkdirSync(join(dir, "adir.json"), { recursive: true }), join(dir, "adir.json"))] }), /cannot read connection file .*EISDIR/, 1],
    ["an empty connection file", async () => ({ args: ["-f", file("empty.json", "")] }), /is not valid JSON/, 1],
    ["malformed JSON right after the key (V8 would quote the key)", async () => ({ args: ["-f", file("bad.json", `{"key": k${key}, "shell_port": 1}`)] }), /is not valid JSON: Unexpected token/, 1],
    ["truncated JSON", async () => ({ args: ["-f", file("cut.json", JSON.stringify(await good()).slice(0, 60))] }), /is not valid JSON/, 1],
    ["a JSON array", async () => ({ args: ["-f", file("array.json", "[1, 2]")] }), /must hold a JSON object/, 1],
    ["a port that is a string", async () => ({ args: ["-f", file("portstr.json", JSON.stringify({ ...(await good()), shell_port: "5555" }))] }), /shell_port must be an integer port number, got "5555"/, 1],
    ["a port out of range", async () => ({ args: ["-f", file("port70000.json", JSON.stringify({ ...(await good()), hb_port: 70_000 }))] }), /hb_port must be an integer port number, got 70000/, 1],
    ["a missing port", async () => ({ args: ["-f", file("noport.json", JSON.stringify({ ...(await good()), iopub_port: undefined }))] }), /iopub_port must be an integer port number/, 1],
    ["an unsupported signature_scheme", async () => ({ args: ["-f", file("scheme.json", JSON.stringify({ ...(await good()), signature_scheme: "hmac-sha3-256" }))] }), /unsupported signature_scheme "hmac-sha3-256"/, 1],
    ["a key that is not a string", async () => ({ args: ["-f", file("keynum.json", JSON.stringify({ ...(await good()), key: 12345 }))] }), /key must be a string/, 1],
    ["an unknown transport", async () => ({ args: ["-f", file("udp.json", JSON.stringify({ ...(await good()), transport: "udp" }))] }), /transport must be "tcp" or "ipc", got "udp"/, 1],
    ...(["shell", "hb"] as const).map(
      (channel): [string, Setup, RegExp, number] => [
        `the ${channel} port already in use`,
        async () => {
          const info = await good();
          const server = await listen(info[`${channel}_port`]);
          return { args: ["-f", file(`busy-${channel}.json`, JSON.stringify(info))], cleanup: () => new Promise<void>((r) => server.close(() => r())) };
        },
        new RegExp(`cannot bind ${channel} channel to tcp://127\\.0\\.0\\.1:\\d+: Address already in use`),
        1,
      ],
    ),
    ["an ip address this machine does not have", async () => ({ args: ["-f", file("ip.json", JSON.stringify({ ...(await good()), ip: "192.0.2.1" }))] }), /cannot bind shell channel to tcp:\/\/192\.0\.2\.1:\d+: .*(not available|Cannot assign)/i, 1],
    ["an ipc path in a directory that does not exist", async () => ({ args: ["-f", file("ipc.json", JSON.stringify({ ...(await good()), transport: "ipc", ip: join(dir, "no", "such", "dir", "kernel") }))] }), /cannot bind shell channel to ipc:\/\//, 1],
  ];

  report.case(
    `${cases.length} start-up errors: a clear line on stderr, a non-zero exit within ${EXIT_WITHIN_MS / 1000} s, the key never echoed`,
    `${cases.length} cases`,
    async (c) => {
      const failures: string[] = [];
      let slowest = 0;
      for (const [name, setup, pattern, exitCode] of cases) {
        const { args, cleanup } = await setup();
        const exit = await runKernel(args);
        await cleanup?.();
        slowest = Math.max(slowest, exit.ms);
        const line = exit.stderr.split("\n").find((l) => pattern.test(l));
        if (exit.timedOut) failures.push(`${name}: still running after 15 s`);
        else if (exit.code !== exitCode) failures.push(`${name}: exit code ${exit.code} (signal ${exit.signal}), expected ${exitCode}; stderr: ${exit.stderr}`);
        else if (!line) failures.push(`${name}: stderr does not match ${pattern}: ${exit.stderr}`);
        else if (exit.ms > EXIT_WITHIN_MS) failures.push(`${name}: took ${Math.round(exit.ms)} ms`);
        else if (leaksKey(exit.stderr)) failures.push(`${name}: (part of) the key appears on stderr: ${exit.stderr}`);
        else if (/^\s+at /m.test(exit.stderr)) failures.push(`${name}: a stack trace instead of one clear line: ${exit.stderr}`);
        c.figure(name, `exit ${exit.code} in ${Math.round(exit.ms)} ms — ${line?.trim() ?? exit.stderr.trim()}`);
      }
      c.figure("slowest", Math.round(slowest), "ms");
      expect(failures).toEqual([]);
    },
    120_000,
  );
});
