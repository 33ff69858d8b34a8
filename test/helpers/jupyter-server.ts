// Debian's Jupyter servers as test fixtures: `python3 -m jupyter_server` (the server JupyterLab runs on) or
// `python3 -m notebook` (classic Notebook 6), on a free 127.0.0.1 port with a random token, in a private
// JupyterEnv. Ready means `/api/status` answered 200 with the token (checked on every line the server logs and
// on a short retry, bounded); `stop()` shuts down its kernels and the server and kills whatever is left.
import { type ChildProcess, spawn } from "node:child_process";
import { PYTHON, type JupyterEnv, alive, childProcesses, commandLine, freePort, randomToken } from "./jupyter-env.js";

export type ServerKind = "jupyter_server" | "notebook";

export interface ServerOptions {
  kind: ServerKind;
  jupyter: JupyterEnv;
  /** Bound on start-up; default 30 s. */
  startTimeoutMs?: number;
}

/**
 * Runs `python3 -m MODULE ARGS…` (argv: PARENT_PID MODULE ARGS…) after asking Linux to SIGTERM it when the test
 * process dies (PR_SET_PDEATHSIG): vitest stops a timed-out worker with SIGTERM, which runs no "exit" handler,
 * and a server left behind would keep its kernels running. On SIGTERM the servers shut their kernels down.
 */
export const DIE_WITH_PARENT = `
import ctypes, os, runpy, signal, sys
ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
if os.getppid() != int(sys.argv[1]):
    sys.exit("the test process that started this server is gone")
sys.argv = sys.argv[2:]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
`;

/** Servers still running; killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

export class JupyterServer {
  /** Everything the server logged (it logs to stderr), for failure messages. */
  log = "";
  /** Pids of every kernel process seen as a child of the server (see `kernelPids`). */
  private readonly seenKernels = new Set<number>();
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly kind: ServerKind,
    readonly child: ChildProcess,
    readonly port: number,
    readonly token: string,
  ) {
    child.stdout?.setEncoding("utf8").on("data", (s: string) => (this.log += s));
    child.stderr?.setEncoding("utf8").on("data", (s: string) => (this.log += s));
    this.exited = new Promise((resolveExit) =>
      child.once("exit", (code) => {
        live.delete(child);
        this.exitCode = code;
        resolveExit(code);
      }),
    );
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  static async start(options: ServerOptions): Promise<JupyterServer> {
    const port = await freePort();
    const token = randomToken();
    const app = options.kind === "jupyter_server" ? "ServerApp" : "NotebookApp";
    const rootFlag = options.kind === "jupyter_server" ? `--ServerApp.root_dir=${options.jupyter.work}` : `--NotebookApp.notebook_dir=${options.jupyter.work}`;
    const args = [
      "-c",
      DIE_WITH_PARENT,
      String(process.pid),
      options.kind,
      "--ip=127.0.0.1",
      `--port=${port}`,
      `--port-retries=0`,
      `--${app}.token=${token}`,
      rootFlag,
      "--no-browser",
      "--allow-root",
    ];
    const child = spawn(PYTHON, args, { env: options.jupyter.env, cwd: options.jupyter.work, stdio: ["ignore", "pipe", "pipe"] });
    live.add(child);
    const server = new JupyterServer(options.kind, child, port, token);
    try {
      await server.waitUntilReady(options.startTimeoutMs ?? 30_000);
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  /** A REST call with the token; the path is relative to the base URL, e.g. "api/kernels". */
  api(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("Authorization", `token ${this.token}`);
    return fetch(new URL(path, this.baseUrl), { ...init, headers });
  }

  /** Pids of the server's child processes that run the tsloop launcher (kernels it started). */
  kernelPids(): number[] {
    const pids = childProcesses(this.pid)
      .filter((c) => c.args.includes("tsloop.js"))
      .map((c) => c.pid);
    for (const pid of pids) this.seenKernels.add(pid);
    return pids;
  }

  private waitUntilReady(timeoutMs: number): Promise<void> {
    return new Promise((resolveReady, reject) => {
      let done = false;
      let checking = false;
      const finish = (err?: Error) => {
        if (done) return;
        done = true;
        clearTimeout(bound);
        clearInterval(retry);
        this.child.stderr?.off("data", check);
        if (err) reject(err);
        else resolveReady();
      };
      const check = () => {
        if (checking || done) return;
        checking = true;
        this.api("api/status")
          .then((res) => {
            if (res.ok) finish();
          })
          .catch(() => undefined)
          .finally(() => (checking = false));
      };
      const bound = setTimeout(() => finish(new Error(`${this.kind} did not answer /api/status within ${timeoutMs} ms; its log:\n${this.log}`)), timeoutMs);
      // A retry in case the "listening" line came before we subscribed; the log lines drive the rest.
      const retry = setInterval(check, 200);
      this.child.stderr?.on("data", check);
      void this.exited.then((code) => finish(new Error(`${this.kind} exited with ${code} before it was ready; its log:\n${this.log}`)));
    });
  }

  /**
   * Shuts the server down through its API (which shuts down its kernels), then SIGTERM and SIGKILL if it
   * lingers, and kills any kernel process of it still alive. Safe to call twice.
   */
  async stop(): Promise<void> {
    if (this.exitCode === undefined) {
      this.kernelPids();
      await this.api("api/shutdown", { method: "POST" }).catch(() => undefined);
      if (!(await this.exitsWithin(10_000))) {
        this.child.kill("SIGTERM");
        if (!(await this.exitsWithin(5_000))) {
          this.child.kill("SIGKILL");
          await this.exited;
        }
      }
    }
    for (const pid of this.seenKernels) {
      // Only if that pid still runs tsloop (not a process that reused the pid).
      if (alive(pid) && commandLine(pid).includes("tsloop.js")) process.kill(pid, "SIGKILL");
    }
  }

  private exitsWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolveTimeout) => (timer = setTimeout(() => resolveTimeout(false), ms)));
    return Promise.race([this.exited.then(() => true), timeout]).finally(() => clearTimeout(timer));
  }
}
