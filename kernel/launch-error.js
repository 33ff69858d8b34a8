// Why the launcher could not load tsloop, as ONE line on stderr (which the Jupyter server copies into its log),
// instead of Node's "Cannot find module" stack trace. The usual cause on a shared server (JupyterHub) is an
// install that the student's uid cannot read: a package under root's home or an nvm dir. Plain JavaScript with
// no dependencies, because the package's own code may be what cannot be read.
"use strict";
const { accessSync, constants, existsSync, readdirSync, writeFileSync } = require("node:fs");
const { join, resolve, sep } = require("node:path");
const os = require("node:os");

/** Errors that mean "the package cannot be loaded"; anything else is a bug and keeps its stack trace. */
const LOAD_ERRORS = new Set(["MODULE_NOT_FOUND", "EACCES", "EPERM", "ERR_MODULE_NOT_FOUND"]);

/** Node 24 reports a dependency whose package.json it may not read as an invalid package config, not as missing. */
function isUnreadablePackageConfig(err) {
  return err.code === "ERR_INVALID_PACKAGE_CONFIG" && /permission denied/i.test(String(err.message));
}

/** The first directory from / down to `target` (then `target` itself) this process cannot enter or read. */
function firstBlocked(target) {
  const parts = resolve(target).split(sep).filter(Boolean);
  let path = sep;
  for (const part of ["", ...parts]) {
    path = part ? join(path, part) : path;
    if (!existsSync(path)) {
      // existsSync is false both for "absent" and for "inside a dir we cannot search": the parent was checked.
      return null;
    }
    try {
      accessSync(path, constants.R_OK | constants.X_OK);
    } catch {
      return path;
    }
  }
  return null;
}

function who() {
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  let name;
  try {
    name = os.userInfo().username;
  } catch {
    name = undefined; // a uid with no passwd entry (containers): the number says enough
  }
  return uid === undefined ? "this user" : `uid ${uid}${name ? ` (${name})` : ""}`;
}

/** The first directory below `dir` (depth first) this process cannot enter or read; null if none. */
function blockedBelow(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return null; // absent, or `dir` itself is blocked (firstBlocked reports that)
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    try {
      accessSync(path, constants.R_OK | constants.X_OK);
    } catch {
      return path;
    }
    const deeper = blockedBelow(path);
    if (deeper) return deeper;
  }
  return null;
}

/** The one line: what cannot be read, by whom, and what to do. */
function launchErrorLine(err, root) {
  const candidates = [() => firstBlocked(join(root, "dist", "cli")), () => firstBlocked(join(root, "node_modules")), () => blockedBelow(join(root, "dist"))];
  for (const find of candidates) {
    const blocked = find();
    if (blocked) {
      return (
        `tsloop: cannot start: ${blocked} cannot be read by ${who()}, so the kernel in ${root} cannot load; ` +
        `install tsloop and Node where every user can read them (e.g. deploy/install-tsloop.sh into /usr/local; see docs/jupyterhub.md)`
      );
    }
  }
  const first = String((err && err.message) || err).split("\n")[0];
  return `tsloop: cannot start: ${first} (the package in ${root} is incomplete: run \`npm run build\` in a checkout, or reinstall it)`;
}

/**
 * Writes the line and exits 1. jupyter_client restarts a dead kernel up to five times with the same connection
 * file name; a marker beside that file keeps the restarts silent, so the server log holds the line once.
 */
function exitWithLaunchError(err, args) {
  if (!err || !(LOAD_ERRORS.has(err.code) || isUnreadablePackageConfig(err))) throw err;
  const root = resolve(__dirname, "..");
  const line = launchErrorLine(err, root);
  const at = args.findIndex((a) => a === "-f" || a === "--connection-file");
  const marker = at >= 0 && args[at + 1] ? `${args[at + 1]}.tsloop-launch-failed` : null;
  if (!marker || !existsSync(marker)) process.stderr.write(`${line}\n`);
  if (marker) {
    try {
      writeFileSync(marker, `${line}\n`);
    } catch {
      // Without the marker each restart prints the line again: noisier, still correct.
    }
  }
  process.exit(1);
}

module.exports = { exitWithLaunchError, launchErrorLine, firstBlocked };
