// Whether a start-up snapshot may start the language process: its manifest names the Node binary that built it and
// every file its heap was loaded from, and any difference makes it unusable (a snapshot of old code would run old
// code). Building one for real is in test/e2e/language-process.test.ts.
import { mkdtempSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type SnapshotManifest, type SnapshotPaths, buildSnapshot, findSnapshot, snapshotFlags, snapshotLocations, snapshotState, snapshotsEnabled } from "../../../src/host/language-snapshot.js";

function place(): { paths: SnapshotPaths; module: string } {
  const dir = mkdtempSync(join(tmpdir(), "tsloop-snapshot-"));
  const [paths] = snapshotLocations({ TSLOOP_SNAPSHOT_DIR: dir });
  if (!paths) throw new Error("no location");
  const module = join(dir, "module.js");
  writeFileSync(module, "exports.x = 1;\n");
  return { paths, module };
}

function manifestFor(module: string, change: Partial<SnapshotManifest> = {}): SnapshotManifest {
  const { size, mtimeMs } = statSync(module);
  return { node: process.version, execPath: process.execPath, files: [{ path: module, size, mtimeMs }], ...change };
}

describe("a snapshot's state", () => {
  const cases: [string, (p: SnapshotPaths, module: string) => void, string | null][] = [
    ["none was built", () => undefined, "none built yet"],
    ["its manifest is not JSON", (p) => writeFileSync(p.manifest, "{"), "unreadable manifest"],
    ["another Node built it", (p, m) => writeFileSync(p.manifest, JSON.stringify(manifestFor(m, { node: "v0.0.1" }))), "built by"],
    ["another Node binary built it", (p, m) => writeFileSync(p.manifest, JSON.stringify(manifestFor(m, { execPath: "/elsewhere/node" }))), "built by /elsewhere/node"],
    ["it lists no files", (p, m) => writeFileSync(p.manifest, JSON.stringify(manifestFor(m, { files: [] }))), "lists no files"],
    [
      "a module changed since",
      (p, m) => {
        writeFileSync(p.manifest, JSON.stringify(manifestFor(m)));
        writeFileSync(p.blob, "blob");
        writeFileSync(m, "exports.x = 2; // longer\n");
      },
      "module.js changed since it was built",
    ],
    [
      "a module was touched since (same size)",
      (p, m) => {
        writeFileSync(p.manifest, JSON.stringify(manifestFor(m)));
        writeFileSync(p.blob, "blob");
        utimesSync(m, new Date(), new Date(Date.now() + 5000));
      },
      "module.js changed since it was built",
    ],
    ["its blob is missing", (p, m) => writeFileSync(p.manifest, JSON.stringify(manifestFor(m))), ".blob is missing"],
    [
      "it is current",
      (p, m) => {
        writeFileSync(p.manifest, JSON.stringify(manifestFor(m)));
        writeFileSync(p.blob, "blob");
      },
      null,
    ],
  ];
  it.each(cases)("when %s", (_case, arrange, why) => {
    const { paths, module } = place();
    arrange(paths, module);
    const state = snapshotState(paths);
    if (why === null) expect(state).toEqual({ usable: true, blob: paths.blob, flags: [] });
    else expect(state).toMatchObject({ usable: false, why: expect.stringContaining(why) });
  });

  it("the first usable location wins; without one, every location says why", () => {
    const a = place();
    const b = place();
    expect(findSnapshot([a.paths, b.paths])).toEqual({ usable: false, why: `none built yet in ${a.paths.dir}; none built yet in ${b.paths.dir}` });
    writeFileSync(b.paths.manifest, JSON.stringify(manifestFor(b.module)));
    writeFileSync(b.paths.blob, "blob");
    expect(findSnapshot([a.paths, b.paths])).toEqual({ usable: true, blob: b.paths.blob, flags: [] });
  });
});

describe("the flags a process started from a snapshot runs with", () => {
  // Skipping the rehash is right only with the seed the heap was hashed with; a wrong pairing breaks every lookup.
  const cases: [string, Pick<SnapshotManifest, "hashSeed">, string[]][] = [
    ["built with a seed: that seed, no rehash", { hashSeed: 123456 }, ["--hash-seed=123456", "--no-rehash-snapshot"]],
    ["built before seeds were recorded: V8's defaults", {}, []],
    ["a seed of 0 (V8's 'random'): V8's defaults", { hashSeed: 0 }, []],
    ["a seed that is not an integer: V8's defaults", { hashSeed: 1.5 }, []],
  ];
  it.each(cases)("%s", (_case, manifest, flags) => {
    expect(snapshotFlags(manifest)).toEqual(flags);
  });

  it("a current snapshot's state carries its manifest's flags", () => {
    const { paths, module } = place();
    writeFileSync(paths.manifest, JSON.stringify(manifestFor(module, { hashSeed: 77 })));
    writeFileSync(paths.blob, "blob");
    expect(snapshotState(paths)).toEqual({ usable: true, blob: paths.blob, flags: ["--hash-seed=77", "--no-rehash-snapshot"] });
  });
});

describe("where snapshots live", () => {
  it("TSLOOP_SNAPSHOT_DIR alone when set, else the kernel's install then the user's cache", () => {
    expect(snapshotLocations({ TSLOOP_SNAPSHOT_DIR: "/snap" }).map((l) => l.dir)).toEqual(["/snap"]);
    const dirs = snapshotLocations({ XDG_CACHE_HOME: "/cache" }).map((l) => l.dir);
    expect(dirs[0]).toMatch(/\.snapshots$/);
    expect(dirs[1]).toBe("/cache/tsloop/snapshots");
  });

  it("one snapshot per Node binary and version", () => {
    const [a] = snapshotLocations({ TSLOOP_SNAPSHOT_DIR: "/snap" }, "/usr/bin/node", "v24.1.0");
    const [b] = snapshotLocations({ TSLOOP_SNAPSHOT_DIR: "/snap" }, "/opt/node/bin/node", "v24.1.0");
    const [c] = snapshotLocations({ TSLOOP_SNAPSHOT_DIR: "/snap" }, "/usr/bin/node", "v22.9.0");
    expect(new Set([a?.blob, b?.blob, c?.blob]).size).toBe(3);
    expect(a?.blob).toMatch(/^\/snap\/language-v24\.1\.0-[0-9a-f]{12}\.blob$/);
  });

  it.each([
    [undefined, true],
    ["on", true],
    ["off", false],
    ["0", false],
    ["no", false],
  ])("TSLOOP_SNAPSHOT=%s: snapshots used %s", (value, enabled) => {
    expect(snapshotsEnabled(value === undefined ? {} : { TSLOOP_SNAPSHOT: value })).toBe(enabled);
  });
});

describe("building", () => {
  it("leaves the build to the kernel that holds the lock", () => {
    const { paths } = place();
    writeFileSync(paths.lock, "");
    expect(buildSnapshot([paths])).toEqual({ built: false, why: `another kernel is building it (${paths.lock})` });
  });

  it("says where it looked when no location can be written", () => {
    const file = join(mkdtempSync(join(tmpdir(), "tsloop-snapshot-")), "a-file");
    writeFileSync(file, "");
    const [paths] = snapshotLocations({ TSLOOP_SNAPSHOT_DIR: join(file, "snapshots") });
    expect(buildSnapshot([paths!])).toEqual({ built: false, why: `no writable place for it: ${join(file, "snapshots")}` });
  });
});
