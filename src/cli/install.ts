// `tsloop install` and `tsloop uninstall`: write or remove the kernelspec (kernel.json plus logos) in a
// Jupyter data dir, without Python. The spec's argv names the kernel's Node binary (this one when ≥ 22, else the
// packaged Node 24: src/client/kernel-node.ts) and this package's launcher by absolute path, so the kernel starts
// the same way whatever PATH the Jupyter server has.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { kernelNode, kernelNodeCommand } from "../client/kernel-node.js";
import { findSnapshot, snapshotLocations, snapshotsEnabled, startSnapshotBuild } from "../host/language-snapshot.js";
import { tokenizeArgs } from "./arg-tokens.js";
import { type Scope, dataDirFor, kernelDirFor } from "./jupyter-paths.js";
import { unreachableForOthers } from "./shared-access.js";

export const DEFAULT_NAME = "tsloop";
export const DEFAULT_DISPLAY_NAME = "TypeScript (tsloop)";
/** The JavaScript kernelspec installed beside each TypeScript one: `<name>-js`, "JavaScript (tsloop)". */
export const JS_SUFFIX = "-js";
export const DEFAULT_JS_DISPLAY_NAME = "JavaScript (tsloop)";
const LOGOS = ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"];

const INSTALL_USAGE = `usage: tsloop install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name NAME] [--env KEY=VALUE ...]

  --user              install for this user (default): JUPYTER_DATA_DIR, or ~/.local/share/jupyter
  --sys-prefix        install into the active Python environment (VIRTUAL_ENV / CONDA_PREFIX, else /usr/local)
  --prefix DIR        install into DIR/share/jupyter
  --name NAME         kernelspec name (default ${DEFAULT_NAME})
  --display-name NAME name shown in the launcher (default "${DEFAULT_DISPLAY_NAME}")
  --env KEY=VALUE     environment variable for the kernel process (repeatable)
`;

const UNINSTALL_USAGE = `usage: tsloop uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]
`;

export interface InstallOptions {
  scope: Scope;
  name: string;
  displayName: string;
  env: Record<string, string>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string } | { ok: "help" };

const VALUE_OPTIONS = new Set(["--prefix", "--name", "--display-name", "--env"]);

/** Parses install/uninstall arguments; `--flag VALUE` and `--flag=VALUE` are both accepted. */
export function parseInstallArgs(args: readonly string[], allowed: "install" | "uninstall"): Parsed<InstallOptions> {
  const opts: InstallOptions = { scope: { kind: "user" }, name: DEFAULT_NAME, displayName: DEFAULT_DISPLAY_NAME, env: {} };
  let scopes = 0;
  const tokenized = tokenizeArgs(args, VALUE_OPTIONS);
  if (!tokenized.ok) return { ok: false, message: tokenized.error };
  for (const token of tokenized.tokens) {
    if (token.kind === "positional") return { ok: false, message: `unexpected argument ${JSON.stringify(token.arg)} (tsloop ${allowed} takes only options)` };
    const { name: flag, value = "" } = token.option;
    if (VALUE_OPTIONS.has(flag) && value === "") return { ok: false, message: `${flag} expects a value` };
    switch (flag) {
      case "-h":
      case "--help":
        return { ok: "help" };
      case "--user":
        opts.scope = { kind: "user" };
        scopes++;
        break;
      case "--sys-prefix":
        opts.scope = { kind: "sys-prefix" };
        scopes++;
        break;
      case "--prefix":
        opts.scope = { kind: "prefix", dir: value };
        scopes++;
        break;
      case "--name":
        if (!/^[a-z0-9._-]+$/i.test(value)) {
          return { ok: false, message: `--name must use only letters, digits, ".", "_" and "-" (a Jupyter kernel name), got ${JSON.stringify(value)}` };
        }
        opts.name = value.toLowerCase();
        break;
      case "--display-name":
        if (allowed !== "install") return { ok: false, message: `unknown option ${JSON.stringify(flag)}` };
        opts.displayName = value;
        break;
      case "--env": {
        if (allowed !== "install") return { ok: false, message: `unknown option ${JSON.stringify(flag)}` };
        const at = value.indexOf("=");
        if (at <= 0) return { ok: false, message: `--env expects KEY=VALUE, got ${JSON.stringify(value)}` };
        opts.env[value.slice(0, at)] = value.slice(at + 1);
        break;
      }
      default:
        return { ok: false, message: `unknown option ${JSON.stringify(token.arg)}` };
    }
  }
  if (scopes > 1) return { ok: false, message: "choose at most one of --user, --sys-prefix and --prefix DIR" };
  return { ok: true, value: opts };
}

