// `npm install` in a fresh clone prints no install-scripts warning from the project's own dependencies: every
// installed package with an install script is listed in package.json's `allowScripts` (npm 11 blocks the others and
// warns about them). Checked against the installed node_modules, and with `npm install-scripts ls` where npm has it.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/kernel-client.js";

const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall"];

interface Manifest {
  name?: string;
  version?: string;
  scripts?: Record<string, string>;
  gypfile?: boolean;
  allowScripts?: Record<string, boolean>;
}

/** Every package under node_modules (nested ones and scopes included) that has an install script. */
function packagesWithInstallScripts(dir: string, found = new Set<string>()): Set<string> {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (entry.startsWith("@")) {
      packagesWithInstallScripts(path, found);
      continue;
    }
    const manifestPath = join(path, "package.json");
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    const scripted = INSTALL_SCRIPTS.some((s) => manifest.scripts?.[s] !== undefined) || (manifest.gypfile === true && existsSync(join(path, "binding.gyp")));
    if (scripted && manifest.name) found.add(manifest.name);
    packagesWithInstallScripts(join(path, "node_modules"), found);
  }
  return found;
}

describe("install scripts of the project's dependencies", () => {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as Manifest;
  const allowed = new Set(Object.keys(manifest.allowScripts ?? {}).map((key) => key.replace(/(.)@[^@]*$/, "$1")));

  it("lists every installed package with an install script in allowScripts", () => {
    const scripted = packagesWithInstallScripts(join(REPO_ROOT, "node_modules"));
    expect(scripted.size, "expected at least zeromq to have an install script").toBeGreaterThan(0);
    expect([...scripted].filter((name) => !allowed.has(name))).toEqual([]);
  });

  it("leaves nothing for npm install-scripts ls to report (npm 11 and later)", () => {
    const ls = spawnSync("npm", ["install-scripts", "ls"], { cwd: REPO_ROOT, encoding: "utf8" });
    if (ls.status !== 0 && /Unknown command|not a valid|Usage/i.test(`${ls.stdout}${ls.stderr}`)) return; // older npm: the walk above is the check
    expect(ls.status, `${ls.stdout}${ls.stderr}`).toBe(0);
    expect(`${ls.stdout}${ls.stderr}`).toMatch(/No packages with unreviewed install scripts/);
  });
});
