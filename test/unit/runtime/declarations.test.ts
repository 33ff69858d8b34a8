// The declarations the checker gives cells are generated (scripts/declarations.mjs, tsc's declaration emit) from
// the modules in src/runtime/declarations, which the implementations satisfy: the committed generated.ts must be
// what those modules give, and the cell API and the Deno global must come out as global declarations.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { CELL_API_DTS } from "../../../src/runtime/api-types.js";
import { DENO_DTS, TSLAB_DTS } from "../../../src/runtime/compat/types.js";

const ROOT = join(__dirname, "..", "..", "..");

/** Whether the declaration text is an ES module (has an import or export) rather than a script of globals. */
const isModule = (text: string) => ts.isExternalModule(ts.createSourceFile("x.d.ts", text, ts.ScriptTarget.Latest, true));

describe("the generated declarations", () => {
  it("are what scripts/declarations.mjs makes of src/runtime/declarations (run it, or npm run build, after an edit)", () => {
    const result = spawnSync(process.execPath, [join(ROOT, "scripts", "declarations.mjs"), "--check"], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it.each([
    ["the cell API", CELL_API_DTS, false, ["display", "sleep", "tsloop", "widgets", "progress", "runInWorker", "Deno"]],
    ["the Deno global", DENO_DTS, false, ["Deno"]],
    ["the tslab module", TSLAB_DTS, true, ["display", "newDisplay", "versions", "isJupyterEnv"]],
  ] as const)("%s: a module %s, declaring its names", (_name, text, module, names) => {
    expect(isModule(text)).toBe(module);
    for (const name of names) expect(text).toMatch(new RegExp(`(function|const|namespace) ${name}\\b`));
  });
});