/** The package root (holding kernel.json and kernel/), found from this module in dist/cli or src/cli. */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, "kernel.json")) && existsSync(join(dir, "kernel", "tsloop.js"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the tsloop package root (kernel.json, kernel/tsloop.js) above ${__dirname}`);
    dir = up;
  }
}

/** The kernelspec JSON: the template at the package root with absolute argv, names and env filled in. */
export function buildKernelSpec(root: string, opts: InstallOptions, node: string[] = kernelNodeCommand()): Record<string, unknown> {
  const template = JSON.parse(readFileSync(join(root, "kernel.json"), "utf8")) as Record<string, unknown>;
  const env = typeof template.env === "object" && template.env !== null ? (template.env as Record<string, string>) : {};
  return {
    ...template,
    argv: [...node, join(root, "kernel", "tsloop.js"), "kernel", "-f", "{connection_file}"],
    display_name: opts.displayName,
    language: "typescript",
    env: { ...env, ...opts.env },
  };
}

/** The same kernel for JavaScript cells: `--language javascript` after the `kernel` subcommand. */
export function buildJsKernelSpec(root: string, opts: InstallOptions): Record<string, unknown> {
  const spec = buildKernelSpec(root, opts);
  const argv = [...(spec.argv as string[])];
  argv.splice(argv.indexOf("kernel") + 1, 0, "--language", "javascript");
  const displayName = opts.displayName === DEFAULT_DISPLAY_NAME ? DEFAULT_JS_DISPLAY_NAME : `${opts.displayName} (JavaScript)`;
  return { ...spec, argv, display_name: displayName, language: "javascript" };
}

/** The JavaScript kernelspec's options: the TypeScript one's name with JS_SUFFIX. */
export function jsSpecOptions<T extends Pick<InstallOptions, "name">>(opts: T): T {
  return { ...opts, name: opts.name + JS_SUFFIX };
}

/** Writes `<data dir>/kernels/<name>/` and returns that directory. Replaces an earlier install of the same name. */
export function installKernelSpec(opts: InstallOptions, root = packageRoot(), build = buildKernelSpec): string {
  const dir = kernelDirFor(opts.scope, opts.name);
  const spec = build(root, opts);
  if (existsSync(join(dir, "kernel.json"))) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  for (const logo of LOGOS) {
    const from = join(root, "kernel", logo);
    if (existsSync(from)) copyFileSync(from, join(dir, logo));
  }
  return dir;
}

/** Removes `<data dir>/kernels/<name>/`; returns the directory, or null when no kernelspec is there. */
export function uninstallKernelSpec(opts: Pick<InstallOptions, "scope" | "name">): string | null {
  const dir = kernelDirFor(opts.scope, opts.name);
  if (!existsSync(join(dir, "kernel.json"))) return null;
  rmSync(dir, { recursive: true, force: true });
  return dir;
}

export async function installCommand(args: string[]): Promise<number> {
  const parsed = parseInstallArgs(args, "install");
  if (parsed.ok === "help") return usage(INSTALL_USAGE, 0);
  if (!parsed.ok) return usage(`tsloop install: ${parsed.message}\n\n${INSTALL_USAGE}`, 2);
  try {
    const dir = installKernelSpec(parsed.value);
    // Its JavaScript twin: the same kernel with JavaScript cells.
    const js = jsSpecOptions(parsed.value);
    const jsDir = installKernelSpec(js, packageRoot(), buildJsKernelSpec);
    process.stdout.write(`Installed kernelspec ${js.name} ("${buildJsKernelSpec(packageRoot(), parsed.value).display_name as string}") in ${jsDir}\n`);
    process.stdout.write(`Installed kernelspec ${parsed.value.name} ("${parsed.value.displayName}") in ${dir}\n`);
    if (parsed.value.scope.kind !== "user") warnIfPrivate(dir);
    buildLanguageSnapshot();
    return 0;
  } catch (err) {
    return failure("install", err, parsed.value.scope);
  }
}

export async function uninstallCommand(args: string[]): Promise<number> {
  const parsed = parseInstallArgs(args, "uninstall");
  if (parsed.ok === "help") return usage(UNINSTALL_USAGE, 0);
  if (!parsed.ok) return usage(`tsloop uninstall: ${parsed.message}\n\n${UNINSTALL_USAGE}`, 2);
  try {
    // Both kernelspecs of an install: the TypeScript one and its JavaScript twin.
    const removed = [parsed.value, jsSpecOptions(parsed.value)].flatMap((opts) => {
      const dir = uninstallKernelSpec(opts);
      return dir === null ? [] : [`Removed kernelspec ${opts.name} from ${dir}\n`];
    });
    if (removed.length === 0) {
      const where = join(dataDirFor(parsed.value.scope), "kernels");
      process.stderr.write(`tsloop uninstall: no kernelspec named ${JSON.stringify(parsed.value.name)} or ${JSON.stringify(parsed.value.name + JS_SUFFIX)} in ${where}; nothing removed\n`);
      return 1;
    }
    process.stdout.write(removed.join(""));
    return 0;
  } catch (err) {
    return failure("uninstall", err, parsed.value.scope);
  }
}

/**
 * The language process's start-up snapshot for the kernelspec's Node, built in the background (a few seconds of CPU,
 * at low priority) so that the first kernel already starts fast; in the kernel's install when it is writable, so a
 * shared install serves every user (src/host/language-snapshot.ts). TSLOOP_SNAPSHOT=off skips it.
 */
function buildLanguageSnapshot(): void {
  const node = kernelNode();
  if ("error" in node || !snapshotsEnabled()) return;
  const state = findSnapshot(snapshotLocations(process.env, node.path, `v${node.version}`), node.path, `v${node.version}`);
  if (state.usable) return;
  startSnapshotBuild(process.env, node.path);
  process.stdout.write(`Building the type checker's start-up snapshot in the background (kernels start faster once it is there)\n`);
}

/** A kernelspec outside the user's own dir is for every user: warn when they cannot run what its argv names. */
function warnIfPrivate(dir: string): void {
  const argv = (JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8")) as { argv: string[] }).argv;
  const node = argv[0];
  const launcher = argv.find((arg) => arg.endsWith(join("kernel", "tsloop.js")));
  if (!node || !launcher || process.platform === "win32") return;
  const problems = unreachableForOthers(node, dirname(dirname(launcher)));
  if (problems.length === 0) return;
  process.stderr.write(
    `tsloop install: warning: this kernelspec is visible to every user, but their kernels will not start:\n` +
      problems.map((p) => `  ${p}\n`).join("") +
      `  Install Node and tsloop where every user can read them (deploy/install-tsloop.sh; docs/jupyterhub.md).\n`,
  );
}

function usage(text: string, code: number): number {
  (code === 0 ? process.stdout : process.stderr).write(text);
  return code;
}

function failure(command: string, err: unknown, scope: Scope): number {
  const e = err as NodeJS.ErrnoException;
  const hint = (e.code === "EACCES" || e.code === "EPERM") && scope.kind !== "user" ? " (no permission there; try --user)" : "";
  process.stderr.write(`tsloop ${command}: ${e.message ?? String(err)}${hint}\n`);
  return 1;
}
