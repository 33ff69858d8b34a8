#!/usr/bin/env node
// Type-checks the notebooks without a kernel: the code cells of each notebook (student and solution variants,
// built from scripts/notebooks/chapters) are concatenated in order into one module, after a prelude that
// declares the kernel's cell globals (taken from src/runtime/api-types.ts), and compiled with
// tsc in strict mode under two configurations: with the DOM lib, and without it but with
// noUncheckedIndexedAccess. Errors are reported as notebook, cell id and line.
//
//   node scripts/notebooks/typecheck.mjs [--keep]     (--keep leaves the generated .mts files in the temp dir)
//
// Cells starting with `// @ts-nocheck` are skipped. Names must not be declared twice in one notebook (the kernel
// would allow it, one file doesn't).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as vm from "node:vm";
import { buildNotebook, chapterSources, root } from "./build.mjs";

/** The kernel's own declarations of the cell globals: src/runtime/api-types.ts (and the relative modules it
 *  imports, such as ./compat/types.ts), transpiled and evaluated. */
function prelude() {
  const file = join(root, "src", "runtime", "api-types.ts");
  const ts = createRequire(join(root, "package.json"))("typescript");
  const load = (path) => {
    const js = ts.transpileModule(readFileSync(path, "utf8"), { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
    const module = { exports: {} };
    const require = (specifier) => (specifier.startsWith(".") ? load(join(dirname(path), specifier.replace(/\.js$/, ".ts"))) : {});
    vm.runInNewContext(js, { module, exports: module.exports, require });
    return module.exports;
  };
  const exported = load(file);
  if (typeof exported.CELL_API_DTS !== "string") throw new Error(`${file} does not export CELL_API_DTS`);
  return { text: exported.CELL_API_DTS, from: "src/runtime/api-types.ts" };
}

const CONFIGS = [
  { name: "es2023+dom", args: ["--lib", "es2023,esnext.disposable,dom"] },
  { name: "es2023, noUncheckedIndexedAccess", args: ["--lib", "es2023,esnext.disposable", "--noUncheckedIndexedAccess"] },
];

function main(argv) {
  const keep = argv.includes("--keep");
  const dir = mkdtempSync(join(tmpdir(), "tsloop-nbcheck-"));
  const { text: preludeText, from } = prelude();
  const files = [];
  const maps = new Map(); // file -> [{ line, notebook, cell, cellLine }]
  for (const chapter of chapterSources()) {
    for (const variant of ["student", "solution"]) {
      const nb = buildNotebook(chapter, variant);
      const name = `${chapter.slug}${variant === "solution" ? ".solution" : ""}.mts`;
      const out = [preludeText, "export {};"];
      const map = [];
      let line = out.join("\n").split("\n").length + 1;
      for (const cell of nb.cells) {
        if (cell.cell_type !== "code") continue;
        const src = cell.source.join("");
        if (/^\s*\/\/\s*@ts-nocheck/.test(src)) continue;
        const lines = `${src}\n;`.split("\n");
        lines.forEach((_, i) => map.push({ line: line + i, cell: cell.id, cellLine: i + 1 }));
        line += lines.length;
        out.push(lines.join("\n"));
      }
      const path = join(dir, name);
      writeFileSync(path, `${out.join("\n")}\n`);
      files.push(path);
      maps.set(name, { notebook: `${variant === "solution" ? "solutions/" : ""}${chapter.slug}.ipynb`, map });
    }
  }
  const tsc = join(root, "node_modules", ".bin", "tsc");
  const common = ["--noEmit", "--pretty", "false", "--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext",
    "--types", "node", "--typeRoots", join(root, "node_modules", "@types"), "--skipLibCheck"];
  let failed = false;
  console.log(`cell globals from ${from}; ${files.length} notebooks`);
  for (const config of CONFIGS) {
    let output = "";
    try {
      execFileSync(tsc, [...common, ...config.args, ...files], { encoding: "utf8", stdio: "pipe", cwd: dir });
    } catch (err) {
      output = `${err.stdout ?? ""}${err.stderr ?? ""}`;
    }
    const errors = output.split("\n").filter((l) => l.trim());
    if (errors.length === 0) {
      console.log(`ok: ${config.name}`);
      continue;
    }
    failed = true;
    console.log(`FAILED: ${config.name}`);
    for (const e of errors) {
      const m = /([^/\\]+\.mts)\((\d+),(\d+)\): (.*)$/.exec(e);
      const info = m && maps.get(m[1]);
      const at = info?.map.find((x) => x.line === Number(m[2]));
      console.log(at ? `  notebooks/${info.notebook} cell ${at.cell} line ${at.cellLine}:${m[3]}: ${m[4]}` : `  ${e}`);
    }
  }
  if (keep) console.log(`generated files kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  process.exitCode = failed ? 1 : 0;
}

main(process.argv.slice(2));
