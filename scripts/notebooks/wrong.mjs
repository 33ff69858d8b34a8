#!/usr/bin/env node
// Proves that the exercises' checks reject known wrong answers. Each file scripts/notebooks/wrong/NN-NAME-WHAT.ts
// is a complete exercise cell that answers exercise NAME of notebook NN wrongly (the first line says how). For
// every chapter with such files, this script makes submissions — the student notebook with exercise cells
// replaced by wrong answers, at most one per exercise in each — grades them all with `tsloop grade` against the student notebook, and fails unless
// every one of them gets `fail` on its exercise (not `pass`, and not `error`: a wrong answer that does not even
// compile would prove nothing).
//
//   node scripts/notebooks/wrong.mjs [NN ...]        (run `npm run build` first)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chapterSources, notebookPath, root } from "./build.mjs";

const wrongDir = join(root, "scripts", "notebooks", "wrong");
const only = process.argv.slice(2).filter((a) => /^\d\d$/.test(a));
const work = mkdtempSync(join(tmpdir(), "tsloop-wrong-"));
const text = (source) => [].concat(source).join("");
let failures = 0;

const fixtures = readdirSync(wrongDir)
  .map((file) => ({ file, match: /^(\d\d)-([A-Za-z0-9]+)-([a-z0-9-]+)\.ts$/.exec(file) }))
  .filter(({ file, match }) => {
    if (!match) throw new Error(`${file}: expected a name like 04-mapLimit-batching.ts`);
    return only.length === 0 || only.includes(match[1]);
  });

for (const chapter of chapterSources()) {
  const number = chapter.slug.slice(0, 2);
  const mine = fixtures.filter(({ match }) => match[1] === number);
  if (mine.length === 0) continue;
  const teacher = notebookPath(chapter, "student");
  const student = JSON.parse(readFileSync(teacher, "utf8"));
  const answers = mine.map(({ file, match }) => {
    const exercise = match[2];
    // The exercise cell is the last cell tagged "exercise" before the check cell that names the exercise.
    const checkAt = student.cells.findIndex((c) => (c.metadata.tags ?? []).includes("check") && new RegExp(`\\bcheck\\(\\s*"${exercise}"`).test(text(c.source)));
    const exerciseAt = student.cells.slice(0, checkAt).findLastIndex((c) => (c.metadata.tags ?? []).includes("exercise"));
    if (checkAt < 0 || exerciseAt < 0) throw new Error(`${file}: notebook ${number} has no exercise checked as "${exercise}"`);
    return { file, exercise, exerciseAt };
  });
  // As few notebook runs as possible: a submission carries at most one wrong answer per exercise (each check
  // tests only its own exercise's function, so wrong answers to different exercises do not interfere).
  const packed = [];
  for (const answer of answers) {
    const room = packed.find((group) => !group.some((a) => a.exercise === answer.exercise));
    if (room) room.push(answer);
    else packed.push([answer]);
  }
  const submissions = packed.map((group, i) => {
    const copy = structuredClone(student);
    for (const { file, exerciseAt } of group) copy.cells[exerciseAt].source = readFileSync(join(wrongDir, file), "utf8");
    const path = join(work, `${number}-wrong-${i + 1}.ipynb`);
    writeFileSync(path, JSON.stringify(copy));
    return { group, path };
  });
  const started = Date.now();
  const run = spawnSync(process.execPath, [join(root, "kernel", "tsloop.js"), "grade", teacher, ...submissions.map((s) => s.path), "--json", "-", "-j", "2"], {
    encoding: "utf8",
    timeout: 15 * 60_000,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let grades;
  try {
    grades = JSON.parse(run.stdout);
  } catch {
    failures++;
    console.log(`FAIL notebook ${number}: tsloop grade exited with ${run.status ?? run.signal} and no JSON\n${run.stderr.slice(-2000)}`);
    continue;
  }
  for (const [i, { group }] of submissions.entries()) {
    for (const { file, exercise } of group) {
      const result = grades.submissions[i]?.results.find((r) => r.exercise === exercise);
      const ok = result?.status === "fail";
      if (!ok) failures++;
      console.log(`${ok ? "ok  " : "FAIL"} ${file}: ${result?.status ?? "no result"}${result?.message ? ` — ${result.message}` : ""}`);
    }
  }
  console.log(`     (notebook ${number}: ${answers.length} wrong answers in ${submissions.length} submission${submissions.length === 1 ? "" : "s"}, graded in ${seconds} s)`);
}
rmSync(work, { recursive: true, force: true });
process.exitCode = failures ? 1 : 0;
