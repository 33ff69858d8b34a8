// The test JupyterLab served by Debian's jupyterlab_server (server/lab_server.py) on a free 127.0.0.1 port with
// a random token, in a private JupyterEnv (temp root dir, config/data/runtime dirs, the tsloop kernelspec on
// JUPYTER_PATH). Ready means `/api/status` answered 200; `stop()` shuts the server and its kernels down and kills
// whatever is left.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PYTHON, type JupyterEnv, alive, childProcesses, commandLine, freePort, randomToken } from "../../../helpers/jupyter-env.js";
import { APP_DIR, BUILD_DIR } from "./paths.js";

const LAUNCHER = join(APP_DIR, "server", "lab_server.py");

/** Servers still running; killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

export class LabServer {
  /** Everything the server (and the kernels it started) logged, for failure messages and log checks. */
  log = "";
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private readonly kernels = new Set<number>();

  private constructor(
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

  /** The JupyterLab page; the token logs the browser in (the server sets a cookie). */
  get labUrl(): string {
    return `${this.baseUrl}lab?token=${this.token}`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** `startTimeoutMs` only catches a server that hangs (one that exits fails at once): a loaded machine took
   *  more than 30 s to answer /api/status, so it is 60 s, within vitest's 90 s hook timeout. */
  static async start(jupyter: JupyterEnv, startTimeoutMs = 60_000): Promise<LabServer> {
    if (!existsSync(join(BUILD_DIR, "stamp"))) {
      throw new Error(`no JupyterLab build in ${BUILD_DIR}: run test/jupyterlab/run.sh (or npm ci && npm run build in test/jupyterlab)`);
    }
    const port = await freePort();
    const token = randomToken();
    const args = [
      LAUNCHER,
      "--build",
      BUILD_DIR,
      "--state",
      join(jupyter.dir, "lab-state"),
      "--parent-pid",
      String(process.pid),
      "--ServerApp.ip=127.0.0.1",
      `--ServerApp.port=${port}`,
      "--ServerApp.port_retries=0",
      `--ServerApp.token=${token}`,
      `--ServerApp.root_dir=${jupyter.work}`,
      "--ServerApp.open_browser=False",
      // CI runs as root; jupyter_server refuses to start as root without it.
      "--ServerApp.allow_root=True",
    ];
    const child = spawn(PYTHON, args, { env: jupyter.env, cwd: jupyter.work, stdio: ["ignore", "pipe", "pipe"] });
    live.add(child);
    const server = new LabServer(child, port, token);
    try {
      await server.waitUntilReady(startTimeoutMs);
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

  /** The kernels the server runs now (GET /api/kernels). */
  async runningKernels(): Promise<{ id: string; name: string; execution_state: string }[]> {
    const res = await this.api("api/kernels");
    return (await res.json()) as { id: string; name: string; execution_state: string }[];
  }

  /** Pids of the server's child processes that run a kernel (tsloop or ipykernel); remembered for stop(). */
  kernelPids(): number[] {
    const pids = childProcesses(this.pid)
      .filter((c) => /tsloop\.js|ipykernel/.test(c.args))
      .map((c) => c.pid);
    for (const pid of pids) this.kernels.add(pid);
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
        if (err) reject(err);
        else resolveReady();
      };
      const check = () => {
        if (checking || done) return;
        checking = true;
        this.api("api/status")
          .then((res) => res.ok && finish())
          .catch(() => undefined)
          .finally(() => (checking = false));
      };
      const bound = setTimeout(() => finish(new Error(`the JupyterLab server did not answer /api/status within ${timeoutMs} ms; its log:\n${this.log}`)), timeoutMs);
      const retry = setInterval(check, 150);
      void this.exited.then((code) => finish(new Error(`the JupyterLab server exited with ${code} before it was ready; its log:\n${this.log}`)));
    });
  }

  /** Shuts down through the API (which stops its kernels), then SIGTERM/SIGKILL if it lingers. Safe twice. */
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
    for (const pid of this.kernels) {
      // Only if that pid still runs a kernel (not a process that reused the pid).
      if (alive(pid) && /tsloop\.js|ipykernel/.test(commandLine(pid))) process.kill(pid, "SIGKILL");
    }
  }

  private exitsWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolveTimeout) => (timer = setTimeout(() => resolveTimeout(false), ms)));
    return Promise.race([this.exited.then(() => true), timeout]).finally(() => clearTimeout(timer));
  }
}
