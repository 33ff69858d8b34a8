// Which paths of a system-wide kernelspec other users cannot reach: a table over file-system modes.
import { describe, expect, it } from "vitest";
import { type ModeOf, unreachableForOthers } from "../../../src/cli/shared-access.js";

/** A file system as a table of modes; anything not listed is absent. Directories end with "/". */
function fs(entries: Record<string, number>): ModeOf {
  return (path) => {
    if (`${path}/` in entries) return { mode: entries[`${path}/`] as number };
    if (path in entries) return { mode: entries[path] as number };
    return undefined;
  };
}

const usrLocal = {
  "/": 0o755,
  "/usr/": 0o755,
  "/usr/bin/": 0o755,
  "/usr/bin/node": 0o755,
  "/usr/local/": 0o755,
  "/usr/local/lib/": 0o755,
  "/usr/local/lib/node_modules/": 0o755,
  "/usr/local/lib/node_modules/tsloop/": 0o755,
  "/usr/local/lib/node_modules/tsloop/kernel/": 0o755,
  "/usr/local/lib/node_modules/tsloop/kernel/tsloop.js": 0o755,
  "/usr/local/lib/node_modules/tsloop/dist/": 0o755,
  "/usr/local/lib/node_modules/tsloop/node_modules/": 0o755,
};
const pkg = "/usr/local/lib/node_modules/tsloop";

describe("unreachableForOthers", () => {
  it("finds nothing wrong with /usr/bin/node and a package in /usr/local/lib", () => {
    expect(unreachableForOthers("/usr/bin/node", pkg, fs(usrLocal))).toEqual([]);
  });

  it("names root's home once when both Node (nvm) and the package sit under it", () => {
    const home = { "/": 0o755, "/root/": 0o700, "/root/.nvm/": 0o755, "/root/.nvm/node": 0o755, "/root/tsloop/": 0o755 };
    expect(unreachableForOthers("/root/.nvm/node", "/root/tsloop", fs(home))).toEqual(["/root (mode 0700) cannot be entered by other users, so they cannot execute /root/.nvm/node"]);
  });

  it("names a package dir others cannot read (umask 077 at install)", () => {
    expect(unreachableForOthers("/usr/bin/node", pkg, fs({ ...usrLocal, [`${pkg}/dist/`]: 0o700 }))).toEqual([`other users cannot read ${pkg}/dist (mode 0700)`]);
  });

  it("names a Node binary only its owner may run", () => {
    expect(unreachableForOthers("/usr/bin/node", pkg, fs({ ...usrLocal, "/usr/bin/node": 0o750 }))).toEqual(["other users cannot execute /usr/bin/node (mode 0750)"]);
  });

  it("names an unreadable launcher and unreadable dependencies, each once", () => {
    const modes = fs({ ...usrLocal, [`${pkg}/kernel/tsloop.js`]: 0o700, [`${pkg}/node_modules/`]: 0o711 });
    expect(unreachableForOthers("/usr/bin/node", pkg, modes)).toEqual([
      `other users cannot read ${pkg}/kernel/tsloop.js (mode 0700)`,
      `other users cannot read ${pkg}/node_modules (mode 0711)`,
    ]);
  });
});
