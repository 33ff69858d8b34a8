#!/usr/bin/env node
// Builds the teaching notebooks from their readable sources.
//
//   node scripts/notebooks/build.mjs            write notebooks/NN-*.ipynb and notebooks/solutions/NN-*.ipynb
//   node scripts/notebooks/build.mjs --check    exit 1 if a committed notebook differs from its source
//                                                (outputs and execution counts are ignored)
//   node scripts/notebooks/build.mjs --clean    rewrite every notebook, dropping outputs
//   node scripts/notebooks/build.mjs --list     print one line per notebook: path, cells, exercises
//
// Sources: scripts/notebooks/chapters/NN-name.md, one per notebook, in reading order. A source is a list of
// cells, each starting with a marker line:
//
//   %% md                       a markdown cell
//   %% code                     a code cell
//   %% code setup               a code cell with tags (any words after the kind become cell tags)
//   %% include check            the shared snippet scripts/notebooks/chapters/_check.ts as a code cell
//
// Tags with a meaning: `exercise` (a stub the student completes), `check` (calls check() once per exercise),
// `async-error-output` (the cell succeeds, but a timer it starts shows an error output later: expected),
// `raises-exception` (the cell fails on purpose; Jupyter's own tag, which nbclient honours too).
//
// Inside any cell, the lines between `//>> stub` and `//>> solution` appear only in the student notebook, the
// lines between `//>> solution` and `//>> end` only in the solution notebook. A cell that ends up empty in a
// variant is left out of that variant. Lines before the first `%%` marker are a comment and ignored.
//
// A notebook whose cells (ids, kinds, sources, tags) already match is left untouched, so the outputs that
// `tsloop run --inplace` filled in survive a rebuild; any change rewrites it without outputs.
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, "..", "..");
const chaptersDir = join(here, "chapters");
const notebooksDir = join(root, "notebooks");

export const KERNELSPEC = { name: "tsloop", display_name: "TypeScript (tsloop)", language: "typescript" };
export const LANGUAGE_INFO = {
  name: "typescript",
  file_extension: ".ts",
  mimetype: "text/typescript",
  codemirror_mode: "typescript",
};

/** The chapter sources, sorted: [{ slug: "01-async-functions", file }]. */
export function chapterSources() {
  return readdirSync(chaptersDir)
    .filter((f) => /^\d\d-[a-z0-9-]+\.md$/.test(f))
    .sort()
    .map((f) => ({ slug: f.replace(/\.md$/, ""), file: join(chaptersDir, f) }));
}

/** Parse one chapter source into raw cells: { kind: "markdown" | "code", tags: string[], lines: string[] }. */
export function parseChapter(text, file = "<source>") {
  const cells = [];
  let current = null;
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  lines.forEach((line, i) => {
    const marker = /^%%\s+(\S+)(.*)$/.exec(line);
    if (!marker) {
      if (current) current.lines.push(line);
      return;
    }
    const [, kind, rest] = marker;
    const words = rest.trim().split(/\s+/).filter(Boolean);
    if (kind === "md") current = { kind: "markdown", tags: words, lines: [], line: i + 1 };
    else if (kind === "code") current = { kind: "code", tags: words, lines: [], line: i + 1 };
    else if (kind === "include") {
      const [name, ...tags] = words;
      if (!name) throw new Error(`${file}:${i + 1}: %% include needs a snippet name`);
      const snippet = readFileSync(join(chaptersDir, `_${name}.ts`), "utf8");
      current = { kind: "code", tags: ["setup", ...tags], lines: snippet.replace(/\r\n/g, "\n").split("\n"), line: i + 1 };
    } else throw new Error(`${file}:${i + 1}: unknown cell marker "%% ${kind}"`);
    cells.push(current);
  });
  return cells;
}

/** The lines of a cell for one variant ("student" or "solution"), or null when the cell is absent from it. */
export function variantLines(cell, variant, where = "") {
  const out = [];
  let mode = "both";
  for (const line of cell.lines) {
    const m = /^\s*\/\/>>\s*(stub|solution|end)\s*$/.exec(line);
    if (m) {
      const next = m[1] === "end" ? "both" : m[1];
      if (next === mode) throw new Error(`${where}: "//>> ${m[1]}" twice in a row`);
      mode = next;
      continue;
    }
    if (mode === "both" || mode === (variant === "student" ? "stub" : "solution")) out.push(line);
  }
  if (mode !== "both") throw new Error(`${where}: missing "//>> end"`);
  while (out.length && out[0].trim() === "") out.shift();
  while (out.length && out[out.length - 1].trim() === "") out.pop();
  return out.length ? out : null;
}

