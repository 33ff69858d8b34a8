// A private Jupyter environment for the frontend tests: a temp dir holding the tsloop kernelspec (installed with
// `tsloop install --prefix`) and the config/data/runtime dirs and HOME that Debian's Jupyter uses, so the tests
// neither read nor touch the user's own Jupyter setup. Also: which Debian packages are here (tests skip
// without them only outside CI), free ports and tokens.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "../../src/client/ports.js";
import { LAUNCHER, kernelBuilt } from "./kernel-client.js";

/** Debian's Python, with Debian's Jupyter packages (a pyenv `python3` on PATH may lack them). */
export const PYTHON = "/usr/bin/python3";

/** Something a test needs from Debian, and the package that provides it. */
export interface Need {
  /** What is checked, for the skip message, e.g. "python3 -m jupyter_server". */
  what: string;
  /** The Debian package to `apt-get install`. */
  debian: string;
  present: () => boolean;
}

/** A Python module importable by Debian's python3. */
export function pythonModule(module: string, debian: string): Need {
  return {
    what: `${PYTHON} -c 'import ${module}'`,
    debian,
    present: () => existsSync(PYTHON) && spawnSync(PYTHON, ["-c", `import ${module}`], { stdio: "ignore" }).status === 0,
  };
}

/** An executable at an absolute path. */
export function executable(path: string, debian: string): Need {
  return { what: path, debian, present: () => existsSync(path) };
}

/** An npm package resolvable from the tests. */
export function npmPackage(name: string): Need {
  const present = () => {
    try {
      require.resolve(name);
      return true;
    } catch {
      return false;
    }
  };
  return { what: `require("${name}")`, debian: `(npm) ${name}`, present };
}

/**
 * Whether a test file should skip: only when something it needs is absent AND `CI` is unset (CI installs
 * everything, so there a missing package fails the tests instead of hiding them). Says why on stderr.
 */
export function shouldSkip(file: string, needs: Need[]): boolean {
  const missing = needs.filter((n) => !n.present());
  if (!kernelBuilt()) missing.push({ what: "dist/ (the compiled kernel)", debian: "(run npm run build)", present: () => false });
  if (missing.length === 0 || process.env.CI) return false;
  const packages = [...new Set(missing.map((n) => n.debian))].join(" ");
  process.stderr.write(`${file}: skipping: missing ${missing.map((n) => n.what).join(", ")} — apt-get install ${packages}\n`);
  return true;
}

/** A free TCP port on 127.0.0.1 (the client's freePorts, one port). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error("freePorts(1) returned no port");
  return port;
}

export function randomToken(): string {
  return randomBytes(24).toString("hex");
}

/** A temp dir with the tsloop kernelspec installed under `<dir>/share/jupyter` and private Jupyter dirs. */
export class JupyterEnv {
  /** Environment for Jupyter processes: JUPYTER_PATH finds only our kernelspec's prefix first. */
  readonly env: NodeJS.ProcessEnv;
  /** A directory for notebooks (the server's root dir, nbclient's cwd). */
  readonly work: string;

  private constructor(readonly dir: string) {
    const sub = (name: string) => {
      const path = join(dir, name);
      mkdirSync(path, { recursive: true });
      return path;
    };
    this.work = sub("work");
    this.env = {
      ...process.env,
      HOME: sub("home"),
      JUPYTER_PATH: join(dir, "share", "jupyter"),
      JUPYTER_CONFIG_DIR: sub("config"),
      JUPYTER_DATA_DIR: sub("data"),
      JUPYTER_RUNTIME_DIR: sub("runtime"),
      IPYTHONDIR: sub("ipython"),
      // jupyter_client writes some connection files to the temp dir: keep them here too, so that every kernel
      // started from this environment names this dir on its command line (see leftovers()).
      TMPDIR: sub("tmp"),
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
      PYTHONUNBUFFERED: "1",
      // The kernel logs warnings to stderr, which servers copy into their own log.
      TSLOOP_LOG: process.env.TSLOOP_LOG ?? "warn",
    };
  }

  /** Creates the dirs and runs `tsloop install --prefix <dir>`; throws with the CLI's stderr if that fails. */
  static create(label: string): JupyterEnv {
    const jupyter = new JupyterEnv(mkdtempSync(join(tmpdir(), `tsloop-${label}-`)));
    const installed = spawnSync(process.execPath, [LAUNCHER, "install", "--prefix", jupyter.dir], { encoding: "utf8", env: jupyter.env });
    if (installed.status !== 0) {
      throw new Error(`tsloop install --prefix ${jupyter.dir} exited with ${installed.status}: ${installed.stderr}`);
    }
    return jupyter;
  }

  /** Processes still running whose command line names this dir: kernels (by their connection file), servers. */
  leftovers(): { pid: number; args: string }[] {
    return processesMentioning(this.dir);
  }

  /**
   * Kills what is left (a kernel outlives a client that died by up to a second, or for good when the client set
   * no JPY_PARENT_PID) and removes the dir. Says on stderr what it had to kill.
   */
  dispose(): void {
    for (const p of this.leftovers()) {
      process.stderr.write(`JupyterEnv ${this.dir}: killing leftover process ${p.pid}: ${p.args}\n`);
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // It exited meanwhile.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A process's direct children with their command lines, read from /proc (Linux; no procps needed). */
export function childProcesses(pid: number): { pid: number; args: string }[] {
  const children: { pid: number; args: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) children.push({ pid: Number(entry), args: commandLine(Number(entry)) });
    } catch {
      // The process exited while we read it.
    }
  }
  return children;
}

/** Live processes whose command line contains `text` (e.g. a JupyterEnv's dir, in a kernel's `-f` argument). */
export function processesMentioning(text: string): { pid: number; args: string }[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .map((entry) => ({ pid: Number(entry), args: commandLine(Number(entry)) }))
    .filter((p) => p.args.includes(text) && alive(p.pid));
}

/** A process's command line, arguments joined by spaces ("" once it is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** Whether a pid is alive: it exists and is not a zombie waiting to be reaped. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
