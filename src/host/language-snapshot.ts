// The language process's start-up snapshot: where it lives, whether it is current, how it is built. A V8 snapshot
// of a process in which TypeScript is loaded and the lib files and @types/node are parsed and bound
// (src/host/language-snapshot-entry.ts) starts a language process whose first check costs ~0.15 s instead of ~1 s
// of CPU. A snapshot deserialises only in the Node binary that built it, and holds the kernel's own code as it was:
// its manifest lists the binary and every file it loaded, and any change makes it stale (then it is built again).
// Design and figures: docs/language-service.md.
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomInt } from "node:crypto";
import { accessSync, closeSync, constants, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { setPriority, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { log } from "../wire/log.js";
import { userCacheDir } from "./compile-cache.js";
import { switchedOff } from "../session/switches.js";

export interface SnapshotManifest {
  node: string;
  execPath: string;
  /** every module the snapshot's heap was loaded from */
  files: { path: string; size: number; mtimeMs: number }[];
  /** the V8 hash seed it was built with (snapshotFlags); absent in snapshots built before it was fixed */
  hashSeed?: number;
}

export interface SnapshotPaths {
  dir: string;
  blob: string;
  manifest: string;
  lock: string;
}

const ENTRY = join(__dirname, "language-snapshot-entry.js");
const BUILD_MAIN = join(__dirname, "language-snapshot-build-main.js");
const DETACH = "--detach";
/** a lock older than this is a builder that died */
const STALE_LOCK_MS = 10 * 60_000;
/** snapshots of other Node binaries or kernel installs are removed when unused this long */
const UNUSED_MS = 30 * 24 * 3600_000;

/** TSLOOP_SNAPSHOT=off: never start from a snapshot, never build one. */
export function snapshotsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !switchedOff(env.TSLOOP_SNAPSHOT);
}

/**
 * Where snapshots are looked for, in order: TSLOOP_SNAPSHOT_DIR alone when set; else the kernel's own install
 * (`<package>/.snapshots`, written by `tsloop install`, so that every user of a shared install starts fast), then the
 * user's cache (`<user cache>/tsloop/snapshots`). Each holds one snapshot per Node binary and kernel install.
 */
export function snapshotLocations(env: NodeJS.ProcessEnv = process.env, execPath = process.execPath, version = process.version): SnapshotPaths[] {
  const dirs = env.TSLOOP_SNAPSHOT_DIR ? [env.TSLOOP_SNAPSHOT_DIR] : [join(__dirname, "..", "..", ".snapshots"), join(userCacheDir(env), "snapshots")];
  const key = createHash("sha256").update([execPath, version, __dirname].join("\n")).digest("hex").slice(0, 12);
  return dirs.map((dir) => {
    const base = join(dir, `language-${version}-${key}`);
    return { dir, blob: `${base}.blob`, manifest: `${base}.json`, lock: `${base}.lock` };
  });
}

/** `flags`: the V8 flags a process started from it needs before `--snapshot-blob` (snapshotFlags) */
export type SnapshotState = { usable: true; blob: string; flags: string[] } | { usable: false; why: string };

/**
 * V8 rehashes every hash table of a snapshot's heap as it deserializes it (the process's hash seed is random, so the
 * hashes the heap holds are wrong for it). The language snapshot is built with a seed of its own, recorded in its
 * manifest; a process started with that seed can skip the rehash: the first result came ~80–130 ms sooner (the
 * language process's first answer, median of 6 starts: 864 → 739 ms and 891 → 813 ms, 2026-12-08). A fixed seed
 * lets one who knows it craft colliding keys (hash flooding); the language process reads only its own user's cells.
 * Without a recorded seed (an older snapshot), the process starts as before.
 */
export function snapshotFlags(manifest: Pick<SnapshotManifest, "hashSeed">): string[] {
  const seed = manifest.hashSeed;
  return seed !== undefined && Number.isSafeInteger(seed) && seed > 0 ? [`--hash-seed=${seed}`, "--no-rehash-snapshot"] : [];
}

/** The seed a snapshot is built with: random per build (not one every install shares). */
function newHashSeed(): number {
  return randomInt(1, 2 ** 31);
}

/** Whether the snapshot at `paths` can start a language process for this kernel, or why not. */
export function snapshotState(paths: SnapshotPaths, execPath = process.execPath, version = process.version): SnapshotState {
  let manifest: SnapshotManifest;
  try {
    manifest = JSON.parse(readFileSync(paths.manifest, "utf8")) as SnapshotManifest;
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
    return { usable: false, why: missing ? `none built yet in ${paths.dir}` : `unreadable manifest ${paths.manifest}: ${(err as Error).message}` };
  }
  if (manifest.node !== version || manifest.execPath !== execPath) {
    return { usable: false, why: `built by ${manifest.execPath} ${manifest.node}, not ${execPath} ${version}` };
  }
  if (!Array.isArray(manifest.files) || manifest.files.length === 0) return { usable: false, why: `manifest ${paths.manifest} lists no files` };
  for (const file of manifest.files) {
    const stat = statSync(file.path, { throwIfNoEntry: false });
    if (!stat || stat.size !== file.size || stat.mtimeMs !== file.mtimeMs) return { usable: false, why: `${file.path} changed since it was built` };
  }
  if (!statSync(paths.blob, { throwIfNoEntry: false })?.isFile()) return { usable: false, why: `${paths.blob} is missing` };
  return { usable: true, blob: paths.blob, flags: snapshotFlags(manifest) };
}

/** The first usable snapshot, or every reason there is none. */
export function findSnapshot(locations: readonly SnapshotPaths[], execPath = process.execPath, version = process.version): SnapshotState {
  const why: string[] = [];
  for (const paths of locations) {
    const state = snapshotState(paths, execPath, version);
    if (state.usable) return state;
    why.push(state.why);
  }
  return { usable: false, why: why.join("; ") };
}

export type BuildResult = { built: true; paths: SnapshotPaths } | { built: false; why: string };

/**
 * Builds the snapshot in the first location this user can write (several seconds of CPU), as `execPath`. One builder
 * at a time per snapshot (a lock file); the blob and manifest appear together, by rename, when the build succeeded.
 */
export function buildSnapshot(locations: readonly SnapshotPaths[], execPath = process.execPath): BuildResult {
  const paths = locations.find(writable);
  if (!paths) return { built: false, why: `no writable place for it: ${locations.map((l) => l.dir).join(", ")}` };
  if (!takeLock(paths.lock)) return { built: false, why: `another kernel is building it (${paths.lock})` };
  const tmpBlob = `${paths.blob}.${process.pid}.tmp`;
  const tmpManifest = `${paths.manifest}.${process.pid}.tmp`;
  // The builder warms its language service in an empty folder of its own: no tsconfig.json or @types above it may
  // change what it parses (a notebook's session reuses only files parsed with the options it has itself).
  const warm = mkdtempSync(join(tmpdir(), "tsloop-snapshot-"));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, TSLOOP_SNAPSHOT_MANIFEST: tmpManifest };
    delete env.NODE_OPTIONS; // the user's options are for their code, and some cannot go into a snapshot
    const script = join(warm, "builder.js");
    writeFileSync(script, builderScript(ENTRY));
    // The entry records the seed in the manifest from its own command line (language-snapshot-entry.ts).
    const result = spawnSync(execPath, [`--hash-seed=${newHashSeed()}`, "--snapshot-blob", tmpBlob, "--build-snapshot", script], {
      cwd: warm,
      env,
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
      timeout: 5 * 60_000,
    });
    if (result.error) return { built: false, why: `could not run ${execPath}: ${result.error.message}` };
    if (result.status !== 0) return { built: false, why: `the builder exited with ${result.status ?? result.signal}: ${tail(result.stderr)}` };
    renameSync(tmpBlob, paths.blob);
    renameSync(tmpManifest, paths.manifest); // last: the manifest is what makes a snapshot count
    removeUnused(paths);
    return { built: true, paths };
  } finally {
    rmSync(tmpBlob, { force: true });
    rmSync(tmpManifest, { force: true });
    rmSync(warm, { recursive: true, force: true });
    rmSync(paths.lock, { force: true });
  }
}

