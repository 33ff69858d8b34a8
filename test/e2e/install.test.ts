// `tsloop install` / `uninstall`: where the kernelspec goes (a table over scopes and environments), what it
// holds, that Debian's `jupyter kernelspec list` finds it, and that jupyter_client starts the kernel from it
// and runs `1 + 1`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PathEnv, type Scope, dataDirFor } from "../../src/cli/jupyter-paths.js";
import { DEFAULT_DISPLAY_NAME, parseInstallArgs } from "../../src/cli/install.js";
import { LAUNCHER, REPO_ROOT, kernelBuilt } from "../helpers/kernel-client.js";

const PYTHON = "/usr/bin/python3";
const JUPYTER = "/usr/bin/jupyter";

function hasJupyterClient(): boolean {
  return spawnSync(PYTHON, ["-c", "import jupyter_client"], { stdio: "ignore" }).status === 0;
}

function tsloop(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [LAUNCHER, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("kernelspec locations", () => {
  const linux = (env: NodeJS.ProcessEnv = {}): PathEnv => ({ env, platform: "linux", home: "/home/ada" });
  const table: [string, Scope, PathEnv, string][] = [
    ["--user on Linux", { kind: "user" }, linux(), "/home/ada/.local/share/jupyter"],
    ["--user with XDG_DATA_HOME", { kind: "user" }, linux({ XDG_DATA_HOME: "/xdg" }), "/xdg/jupyter"],
    ["--user with JUPYTER_DATA_DIR", { kind: "user" }, linux({ JUPYTER_DATA_DIR: "/jd", XDG_DATA_HOME: "/xdg" }), "/jd"],
    ["--user on macOS", { kind: "user" }, { env: {}, platform: "darwin", home: "/Users/ada" }, "/Users/ada/Library/Jupyter"],
    ["--sys-prefix without an environment", { kind: "sys-prefix" }, linux(), "/usr/local/share/jupyter"],
    ["--sys-prefix in a virtualenv", { kind: "sys-prefix" }, linux({ VIRTUAL_ENV: "/venv" }), "/venv/share/jupyter"],
    ["--sys-prefix in a conda env", { kind: "sys-prefix" }, linux({ CONDA_PREFIX: "/conda" }), "/conda/share/jupyter"],
    ["--prefix DIR", { kind: "prefix", dir: "/opt/x" }, linux({ VIRTUAL_ENV: "/venv" }), "/opt/x/share/jupyter"],
  ];
  it.each(table)("%s", (_name, scope, env, expected) => {
    expect(dataDirFor(scope, env)).toBe(expected);
  });
});

describe("install arguments", () => {
  it("defaults to --user, tsloop, and the standard display name", () => {
    expect(parseInstallArgs([], "install")).toEqual({
      ok: true,
      value: { scope: { kind: "user" }, name: "tsloop", displayName: DEFAULT_DISPLAY_NAME, env: {} },
    });
  });

  it("reads every option, in both --flag VALUE and --flag=VALUE forms", () => {
    const parsed = parseInstallArgs(["--prefix=/p", "--name", "ts-dev", "--display-name", "TS dev", "--env", "A=1", "--env=B=x=y"], "install");
    expect(parsed).toEqual({ ok: true, value: { scope: { kind: "prefix", dir: "/p" }, name: "ts-dev", displayName: "TS dev", env: { A: "1", B: "x=y" } } });
  });

  it.each([
    [["--prefix"], /--prefix expects a value/],
    [["--name", "no spaces"], /--name must use only/],
    [["--env", "NOEQUALS"], /KEY=VALUE/],
    [["--user", "--sys-prefix"], /at most one/],
    [["--frobnicate"], /unknown option "--frobnicate"/],
    [["--user=yes"], /--user takes no value, got "yes"/],
    [["--name="], /--name expects a value/],
    [["stray"], /unexpected argument "stray"/],
  ])("rejects %j", (args, message) => {
    const parsed = parseInstallArgs(args, "install");
    expect(parsed.ok).toBe(false);
    expect(parsed.ok === false && parsed.message).toMatch(message);
  });

  it("uninstall takes no --display-name", () => {
    expect(parseInstallArgs(["--display-name", "x"], "uninstall").ok).toBe(false);
  });
});

describe("tsloop install / uninstall (the CLI)", () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), "tsloop-install-"));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it("writes kernel.json with absolute argv and the logos, and uninstall removes them", () => {
    const installed = tsloop(["install", "--prefix", tmp, "--env", "TSLOOP_LOG=info"]);
    expect(installed.stderr).toBe("");
    expect(installed.code).toBe(0);
    const dir = join(tmp, "share", "jupyter", "kernels", "tsloop");
    expect(installed.stdout).toContain(dir);
    const spec = JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8")) as Record<string, unknown>;
    expect(spec).toMatchObject({
      argv: [process.execPath, join(REPO_ROOT, "kernel", "tsloop.js"), "kernel", "-f", "{connection_file}"],
      display_name: "TypeScript (tsloop)",
      language: "typescript",
      interrupt_mode: "message",
      env: { MALLOC_ARENA_MAX: "2", TSLOOP_LOG: "info" },
    });
    expect(readdirSync(dir).sort()).toEqual(["kernel.json", "logo-32x32.png", "logo-64x64.png", "logo-svg.svg"]);
    const png = readFileSync(join(dir, "logo-64x64.png"));
    expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(64);

    // The JavaScript twin: the same command with `--language javascript` after `kernel`, the same env.
    const jsDir = join(tmp, "share", "jupyter", "kernels", "tsloop-js");
    expect(installed.stdout).toContain(jsDir);
    const argv = spec.argv as string[];
    const at = argv.indexOf("kernel");
    expect(JSON.parse(readFileSync(join(jsDir, "kernel.json"), "utf8"))).toEqual({
      ...spec,
      argv: [...argv.slice(0, at + 1), "--language", "javascript", ...argv.slice(at + 1)],
      display_name: "JavaScript (tsloop)",
      language: "javascript",
    });

    const removed = tsloop(["uninstall", "--prefix", tmp]);
    expect(removed.code).toBe(0);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(jsDir)).toBe(false);

    const again = tsloop(["uninstall", "--prefix", tmp]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no kernelspec named "tsloop" or "tsloop-js"/);
  });

  it("installs for the user under JUPYTER_DATA_DIR, with a chosen name and display name", () => {
    const result = tsloop(["install", "--user", "--name", "ts-dev", "--display-name", "TS (dev)"], { JUPYTER_DATA_DIR: tmp });
    expect(result.code).toBe(0);
    const spec = JSON.parse(readFileSync(join(tmp, "kernels", "ts-dev", "kernel.json"), "utf8")) as Record<string, unknown>;
    expect(spec.display_name).toBe("TS (dev)");
    const jsSpec = JSON.parse(readFileSync(join(tmp, "kernels", "ts-dev-js", "kernel.json"), "utf8")) as Record<string, unknown>;
    expect(jsSpec.display_name).toBe("TS (dev) (JavaScript)");
    expect(tsloop(["uninstall", "--name", "ts-dev"], { JUPYTER_DATA_DIR: tmp }).code).toBe(0);
    expect(existsSync(join(tmp, "kernels", "ts-dev-js"))).toBe(false);
  });

  it("fails with usage on an unknown option", () => {
    const result = tsloop(["install", "--bogus"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option "--bogus"/);
  });
});

