// A committed cell must not cost the next check a rebuild of the whole program: TypeScript reuses a program's
// structure (the lib files' and @types/node's references and imports) only when the root files are the same, so
// committed cells' files are roots before their cells commit. These tests read the program's own record of it.
import type ts from "typescript";
import { describe, expect, it } from "vitest";
import type { SessionLanguageService } from "../../../src/language/session-service.js";
import { SESSION_TIMEOUT, newSession } from "./helpers.js";

/** TypeScript's StructureIsReused (internal): Not, SafeModules, Completely */
const REUSE = ["Not", "SafeModules", "Completely"] as const;

interface Internals {
  service: ts.LanguageService;
  host: ts.LanguageServiceHost;
}

const internals = (session: SessionLanguageService): Internals => session as unknown as Internals;

/** How the program of the check of `code` was built from the one before it. */
function reuseOfCheck(session: SessionLanguageService, code: string): (typeof REUSE)[number] {
  expect(session.check(code, "probe")).toEqual([]);
  const program = internals(session).service.getProgram() as (ts.Program & { structureIsReused?: number }) | undefined;
  const reuse = REUSE[program?.structureIsReused ?? -1];
  if (reuse === undefined) throw new Error("TypeScript's program no longer records structureIsReused");
  return reuse;
}

const cellFiles = (session: SessionLanguageService): string[] =>
  internals(session)
    .host.getScriptFileNames()
    .map((f) => /__tsloop_cell_(\d+)/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined);

describe("committed cells and the program's structure", () => {
  it.each([
    { what: "cells run one after another", runs: [1, 2, 3, 4, 5, 6], rebuilt: [1] },
    { what: "runs with gaps inside the reserved range (cells that declared nothing)", runs: [1, 3, 8, 20], rebuilt: [1] },
    { what: "a run past the reserved range", runs: [1, 2, 40, 41], rebuilt: [1, 40] },
  ])("the check after a commit reuses the program's structure: $what", ({ runs, rebuilt }) => {
    const session = newSession();
    session.check("", "first");
    for (const run of runs) {
      const code = `const v${run} = ${run};\nfunction f${run}(x: number): number { return x + v${run}; }`;
      expect(session.check(code, "cell")).toEqual([]);
      session.commit(code, run);
      const reuse = reuseOfCheck(session, `const use${run}: number = f${run}(v${run});`);
      expect({ run, reuse }).toEqual({ run, reuse: rebuilt.includes(run) ? "Not" : "Completely" });
    }
  }, SESSION_TIMEOUT);

  it("drops the reserved files of runs that never committed when a run lands past them", () => {
    const session = newSession();
    session.commit("const a = 1;", 1);
    expect(cellFiles(session)).toHaveLength(32); // run 1 and the 31 runs after it
    session.commit("const b = 2;", 100);
    expect(cellFiles(session)).toEqual(["1", ...Array.from({ length: 32 }, (_, i) => String(100 + i))]);
    // the names of both committed cells are there, and nothing of the dropped or empty ones shows up
    expect(session.check("const sum: number = a + b;", "c")).toEqual([]);
    expect(session.sessionNames().sort()).toEqual(["a", "b"]);
  }, SESSION_TIMEOUT);

  it.each([
    { what: "a name only lib declares elsewhere", cell: "const crypto = 1;", later: "const n: number = crypto;" },
    { what: "a name of the cell API", cell: 'const input = "x";', later: "const s: string = input;" },
  ])("still finds a new cell's names that $what uses, without looking at every session name", ({ cell, later }) => {
    const session = newSession();
    for (let run = 1; run <= 3; run++) session.commit(`const x${run} = ${run};`, run);
    session.commit(cell, 4);
    expect(session.check(later, "c")).toEqual([]);
  }, SESSION_TIMEOUT);

  it("finds an earlier cell's name that a package loaded later declares as a global", () => {
    const session = newSession({
      "node_modules/globalpkg/package.json": JSON.stringify({ name: "globalpkg", types: "index.d.ts" }),
      "node_modules/globalpkg/index.d.ts": "declare global { const shared: Date; }\nexport declare const marker: number;\n",
    });
    session.commit("const shared = 42;", 1);
    session.commit('import { marker } from "globalpkg";', 2);
    // `shared` of cell 1 is now also the package's global: it leaves the global scope, and later cells see the
    // session's own through their prelude
    expect(session.check("const n: number = shared + marker;", "c")).toEqual([]);
    const { host, service } = internals(session);
    const input = host.getScriptFileNames().find((f) => f.endsWith("__tsloop_input.mts")) ?? "";
    const text = host.getScriptSnapshot(input)?.getText(0, Infinity) ?? "";
    expect(text).toContain("declare const shared: typeof import(");
    const program = service.getProgram();
    const cell1 = program?.getSourceFile(host.getScriptFileNames().find((f) => f.includes("__tsloop_cell_1.")) ?? "");
    expect(program?.getSemanticDiagnostics(cell1).map((d) => d.messageText)).toEqual([]);
  }, SESSION_TIMEOUT);
});
