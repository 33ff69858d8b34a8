#!/usr/bin/env node
// A rough stand-in for the kernel, for authoring: runs each notebook's code cells, concatenated in order, as one
// ES module in a plain Node process, with shims for the cell globals (display, sleep, tsloop.signal, ...).
// Last-expression display, per-cell output and interrupts are not simulated; uncaught errors and unhandled
// rejections are printed instead of crashing. Prints the CHECK lines and the run time of every notebook.
//
//   node scripts/notebooks/simulate.mjs [--solutions | --both] [--verbose] [NN ...]
//
// The real test is `tsloop run` (see verify.mjs); this only catches mistakes in the notebooks early.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildNotebook, chapterSources, root } from "./build.mjs";

const ts = createRequire(join(root, "package.json"))("typescript");

const SHIMS = `
const __out = (...a) => console.log(...a);
globalThis.display = (v) => { __out("[display]", v); return { displayId: "x", update: (u) => __out("[update]", u), clear() {} }; };
globalThis.clearOutput = () => {};
globalThis.html = (s) => ({ html: s });
globalThis.markdown = (s) => ({ markdown: s });
globalThis.svg = (s) => ({ svg: s });
globalThis.json = (v) => ({ json: v });
globalThis.sleep = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
globalThis.tsloop = { signal: new AbortController().signal, cell: undefined };
process.on("uncaughtException", (e) => __out("[async error output] uncaught:", e.message));
process.on("unhandledRejection", (e) => __out("[async error output] unhandled rejection:", e instanceof Error ? e.message : e));
`;

const args = process.argv.slice(2);
const variants = args.includes("--both") ? ["student", "solution"] : args.includes("--solutions") ? ["solution"] : ["student"];
const verbose = args.includes("--verbose");
const only = args.filter((a) => /^\d\d$/.test(a));
const dir = mkdtempSync(join(tmpdir(), "tsloop-nbsim-"));
let problems = 0;
for (const chapter of chapterSources()) {
  if (only.length && !only.includes(chapter.slug.slice(0, 2))) continue;
  for (const variant of variants) {
    const nb = buildNotebook(chapter, variant);
    const code = nb.cells
      .filter((c) => c.cell_type === "code")
      .map((c) => `// ---- cell ${c.id}\n${c.source.join("")}\n;`)
      .join("\n");
    const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
    const file = join(dir, `${chapter.slug}.${variant}.mjs`);
    const shimFile = join(dir, "shims.mjs");
    writeFileSync(shimFile, SHIMS);
    writeFileSync(file, `import "./shims.mjs";\n${js}\nconsole.log("[end of notebook]");\n`);
    const start = Date.now();
    const run = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 60_000 });
    const ms = Date.now() - start;
    const out = `${run.stdout}${run.stderr}`;
    const pass = (out.match(/^CHECK PASS: /gm) ?? []).length;
    const fail = (out.match(/^CHECK FAIL: /gm) ?? []).length;
    const finished = out.includes("[end of notebook]");
    const want = nb.metadata.tsloop.checks;
    const asyncErrors = (out.match(/^\[async error output\]/gm) ?? []).length;
    const wantAsyncErrors = nb.cells.filter((c) => c.metadata.tags?.includes("async-error-output")).length;
    const ok = finished && asyncErrors === wantAsyncErrors && (variant === "solution" ? pass === want && fail === 0 : fail === want && pass === 0);
    if (!ok) problems++;
    console.log(`${ok ? "ok  " : "BAD "} ${chapter.slug} ${variant}: ${pass} pass, ${fail} fail of ${want}, ${asyncErrors}/${wantAsyncErrors} async errors, ${finished ? "ran to the end" : "STOPPED"}, ${ms} ms`);
    if (verbose || !ok) console.log(out.replace(/^/gm, "      "));
  }
}
rmSync(dir, { recursive: true, force: true });
process.exitCode = problems ? 1 : 0;
