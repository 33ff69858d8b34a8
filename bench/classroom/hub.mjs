// The classroom benchmark's JupyterHub: the same hub as the classroom e2e test (test/hub/jupyterhub_config.py;
// the test drives it through test/helpers/jupyterhub.ts), throwaway system users as students, tsloop installed
// for every uid by deploy/install-tsloop.sh. Root only.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

const PYTHON = "/usr/bin/python3";

function must(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** A world-traversable temp dir (students reach the prefix and their homes below it). */
export function sharedTempDir(label) {
  const dir = mkdtempSync(join("/tmp", `tsloop-${label}-`));
  chmodSync(dir, 0o755);
  return dir;
}

/** `npm pack` of the checkout, then deploy/install-tsloop.sh into `base`/prefix; returns the prefix. */
export function installForEveryone(root, base) {
  const prefix = join(base, "prefix");
  const packed = must("npm", ["pack", "--silent", "--pack-destination", base], root).trim().split("\n").pop();
  must(join(root, "deploy", "install-tsloop.sh"), [join(base, packed), prefix]);
  return prefix;
}

/** Live pids of a uid, with their command lines. */
export function processesOf(uid) {
  const found = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, "utf8"));
      if (m && Number(m[1]) === uid) found.push({ pid: Number(entry), args: readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ") });
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

/** Throwaway students: `useradd` with homes under `base`; `remove()` kills what runs as them and deletes them. */
export class SystemUsers {
  students = [];
  constructor(base) {
    this.base = base;
  }
  add(name) {
    const home = join(this.base, name);
    must("useradd", ["--create-home", "--home-dir", home, "--user-group", "--shell", "/usr/sbin/nologin", "--comment", "tsloop classroom bench", name]);
    const student = { name, uid: Number(must("id", ["-u", name]).trim()), home };
    this.students.push(student);
    return student;
  }
  remove() {
    for (const s of this.students.splice(0)) {
      for (const p of processesOf(s.uid)) {
        try {
          process.kill(p.pid, "SIGKILL");
        } catch {
          // ended meanwhile
        }
      }
      spawnSync("userdel", [s.name], { stdio: "ignore" });
      rmSync(s.home, { recursive: true, force: true });
    }
  }
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

export class Hub {
  log = "";
  #child;
  #token;
  #exited;

  static async start(root, { dir, jupyterPath }) {
    const hub = new Hub();
    hub.port = await freePort();
    hub.#token = randomBytes(24).toString("hex");
    const env = {
      ...process.env,
      NODE_PATH: ["/usr/share/nodejs", process.env.NODE_PATH].filter(Boolean).join(":"),
      TSLOOP_HUB_DIR: dir,
      TSLOOP_HUB_PORT: String(hub.port),
      TSLOOP_HUB_API_PORT: String(await freePort()),
      TSLOOP_PROXY_API_PORT: String(await freePort()),
      TSLOOP_HUB_TOKEN: hub.#token,
      TSLOOP_HUB_JUPYTER_PATH: jupyterPath,
    };
    hub.#child = spawn(PYTHON, ["-m", "jupyterhub", "-f", join(root, "test", "hub", "jupyterhub_config.py")], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    hub.#child.stdout.setEncoding("utf8").on("data", (s) => (hub.log += s));
    hub.#child.stderr.setEncoding("utf8").on("data", (s) => (hub.log += s));
    hub.#exited = new Promise((done) => hub.#child.once("exit", done));
    process.once("exit", () => hub.#child.kill("SIGKILL"));
    const deadline = Date.now() + 60_000;
    while (!(await hub.api("").then((r) => r.ok, () => false))) {
      if (hub.#child.exitCode !== null || Date.now() > deadline) throw new Error(`jupyterhub did not start; its log:\n${hub.log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return hub;
  }

  get url() {
    return `http://127.0.0.1:${this.port}/`;
  }

  api(path, init = {}) {
    return fetch(new URL(`hub/api/${path}`, this.url), { ...init, headers: { Authorization: `token ${this.#token}` } });
  }

  async call(path, init = {}) {
    const res = await this.api(path, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? "GET"} /hub/api/${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : {};
  }

  /** Creates the hub user; returns an API token for them. */
  async addUser(name) {
    await this.call(`users/${name}`, { method: "POST" });
    return (await this.call(`users/${name}/tokens`, { method: "POST", body: JSON.stringify({ note: "classroom bench" }) })).token;
  }

  async startServer(name) {
    await this.call(`users/${name}/server`, { method: "POST" });
    await this.#until(name, (u) => u.servers[""]?.ready === true);
  }

  async stopServer(name) {
    await this.call(`users/${name}/server`, { method: "DELETE" });
    await this.#until(name, (u) => Object.keys(u.servers).length === 0);
  }

  async #until(name, done, ms = 180_000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const user = await this.call(`users/${name}`);
      if (done(user)) return;
      if (Date.now() > deadline) throw new Error(`${name}: the hub says ${JSON.stringify(user.servers)} after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop() {
    this.#child.kill("SIGTERM");
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 30_000);
    await this.#exited;
    clearTimeout(timer);
  }
}