// Debian's Jupyter: `jupyter kernelspec list` and jupyter_client. CI installs them; locally they are optional.
const jupyterHere = existsSync(JUPYTER) && hasJupyterClient();
if (!jupyterHere && !process.env.CI) {
  process.stderr.write(`install.test.ts: skipping the jupyter_client tests: ${PYTHON} has no jupyter_client (apt-get install python3-jupyter-client jupyter-client)\n`);
}

describe.skipIf(!jupyterHere && !process.env.CI)("Jupyter finds and starts the installed kernel", () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), "tsloop-jupyter-"));
    env = {
      ...process.env,
      JUPYTER_PATH: join(tmp, "share", "jupyter"),
      JUPYTER_DATA_DIR: join(tmp, "data"),
      JUPYTER_RUNTIME_DIR: join(tmp, "runtime"),
      JUPYTER_CONFIG_DIR: join(tmp, "config"),
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
    };
    expect(tsloop(["install", "--prefix", tmp]).code).toBe(0);
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it("`jupyter kernelspec list --json` lists tsloop and tsloop-js, and neither after uninstall", () => {
    const list = () => {
      const result = spawnSync(JUPYTER, ["kernelspec", "list", "--json"], { encoding: "utf8", env });
      expect(result.status, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { kernelspecs: Record<string, { resource_dir: string; spec: Record<string, unknown> }> }).kernelspecs;
    };
    const specs = list();
    expect(specs.tsloop?.resource_dir).toBe(join(tmp, "share", "jupyter", "kernels", "tsloop"));
    expect(specs.tsloop?.spec).toMatchObject({ display_name: "TypeScript (tsloop)", language: "typescript" });
    expect(specs["tsloop-js"]?.resource_dir).toBe(join(tmp, "share", "jupyter", "kernels", "tsloop-js"));
    expect(specs["tsloop-js"]?.spec).toMatchObject({ display_name: "JavaScript (tsloop)", language: "javascript" });
    expect(tsloop(["uninstall", "--prefix", tmp]).code).toBe(0);
    // A system-wide install (deploy/install-tsloop.sh into /usr/local, on Jupyter's default path) may still be
    // listed: what must be gone is the one under this prefix.
    const after = list();
    expect(after.tsloop?.resource_dir ?? "").not.toContain(tmp);
    expect(after["tsloop-js"]?.resource_dir ?? "").not.toContain(tmp);
  });

  it.skipIf(!kernelBuilt() && !process.env.CI)("jupyter_client starts it, gets kernel_info, and runs 1 + 1", { timeout: 60_000 }, () => {
    const script = String.raw`
import json
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="tsloop", startup_timeout=30)
try:
    info = kc.kernel_info(reply=True, timeout=20)
    results = []
    def hook(msg):
        if msg["msg_type"] == "execute_result":
            results.append(msg["content"]["data"].get("text/plain"))
    reply = kc.execute_interactive("1 + 1", output_hook=hook, timeout=30)
    print(json.dumps({"language": info["content"]["language_info"]["name"], "status": reply["content"]["status"], "evalue": reply["content"].get("evalue"), "results": results}))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
`;
    const result = spawnSync(PYTHON, ["-c", script], { encoding: "utf8", env, timeout: 55_000 });
    expect(result.status, `python exited with ${result.status}; stderr:\n${result.stderr}`).toBe(0);
    const lastLine = result.stdout.trim().split("\n").at(-1) ?? "";
    expect(JSON.parse(lastLine)).toEqual({ language: "typescript", status: "ok", evalue: null, results: ["2"] });
  });
});
