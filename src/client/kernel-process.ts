// Starts a tsloop kernel as a child process the way a Jupyter server does: a connection file with free
// 127.0.0.1 ports, a random key and hmac-sha256 in a private temp dir, then `node kernel/tsloop.js kernel -f
// FILE`. Keeps the tail of the kernel's stderr for error messages, removes the temp dir when the kernel exits,
// and kills a kernel still running when this process exits, so that no child is ever left behind.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ConnectionInfo } from "../wire/connection.js";
import { kernelNodeCommand } from "./kernel-node.js";
import { OutputTail } from "./output-tail.js";
import { freePorts } from "./ports.js";

/** The repository (or installed package) root: src/client or dist/client, two levels down. */
export const PACKAGE_ROOT = resolve(__dirname, "..", "..");
export const LAUNCHER = join(PACKAGE_ROOT, "kernel", "tsloop.js");

export interface LaunchOptions {
  /** The kernel's working directory (a notebook's folder). */
  cwd: string;
  /** Variables added to (or, as undefined, removed from) this process's environment for the kernel. */
  env?: Record<string, string | undefined>;
  /**
   * The command, as in a kernelspec: `{connection_file}` is replaced by the file's path. Default:
   * `[<the kernel's Node>, <package>/kernel/tsloop.js, "kernel", "-f", "{connection_file}"]`, where the kernel's
   * Node is this one when ≥ 22, else the packaged Node 24 (`kernel-node.ts`).
   */
  argv?: string[];
}

export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running kernel process and its connection file. */
export interface KernelProcess {
  readonly connection: ConnectionInfo;
  readonly connectionFile: string;
  readonly pid: number | undefined;
  /** Settles once the process exited (never rejects; a failed spawn counts as an exit). */
  readonly exited: Promise<KernelExit>;
  /** Undefined while the process runs. */
  readonly exitInfo: KernelExit | undefined;
  /** The last lines of the kernel's stderr. */
  stderrTail(lines?: number): string;
  /** Everything kept of the kernel's stderr (its last 64 KiB at least). */
  readonly stderr: string;
  /** Sends a signal (default SIGKILL) unless the process already exited; resolves once it has exited. */
  kill(signal?: NodeJS.Signals): Promise<KernelExit>;
}

/** Writes a connection file and starts the kernel; resolves as soon as the process was spawned. */
export async function launchKernel(options: LaunchOptions): Promise<KernelProcess> {
  const dir = mkdtempSync(join(tmpdir(), "tsloop-client-"));
  try {
    const connection = await newConnectionInfo();
    const connectionFile = join(dir, "kernel.json");
    writeFileSync(connectionFile, JSON.stringify(connection, null, 1), { mode: 0o600 });
    const argv = (options.argv ?? [...kernelNodeCommand(), LAUNCHER, "kernel", "-f", "{connection_file}"]).map((a) => a.replaceAll("{connection_file}", connectionFile));
    const [command, ...args] = argv;
    if (command === undefined) throw new Error("launchKernel: argv must name a command");
    // tsloop's own command gets the kernelspec's env too (as `tsloop install` writes it), like a Jupyter server
    const env: NodeJS.ProcessEnv = { ...process.env, ...(options.argv === undefined ? kernelSpecEnv() : {}) };
    for (const [name, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    return new ChildKernel(child, connection, connectionFile, dir);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The `env` of the kernelspec template (kernel.json at the package root), e.g. MALLOC_ARENA_MAX. */
export function kernelSpecEnv(): Record<string, string> {
  const spec = JSON.parse(readFileSync(join(PACKAGE_ROOT, "kernel.json"), "utf8")) as { env?: Record<string, string> };
  return spec.env ?? {};
}

/** Connection info on free 127.0.0.1 ports with a fresh random key. */
export async function newConnectionInfo(): Promise<ConnectionInfo> {
  const [shell, control, stdin, iopub, hb] = (await freePorts(5)) as [number, number, number, number, number];
  return {
    transport: "tcp",
    ip: "127.0.0.1",
    shell_port: shell,
    control_port: control,
    stdin_port: stdin,
    iopub_port: iopub,
    hb_port: hb,
    key: randomBytes(32).toString("hex"),
    signature_scheme: "hmac-sha256",
    kernel_name: "tsloop",
  };
}

/** Children still running, killed synchronously if this process exits first. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackChild(child: ChildProcess): void {
  running.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const c of running) c.kill("SIGKILL");
  });
}

class ChildKernel implements KernelProcess {
  readonly exited: Promise<KernelExit>;
  exitInfo: KernelExit | undefined;
  private readonly errTail = new OutputTail();

  constructor(
    private readonly child: ChildProcess,
    readonly connection: ConnectionInfo,
    readonly connectionFile: string,
    dir: string,
  ) {
    trackChild(child);
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => this.errTail.append(chunk));
    // The kernel writes nothing useful on stdout, but an unread pipe could fill and block it.
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => this.errTail.append(chunk));
    this.exited = new Promise((resolveExit) => {
      const done = (info: KernelExit) => {
        if (this.exitInfo) return;
        this.exitInfo = info;
        running.delete(child);
        rmSync(dir, { recursive: true, force: true });
        resolveExit(info);
      };
      // "close" comes once the pipes are drained too, so the stderr tail is complete; but a grandchild that
      // inherited stderr can hold the pipe open, so "exit" settles it after a short bound.
      child.on("close", (code, signal) => done({ code, signal }));
      child.on("exit", (code, signal) => {
        setTimeout(() => done({ code, signal }), 500).unref();
      });
      child.on("error", (err) => {
        this.errTail.append(`failed to start the kernel: ${err.message}\n`);
        if (child.pid === undefined) done({ code: null, signal: null });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stderr(): string {
    return this.errTail.all;
  }

  stderrTail(lines = 20): string {
    return this.errTail.lastLines(lines);
  }

  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<KernelExit> {
    if (!this.exitInfo) this.child.kill(signal);
    return this.exited;
  }
}
