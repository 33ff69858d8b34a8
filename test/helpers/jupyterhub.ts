// A real JupyterHub classroom as a test fixture: Debian's jupyterhub on loopback (config: test/hub/
// jupyterhub_config.py) with DummyAuthenticator and LocalProcessSpawner, throwaway system users as students, and
// tsloop installed for all of them by deploy/install-tsloop.sh (the recipe the docs and the Dockerfile use) into
// a world-readable prefix. Root only: creating users and spawning servers as them needs it.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { freePorts } from "../../src/client/ports.js";
import { PYTHON, alive, childProcesses, commandLine, randomToken } from "./jupyter-env.js";
import { DIE_WITH_PARENT } from "./jupyter-server.js";

const ROOT = resolve(__dirname, "..", "..");
const CONFIG = join(ROOT, "test", "hub", "jupyterhub_config.py");

/** Runs a command, throwing with its output when it fails. */
function must(cmd: string, args: string[], options: { cwd?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd: options.cwd });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/**
 * `npm pack` of this checkout, then deploy/install-tsloop.sh into a fresh world-readable prefix under `base`
 * (same commands as the Dockerfile; it ends by running a cell as `nobody`). Returns the prefix.
 */
export function installForEveryone(base: string): string {
  const prefix = join(base, "prefix");
  const packed = must("npm", ["pack", "--silent", "--pack-destination", base], { cwd: ROOT }).trim().split("\n").pop() ?? "";
  must(join(ROOT, "deploy", "install-tsloop.sh"), [join(base, packed), prefix]);
  return prefix;
}

/** Pids (with command lines) of every live process whose real uid is `uid`. */
export function processesOf(uid: number): { pid: number; args: string }[] {
  const found: { pid: number; args: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const uidLine = readFileSync(`/proc/${entry}/status`, "utf8").match(/^Uid:\s+(\d+)/m);
      if (uidLine && Number(uidLine[1]) === uid && alive(Number(entry))) found.push({ pid: Number(entry), args: commandLine(Number(entry)) });
    } catch {
      // The process exited while we read it.
    }
  }
  return found;
}

export interface Student {
  name: string;
  uid: number;
  home: string;
}

/** Throwaway system users (`useradd`), homes under `base`; `remove()` ends their processes and deletes them. */
export class SystemUsers {
  readonly students: Student[] = [];

  constructor(private readonly base: string) {}

  add(name: string): Student {
    const home = join(this.base, name);
    must("useradd", ["--create-home", "--home-dir", home, "--user-group", "--shell", "/usr/sbin/nologin", "--comment", "tsloop classroom test", name]);
    const student = { name, uid: Number(must("id", ["-u", name]).trim()), home };
    this.students.push(student);
    return student;
  }

  /** Kills whatever still runs as each student (only their uid: never by name), then `userdel`. */
  remove(): void {
    for (const s of this.students.splice(0)) {
      for (const p of processesOf(s.uid)) {
        process.stderr.write(`SystemUsers: killing leftover process ${p.pid} of ${s.name}: ${p.args}\n`);
        try {
          process.kill(p.pid, "SIGKILL");
        } catch {
          // It exited meanwhile.
        }
      }
      spawnSync("userdel", [s.name], { stdio: "ignore" });
      rmSync(s.home, { recursive: true, force: true });
    }
  }
}

/** Servers the hub reports for a user (GET /hub/api/users/NAME). */
interface HubUser {
  servers: Record<string, { ready: boolean; pending: string | null }>;
}