/**
 * Builds it in the background, at the lowest CPU priority, in a process that is not the kernel's: the builder
 * starts another detached builder and leaves, so a kernel's shutdown (which ends the processes below it) and a short
 * kernel (`tsloop run`) do not cut the build short.
 */
export function startSnapshotBuild(env: NodeJS.ProcessEnv = process.env, execPath = process.execPath): void {
  // Not in the notebook's folder: nothing of the kernel should seem to linger there after it ended.
  const child = spawn(execPath, [BUILD_MAIN, DETACH], { cwd: tmpdir(), detached: true, stdio: "ignore", env });
  child.on("error", (err) => log.warn("could not start the language snapshot's build:", err.message));
  child.unref();
}

/** The builder's first step (`--detach`): lower its priority, start the real builder detached, and leave. */
export function detachBuilder(): void {
  try {
    setPriority(19); // inherited by the builder and by the Node it runs
  } catch (err) {
    log.debug("could not lower the snapshot builder's priority:", (err as Error).message);
  }
  spawn(process.execPath, [BUILD_MAIN], { cwd: tmpdir(), detached: true, stdio: "ignore" }).unref();
}

/** The detached builder's program: builds, and leaves the outcome in `<dir>/build.log` for whoever wonders. */
export function buildInBackground(argv: readonly string[] = process.argv.slice(2)): number {
  if (argv.includes(DETACH)) {
    detachBuilder();
    return 0;
  }
  const locations = snapshotLocations();
  if (findSnapshot(locations).usable) return 0; // another builder got there first
  const result = buildSnapshot(locations);
  const line = `${new Date().toISOString()} ${result.built ? `built ${result.paths.blob}` : `not built: ${result.why}`}\n`;
  const dir = result.built ? result.paths.dir : locations.find(writable)?.dir;
  if (dir) writeFileSync(join(dir, "build.log"), line, { flag: "a" });
  return result.built ? 0 : 1;
}

