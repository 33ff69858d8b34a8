#!/usr/bin/env node
// Executes the teaching notebooks through the real kernel (`tsloop run`) and checks what came out:
//
// * every code cell ran, and no cell failed;
// * student notebooks (notebooks/NN-*.ipynb): every exercise check printed `CHECK FAIL`, none `CHECK PASS`;
// * solution notebooks (notebooks/solutions/NN-*.ipynb): every check printed `CHECK PASS`, none `CHECK FAIL`;
// * error outputs appear exactly in the cells tagged `async-error-output` (an error thrown by a timer the cell
//   started, shown under the cell while the cell itself succeeded) or `raises-exception` (the cell fails on
//   purpose, e.g. notebook 8's Deadlock report; nbclient knows the tag too), and nowhere else.
//
//   node scripts/notebooks/verify.mjs [--students | --solutions] [--keep DIR] [--timeout S] [NN ...]
//
// Run `npm run build` first. The executed notebooks go to a temporary directory (or DIR with --keep); the
// committed notebooks are not touched (fill their outputs with `tsloop run --inplace`). Exit status 1 when any
// notebook fails. The expected number of checks comes from the notebook's metadata.tsloop.checks.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { chapterSources, notebookPath, root } from "./build.mjs";

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const keepDir = option("--keep");
const timeoutS = option("--timeout") ?? "60";
const only = args.filter((a) => /^\d\d$/.test(a));
const variants = args.includes("--students") ? ["student"] : args.includes("--solutions") ? ["solution"] : ["student", "solution"];
const outDir = keepDir ?? mkdtempSync(join(tmpdir(), "tsloop-nbverify-"));
mkdirSync(outDir, { recursive: true });

const text = (o) => [].concat(o.text ?? []).join("");
let failures = 0;

for (const chapter of chapterSources()) {
  if (only.length && !only.includes(chapter.slug.slice(0, 2))) continue;
  for (const variant of variants) {
    const input = notebookPath(chapter, variant);
    const output = join(outDir, `${variant === "solution" ? "solution-" : ""}${basename(input)}`);
    const started = Date.now();
    const run = spawnSync(
      process.execPath,
      [join(root, "kernel", "tsloop.js"), "run", input, "-o", output, "--timeout", timeoutS, "--allow-errors", "--no-color", "-q"],
      { encoding: "utf8", timeout: 10 * 60_000 },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const problems = [];
    if (run.status !== 0) problems.push(`tsloop run exited with ${run.status ?? run.signal}: ${`${run.stdout}${run.stderr}`.trim().split("\n").slice(-3).join(" | ")}`);
    let nb = null;
    try {
      nb = JSON.parse(readFileSync(output, "utf8"));
    } catch (err) {
      problems.push(`no executed notebook: ${err.message}`);
    }
    let pass = 0;
    let fail = 0;
    const want = nb?.metadata?.tsloop?.checks ?? 0;
    for (const cell of nb?.cells ?? []) {
      if (cell.cell_type !== "code") continue;
      const tags = cell.metadata?.tags ?? [];
      if (cell.execution_count == null) problems.push(`cell ${cell.id} did not run`);
      const streams = cell.outputs.filter((o) => o.output_type === "stream").map(text).join("");
      pass += (streams.match(/^CHECK PASS: /gm) ?? []).length;
      const fails = streams.match(/^CHECK FAIL: .*$/gm) ?? [];
      fail += fails.length;
      if (variant === "solution") for (const f of fails) problems.push(`cell ${cell.id}: ${f}`);
      const errors = cell.outputs.filter((o) => o.output_type === "error");
      if (tags.includes("async-error-output") || tags.includes("raises-exception")) {
        if (errors.length === 0) problems.push(`cell ${cell.id} is tagged to show an error, shows none`);
      } else {
        for (const e of errors) problems.push(`cell ${cell.id}: unexpected error output ${e.ename}: ${e.evalue}`);
      }
    }
    if (nb) {
      if (variant === "solution" && (pass !== want || fail !== 0)) problems.push(`expected ${want} CHECK PASS, got ${pass} PASS and ${fail} FAIL`);
      if (variant === "student" && (fail !== want || pass !== 0)) problems.push(`expected ${want} CHECK FAIL, got ${fail} FAIL and ${pass} PASS`);
    }
    const name = `${variant === "solution" ? "solutions/" : ""}${chapter.slug}`;
    if (problems.length) {
      failures++;
      console.log(`FAIL ${name} (${seconds} s)`);
      for (const p of problems) console.log(`     ${p}`);
    } else {
      console.log(`ok   ${name}: ${variant === "solution" ? `${pass} PASS` : `${fail} FAIL`} of ${want} checks, ${seconds} s`);
    }
  }
}
if (!keepDir) rmSync(outDir, { recursive: true, force: true });
else console.log(`executed notebooks in ${outDir}`);
process.exitCode = failures ? 1 : 0;