export class Hub {
  log = "";
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private readonly helpers = new Set<number>();

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    private readonly token: string,
  ) {
    child.stdout?.setEncoding("utf8").on("data", (s: string) => (this.log += s));
    child.stderr?.setEncoding("utf8").on("data", (s: string) => (this.log += s));
    this.exited = new Promise((done) => child.once("exit", (code) => ((this.exitCode = code), done(code))));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Starts the hub (and its proxy) in `dir`, single-user servers seeing `jupyterPath`; ready when its API answers. */
  static async start(options: { dir: string; jupyterPath?: string; timeoutMs?: number }): Promise<Hub> {
    const [port, apiPort, proxyPort] = (await freePorts(3)) as [number, number, number];
    const token = randomToken();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // Debian's configurable-http-proxy finds its modules there only with Debian's own Node.
      NODE_PATH: ["/usr/share/nodejs", process.env.NODE_PATH].filter(Boolean).join(":"),
      TSLOOP_HUB_DIR: options.dir,
      TSLOOP_HUB_PORT: String(port),
      TSLOOP_HUB_API_PORT: String(apiPort),
      TSLOOP_PROXY_API_PORT: String(proxyPort),
      TSLOOP_HUB_TOKEN: token,
      TSLOOP_HUB_JUPYTER_PATH: options.jupyterPath ?? "",
    };
    const child = spawn(PYTHON, ["-c", DIE_WITH_PARENT, String(process.pid), "jupyterhub", "-f", CONFIG], { cwd: options.dir, env, stdio: ["ignore", "pipe", "pipe"] });
    const hub = new Hub(child, port, token);
    try {
      await hub.waitUntilReady(options.timeoutMs ?? 60_000);
    } catch (err) {
      await hub.stop();
      throw err;
    }
    for (const c of childProcesses(hub.child.pid ?? -1)) hub.helpers.add(c.pid);
    return hub;
  }

  /** A hub REST call with the service token: `api("users/ann/server", { method: "POST" })`. */
  async api(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("Authorization", `token ${this.token}`);
    return fetch(new URL(`hub/api/${path}`, this.url), { ...init, headers });
  }

  private async call<T>(path: string, init: RequestInit, what: string): Promise<T> {
    const res = await this.api(path, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${what}: ${init.method ?? "GET"} /hub/api/${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** Creates the hub user and an API token for them (what a student's browser session would hold). */
  async addUser(name: string): Promise<string> {
    await this.call(`users/${name}`, { method: "POST" }, `create ${name}`);
    const created = await this.call<{ token: string }>(`users/${name}/tokens`, { method: "POST", body: JSON.stringify({ note: "classroom test" }) }, `token for ${name}`);
    return created.token;
  }

  /** Starts the user's server and waits until the hub says it is ready (the hub sends no event we can await). */
  async startServer(name: string, timeoutMs: number): Promise<void> {
    await this.call(`users/${name}/server`, { method: "POST" }, `start ${name}'s server`);
    await this.until(name, (u) => u.servers[""]?.ready === true, timeoutMs, `${name}'s server ready`);
  }

  /** Stops the user's server (its kernels with it) and waits until the hub lists no server. */
  async stopServer(name: string, timeoutMs: number): Promise<void> {
    await this.call(`users/${name}/server`, { method: "DELETE" }, `stop ${name}'s server`);
    await this.until(name, (u) => Object.keys(u.servers).length === 0, timeoutMs, `${name}'s server stopped`);
  }

  private async until(name: string, done: (u: HubUser) => boolean, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      const user = await this.call<HubUser>(`users/${name}`, {}, what);
      if (done(user)) return;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms; the hub says ${JSON.stringify(user.servers)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private async waitUntilReady(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (this.exitCode !== undefined) throw new Error(`jupyterhub exited with ${this.exitCode} before it was ready; its log:\n${this.log}`);
      const ok = await this.api("").then((r) => r.ok, () => false);
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`jupyterhub did not answer /hub/api/ within ${ms} ms; its log:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGTERM (the hub stops every server and its proxy), SIGKILL if it lingers, then its proxy if left. */
  async stop(): Promise<void> {
    if (this.exitCode === undefined) {
      this.child.kill("SIGTERM");
      if (!(await this.exitsWithin(30_000))) {
        this.child.kill("SIGKILL");
        await this.exited;
      }
    }
    for (const pid of this.helpers) {
      if (alive(pid) && commandLine(pid).includes("configurable-http-proxy")) process.kill(pid, "SIGKILL");
    }
  }

  private exitsWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((done) => (timer = setTimeout(() => done(false), ms)));
    return Promise.race([this.exited.then(() => true), timeout]).finally(() => clearTimeout(timer));
  }
}

/** A world-traversable temp dir (students' processes must reach the prefix and their homes below it). */
export function sharedTempDir(label: string): string {
  const dir = mkdtempSync(join("/tmp", `tsloop-${label}-`));
  chmodSync(dir, 0o755);
  return dir;
}