/** The script given to `--build-snapshot`: Node runs it with `require` (built-ins only), `__filename` and `__dirname`
 *  but no `exports`, so it runs the compiled entry (a CommonJS module) with a module object of its own. */
export function builderScript(entry: string): string {
  const file = JSON.stringify(entry);
  return [
    `// Generated by tsloop to build the language process's start-up snapshot from ${entry}`,
    `const module = { exports: {} };`,
    `const source = require("node:fs").readFileSync(${file}, "utf8") + "\\n//# sourceURL=" + ${file};`,
    `new Function("exports", "require", "module", "__filename", "__dirname", source)(module.exports, require, module, ${file}, ${JSON.stringify(dirname(entry))});`,
    ``,
  ].join("\n");
}

function writable(paths: SnapshotPaths): boolean {
  try {
    mkdirSync(paths.dir, { recursive: true });
    accessSync(paths.dir, constants.W_OK);
    return true;
  } catch {
    return false; // not this location: the next one is tried, and buildSnapshot says where it looked
  }
}

function takeLock(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(lock, "wx"));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const stat = statSync(lock, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs < STALE_LOCK_MS) return false;
      rmSync(lock, { force: true });
    }
  }
  return false;
}

/** Snapshots for other Node binaries or installs, unused for a month, are only disk (~45 MB each). */
function removeUnused(current: SnapshotPaths): void {
  for (const name of readdirSync(current.dir)) {
    const path = join(current.dir, name);
    if (!/^language-.*\.(blob|json)$/.test(name) || path === current.blob || path === current.manifest) continue;
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.atimeMs > UNUSED_MS) rmSync(path, { force: true });
  }
}

function tail(text: string | null): string {
  const lines = (text ?? "").split("\n").filter((l) => l.trim() && !/not yet fully verified|may still work|issue tracker|trace-warnings/.test(l));
  return lines.slice(-6).join(" | ") || "(no output)";
}
