// Where Jupyter looks for kernelspecs, computed the way jupyter_core does it, so that no Python is needed:
// the user data dir, the environment's `sys.prefix` and an explicit prefix, each holding `kernels/<name>/`.
// The kernel's history file lives in the same user data dir.
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { switchedOff } from "../session/switches.js";

export type Scope = { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; dir: string };

export interface PathEnv {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
}

const here = (): PathEnv => ({ env: process.env, platform: process.platform, home: homedir() });

/** jupyter_core's `jupyter_data_dir()`: JUPYTER_DATA_DIR (when not empty), else the platform's per-user location. */
export function userDataDir(p: PathEnv = here()): string {
  const explicit = p.env.JUPYTER_DATA_DIR;
  if (explicit) return resolve(explicit);
  if (p.platform === "darwin") return join(p.home, "Library", "Jupyter");
  if (p.platform === "win32") return join(p.env.APPDATA || join(p.home, "AppData", "Roaming"), "jupyter");
  const xdg = p.env.XDG_DATA_HOME;
  return join(xdg ? resolve(xdg) : join(p.home, ".local", "share"), "jupyter");
}

/** The Python environment Jupyter runs from: an active virtualenv or conda env, else the system's /usr/local. */
export function sysPrefix(p: PathEnv = here()): string {
  const env = p.env.VIRTUAL_ENV || p.env.CONDA_PREFIX;
  return env ? resolve(env) : "/usr/local";
}

/** The Jupyter data dir for an install scope; kernelspecs go in its `kernels/` subdirectory. */
export function dataDirFor(scope: Scope, p: PathEnv = here()): string {
  switch (scope.kind) {
    case "user":
      return userDataDir(p);
    case "sys-prefix":
      return join(sysPrefix(p), "share", "jupyter");
    case "prefix":
      return join(resolve(scope.dir), "share", "jupyter");
  }
}

export function kernelDirFor(scope: Scope, name: string, p: PathEnv = here()): string {
  return join(dataDirFor(scope, p), "kernels", name);
}

/** Where the kernel keeps its input history across restarts; null when TSLOOP_HISTORY turns it off. */
export function historyFileFor(p: PathEnv = here()): string | null {
  if (switchedOff(p.env.TSLOOP_HISTORY)) return null;
  return join(userDataDir(p), "tsloop", "history.jsonl");
}
