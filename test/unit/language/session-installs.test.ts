// Packages installed while a session runs: the session notices an install by a fingerprint of the node_modules folders
// Node looks in (installs()) instead of stat-ing every file it ever read after each cell, and then reads the package's
// files and resolves imports again; a cell's own imports are always resolved afresh.
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { installs } from "../../../src/language/host.js";
import { SessionLanguageService } from "../../../src/language/session-service.js";
import { SESSION_TIMEOUT, notebookDir } from "./helpers.js";

/** Write `text` at `path` under `dir` and date it `seconds` from now (mtimes a test can tell apart). */
function write(dir: string, path: string, text: string, seconds = 10): void {
  const file = join(dir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  const when = Date.now() / 1000 + seconds;
  utimesSync(file, when, when);
}

function touch(dir: string, path: string, seconds: number): void {
  const when = Date.now() / 1000 + seconds;
  utimesSync(join(dir, path), when, when);
}

const PACKAGE = { "node_modules/pkg/package.json": JSON.stringify({ name: "pkg", types: "index.d.ts" }), "node_modules/.package-lock.json": "{}" };

describe("installs(): the fingerprint of the packages a notebook's folder sees", () => {
  const cases: [string, (dir: string) => void, boolean][] = [
    ["npm rewrites its hidden lockfile (any install, also an upgrade in place)", (d) => touch(d, "node_modules/.package-lock.json", 20), true],
    ["a package folder is added to node_modules", (d) => mkdirSync(join(d, "node_modules", "added")), true],
    ["a package is added under @types", (d) => mkdirSync(join(d, "node_modules", "@types", "added"), { recursive: true }), true],
    ["pnpm rewrites its state file", (d) => write(d, "node_modules/.modules.yaml", "x", 30), true],
    ["node_modules appears in a folder above", (d) => mkdirSync(join(d, "sub", "node_modules", "x"), { recursive: true }), true],
    ["the notebook's own module is edited", (d) => write(d, "helpers.ts", "export const x = 2;", 40), false],
    ["a package's file is edited without an install", (d) => write(d, "node_modules/pkg/index.d.ts", "export {};", 50), false],
  ];
  it.each(cases)("%s → changed: %s", (_what, change, changed) => {
    const dir = notebookDir({ ...PACKAGE, "node_modules/pkg/index.d.ts": "export {};", "helpers.ts": "export const x = 1;" });
    // "node_modules appears in a folder above" looks from a folder below the notebook's.
    const cwd = _what.includes("above") ? join(dir, "sub", "deeper") : dir;
    mkdirSync(cwd, { recursive: true });
    const before = installs(cwd);
    change(dir);
    expect(installs(cwd) !== before).toBe(changed);
  });
});

describe("a package installed or upgraded between cells", () => {
  const session = (dir: string) => new SessionLanguageService({ cwd: dir });
  const errors = (s: SessionLanguageService, code: string) => s.check(code, "c").filter((d) => d.category === "error").map((d) => d.message);

  it("gives later cells the upgraded package's types once the install is recorded", { timeout: SESSION_TIMEOUT }, () => {
    const dir = notebookDir({ ...PACKAGE, "node_modules/pkg/index.d.ts": "export declare const v: number;\n" });
    const s = session(dir);
    const first = 'import { v } from "pkg";';
    expect(errors(s, first)).toEqual([]);
    s.commit(first, 1);
    expect(errors(s, "const n: number = v;")).toEqual([]);
    // npm upgrades pkg in place: new declarations, and its hidden lockfile rewritten.
    write(dir, "node_modules/pkg/index.d.ts", "export declare const v: string;\n", 60);
    touch(dir, "node_modules/.package-lock.json", 60);
    s.commit("const unrelated = 1;", 2);
    expect(errors(s, "const n: number = v;")).toEqual([expect.stringMatching(/Type 'string' is not assignable to type 'number'/)]);
  });

  it("finds a package installed after a cell failed to import it, when that cell is run again unchanged", { timeout: SESSION_TIMEOUT }, () => {
    const dir = notebookDir();
    const s = session(dir);
    const cell = 'import { late } from "late-pkg";\nconst n: number = late;';
    expect(errors(s, cell)).toEqual([expect.stringMatching(/Cannot find module 'late-pkg'/)]);
    write(dir, "node_modules/late-pkg/package.json", JSON.stringify({ name: "late-pkg", types: "index.d.ts" }));
    write(dir, "node_modules/late-pkg/index.d.ts", "export declare const late: number;\n");
    expect(errors(s, cell)).toEqual([]);
  });
});