function sourceArray(lines) {
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l));
}

/** Build the nbformat 4.5 notebook object of one chapter and variant. */
export function buildNotebook(chapter, variant) {
  const raw = parseChapter(readFileSync(chapter.file, "utf8"), chapter.file);
  const number = chapter.slug.slice(0, 2);
  const cells = [];
  let checks = 0;
  let exercises = 0;
  raw.forEach((cell, index) => {
    const lines = variantLines(cell, variant, `${relative(root, chapter.file)}:${cell.line}`);
    if (!lines) return;
    // Ids stay stable across variants: the solution notebook's cell N is the student notebook's cell N.
    const id = `nb${number}-${String(index + 1).padStart(2, "0")}`;
    const metadata = {};
    const tags = [...cell.tags];
    if (variant === "solution" && tags.includes("exercise")) tags.push("solution");
    if (tags.length) metadata.tags = tags;
    if (tags.includes("exercise")) exercises++;
    if (tags.includes("check")) {
      const calls = lines.join("\n").match(/\bcheck\(/g)?.length ?? 0;
      if (calls !== 1) throw new Error(`${chapter.slug} cell ${index + 1}: a check cell must call check() exactly once (found ${calls})`);
      checks++;
    }
    if (cell.kind === "markdown") cells.push({ cell_type: "markdown", id, metadata, source: sourceArray(lines) });
    else cells.push({ cell_type: "code", execution_count: null, id, metadata, outputs: [], source: sourceArray(lines) });
  });
  if (checks !== exercises) throw new Error(`${chapter.slug}: ${exercises} exercise cells but ${checks} check cells`);
  if (variant === "solution") {
    const first = cells.find((c) => c.cell_type === "markdown");
    if (first) {
      first.source = sourceArray([
        ...first.source.join("").split("\n"),
        "",
        `> **Solutions.** This is \`notebooks/solutions/${chapter.slug}.ipynb\`: the same notebook as \`notebooks/${chapter.slug}.ipynb\` with every exercise completed. Try the exercises there first.`,
      ]);
    }
  }
  return {
    cells,
    metadata: {
      kernelspec: { ...KERNELSPEC },
      language_info: { ...LANGUAGE_INFO },
      tsloop: { chapter: Number(number), variant, checks },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

export function notebookPath(chapter, variant) {
  return variant === "solution" ? join(notebooksDir, "solutions", `${chapter.slug}.ipynb`) : join(notebooksDir, `${chapter.slug}.ipynb`);
}

/** What must match for a built notebook to count as unchanged: everything except outputs and counts. */
function essence(nb) {
  return JSON.stringify({
    cells: nb.cells.map((c) => ({ id: c.id, type: c.cell_type, source: [].concat(c.source).join(""), tags: c.metadata?.tags ?? [] })),
    // only what this script sets: `tsloop run` adds fields of its own (language_info.version, ...)
    kernel: nb.metadata?.kernelspec?.name,
    language: nb.metadata?.language_info?.name,
    tsloop: nb.metadata?.tsloop && { chapter: nb.metadata.tsloop.chapter, variant: nb.metadata.tsloop.variant, checks: nb.metadata.tsloop.checks },
    format: [nb.nbformat, nb.nbformat_minor],
  });
}

function main(argv) {
  const check = argv.includes("--check");
  const clean = argv.includes("--clean");
  const list = argv.includes("--list");
  let stale = 0;
  for (const chapter of chapterSources()) {
    for (const variant of ["student", "solution"]) {
      const nb = buildNotebook(chapter, variant);
      const path = notebookPath(chapter, variant);
      const rel = relative(root, path);
      let existing = null;
      if (existsSync(path)) {
        try {
          existing = JSON.parse(readFileSync(path, "utf8"));
        } catch {
          existing = null;
        }
      }
      const same = existing !== null && essence(existing) === essence(nb);
      if (list) {
        const code = nb.cells.filter((c) => c.cell_type === "code").length;
        console.log(`${rel}: ${nb.cells.length} cells (${code} code), ${nb.metadata.tsloop.checks} exercises`);
        continue;
      }
      if (check) {
        if (!same) {
          console.log(`out of date: ${rel}`);
          stale++;
        }
        continue;
      }
      if (same && !clean) continue;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${JSON.stringify(nb, null, 1)}\n`);
      console.log(`wrote ${rel}`);
    }
  }
  if (check && stale) {
    console.log(`${stale} notebook(s) differ from scripts/notebooks/chapters: run node scripts/notebooks/build.mjs`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) main(process.argv.slice(2));
