// The lib files and @types/node a warm-up parsed and bound are the very SourceFile objects the next session service
// of the process uses, whatever its folder (the language process's start-up snapshot relies on it), and only the
// next one: later services parse their own.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it, vi } from "vitest";
import { SessionLanguageService } from "../../../src/language/session-service.js";
import { type SharedResolutions, offerDocuments, reusableResolutions, sharedResolutions } from "../../../src/language/shared-documents.js";
import { installs } from "../../../src/language/host.js";
import { CELL_API_DTS } from "../../../src/runtime/api-types.js";
import { SESSION_TIMEOUT, notebookDir } from "./helpers.js";

function programOf(session: SessionLanguageService): ts.Program {
  const program = session["service"].getProgram();
  if (!program) throw new Error("the session has no program");
  return program;
}

/** The files every session shares: TypeScript's lib and Node's types (not the notebook's virtual files). */
function libraryFiles(program: ts.Program): Map<string, ts.SourceFile> {
  return new Map(program.getSourceFiles().filter((f) => f.fileName.includes("/node_modules/")).map((f) => [f.fileName, f]));
}

describe("documents shared from a warm-up", () => {
  it.each(["typescript", "javascript"] as const)(
    "a %s session in another folder uses the warm-up's parsed lib and @types/node, and the next session does not",
    (language) => {
      const warm = new SessionLanguageService({ cwd: notebookDir(), extraGlobals: CELL_API_DTS });
      warm.warmUp();
      const warmFiles = libraryFiles(programOf(warm));
      expect([...warmFiles.keys()].some((f) => f.includes("/@types/node/"))).toBe(true);
      let released = 0;
      offerDocuments({ registry: warm["documents"], release: () => released++, files: new Set(warmFiles.values()) });

      // The session never reads those files' text: only a file TypeScript parses is read (~30 ms of the first check).
      const reads = vi.spyOn(ts.sys, "readFile");
      const session = new SessionLanguageService({ cwd: notebookDir(), extraGlobals: CELL_API_DTS, javascript: language === "javascript" });
      expect(session.check("// @ts-check\nconst n: number = 'one';", "cell_1").map((d) => d.code)).toEqual(language === "typescript" ? [2322] : [8010]);
      const readFiles = reads.mock.calls.map(([file]) => file);
      reads.mockRestore();
      expect(readFiles.filter((f) => warmFiles.has(f))).toEqual([]);
      const files = libraryFiles(programOf(session));
      expect(files.size).toBe(warmFiles.size);
      for (const [name, file] of files) expect(file === warmFiles.get(name), name).toBe(true);
      expect(released).toBe(1);

      const later = new SessionLanguageService({ cwd: notebookDir(), extraGlobals: CELL_API_DTS });
      later.warmUp();
      const laterFiles = libraryFiles(programOf(later));
      expect([...laterFiles].filter(([name, file]) => file === warmFiles.get(name))).toEqual([]);
    },
    SESSION_TIMEOUT,
  );

  it("warmSharedDocuments leaves the parsed files to the next session and lets go of its own program", () => {
    SessionLanguageService.warmSharedDocuments({ cwd: notebookDir(), extraGlobals: CELL_API_DTS });
    const session = new SessionLanguageService({ cwd: notebookDir(), extraGlobals: CELL_API_DTS });
    expect(session.check("const s: string = 1;", "cell_1").map((d) => d.code)).toEqual([2322]);
    expect(libraryFiles(programOf(session)).size).toBeGreaterThan(100);
  }, SESSION_TIMEOUT);
});

describe("module resolutions shared from a warm-up", () => {
  it("a session with the warm-up's options resolves none of @types/node's imports again", () => {
    const warm = new SessionLanguageService({ cwd: notebookDir(), extraGlobals: CELL_API_DTS });
    warm.check("", "warm-up");
    const files = new Set(programOf(warm).getSourceFiles());
    offerDocuments({ registry: warm["documents"], release: () => undefined, files, resolutions: sharedResolutions(warm["host"].resolutions(), files) });
    const looks = vi.spyOn(ts.sys, "fileExists");
    const session = new SessionLanguageService({ cwd: notebookDir(), extraGlobals: CELL_API_DTS });
    expect(session.check("const s: string = 1;", "cell_1").map((d) => d.code)).toEqual([2322]);
    const looked = looks.mock.calls.map(([file]) => file);
    looks.mockRestore();
    // Only `types: ["node"]` is looked up (a program resolves its type references itself); without the shared
    // resolutions, every import in @types/node's files is looked up again, up the node_modules folders (~700 calls).
    const typesEntry = /\/@types\/node(\.d\.ts|\/index\.d\.ts)$/;
    expect(looked.filter((f) => f.includes("/node_modules/") && !typesEntry.test(f))).toEqual([]);
  }, SESSION_TIMEOUT);

  const options = { strict: true, module: ts.ModuleKind.NodeNext, types: ["node"] };
  const cases: [string, (installed: string) => ts.CompilerOptions, boolean][] = [
    ["the same options: reused", () => ({ ...options }), true],
    ["the same options set in another order: reused", () => ({ types: ["node"], module: ts.ModuleKind.NodeNext, strict: true }), true],
    ["other options (tsconfig paths): resolved afresh", () => ({ ...options, paths: { "@/*": ["./src/*"] } }), false],
    [
      "a package installed since where the shared files look: resolved afresh",
      (installed) => {
        mkdirSync(join(installed, "node_modules", "new-package"));
        return { ...options };
      },
      false,
    ],
  ];
  it.each(cases)("%s", (_case, arrange, reused) => {
    const installed = mkdtempSync(join(tmpdir(), "tsloop-installs-"));
    const types = join(installed, "node_modules", "@types", "node");
    mkdirSync(types, { recursive: true });
    const caches = { modules: ts.createModuleResolutionCache(installed, (f) => f, options), bundler: ts.createModuleResolutionCache(installed, (f) => f, options) };
    const shared: SharedResolutions = { options, caches, installedAt: { dir: types, marks: installs(types) } };
    const sessionOptions = arrange(installed);
    expect(reusableResolutions(shared, sessionOptions)).toBe(reused ? caches : undefined);
  });
});
