#!/usr/bin/env node
// tsloop's benchmark against its peers (tslab, Deno, ipykernel), all driven through tsloop's own kernel client,
// side by side in one run. Usage:
//   node bench/run.mjs                      full run; rewrites docs/benchmarks.md
//   node bench/run.mjs --quick              fewer repetitions (proves the benchmark works); --write to rewrite the doc
//   options: --peers=all|none|tslab,deno,ipykernel   --only=1,3,5 (figures; the doc only with --write)   --json=FILE (raw samples)
// Needs `npm run build` first (the kernel and the client come from dist/). Exits 1 when tsloop itself failed a
// figure (failed, wedged or died), so CI notices a benchmark that no longer works; missed targets do not fail it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { classroom } from "./figures/classroom.mjs";
import { coldStart } from "./figures/cold-start.mjs";
import { interrupts } from "./figures/interrupts.mjs";
import { longSession } from "./figures/long-session.mjs";
import { memory } from "./figures/memory.mjs";
import { outputFlood } from "./figures/output-flood.mjs";
import { roundTrip } from "./figures/round-trip.mjs";
import { tracing } from "./figures/tracing.mjs";
import { KERNEL_NAMES, setUpPeers, tsloopKernel } from "./lib/kernels.mjs";
import { LoadSampler, machineInfo } from "./lib/machine.mjs";
import { NOTES_MARKER, complete, kernelLines, mainTable, tracingTable } from "./lib/report.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SCRATCH = join(ROOT, ".bench-peers");
const DOC = join(ROOT, "docs", "benchmarks.md");

const SETTINGS = {
  full: {
    coldStart: { reps: 5 },
    roundTrip: { cells: 200, block: 20 },
    flood: { lines: 100_000, reps: 3, timeoutMs: 120_000 },
    interrupts: { reps: 3, boundMs: 5_000, settleMs: 300, messageToo: true },
    session: { cells: 200, block: 10, completions: 5 },
    tracing: { awaits: 1_000_000, reps: 9 },
    memory: { cells: 1_000, block: 100 },
    classroom: { reps: 5, stormSize: 20 },
    diagnostics: true, // tsloop with TSLOOP_TYPECHECK=off too (rows 2b, 3b, 8b)
  },
  quick: {
    coldStart: { reps: 2 },
    roundTrip: { cells: 30, block: 10 },
    flood: { lines: 10_000, reps: 1, timeoutMs: 10_000 },
    interrupts: { reps: 1, boundMs: 3_000, settleMs: 200, messageToo: false },
    session: { cells: 30, block: 10, completions: 3 },
    tracing: { awaits: 100_000, reps: 1 },
    memory: { cells: 100, block: 25 },
    classroom: { reps: 1, stormSize: 3 },
    diagnostics: false,
  },
};

const FIGURES = [
  ["1", coldStart], // figures 1 and 2
  ["3", roundTrip],
  ["4", outputFlood],
  ["5", interrupts],
  ["6", longSession],
  ["7", tracing],
  ["8", memory],
  ["9", classroom],
];

function parseArgs(argv) {
  const args = { quick: false, write: false, peers: "all", only: undefined, json: undefined };
  for (const a of argv) {
    if (a === "--quick") args.quick = true;
    else if (a === "--write") args.write = true;
    else if (a.startsWith("--peers=")) args.peers = a.slice(8);
    else if (a.startsWith("--only=")) args.only = new Set(a.slice(7).split(","));
    else if (a.startsWith("--json=")) args.json = resolve(a.slice(7));
    else if (a === "--help" || a === "-h") {
      console.log(readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(1, 8).join("\n").replaceAll("// ", ""));
      process.exit(0);
    } else {
      console.error(`bench: unknown option ${a} (expected --quick, --write, --peers=…, --only=…, --json=FILE)`);
      process.exit(2);
    }
  }
  return args;
}

function wantedPeers(spec) {
  if (spec === "all") return new Set(KERNEL_NAMES.slice(1));
  if (spec === "none") return new Set();
  const names = new Set(spec.split(",").map((s) => s.trim().toLowerCase()));
  for (const n of names) {
    if (!KERNEL_NAMES.slice(1).includes(n)) {
      console.error(`bench: unknown peer ${n} (expected ${KERNEL_NAMES.slice(1).join(", ")}, all or none)`);
      process.exit(2);
    }
  }
  return names;
}

/** The language process's start-up snapshot, as `tsloop install` leaves it (built in the background there; awaited
 *  here, so that every figure measures kernels as a user's second and later kernels start). */
function prepareSnapshot(tsloop, log) {
  const t0 = performance.now();
  const build = spawnSync(tsloop.argv[0], [join(ROOT, "dist", "host", "language-snapshot-build-main.js")], { stdio: "inherit", env: { ...process.env, ...tsloop.env } });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  log(build.status === 0 ? `tsloop: language snapshot ready (${seconds} s)` : `tsloop: NO language snapshot (exit ${build.status ?? build.signal}): kernels start without it`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const mode = args.quick ? "quick" : "full";
  const settings = SETTINGS[mode];
  const started = performance.now();
  const log = (text) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${text}\n`);
  const load = new LoadSampler();
  load.start();
  const machine = machineInfo(ROOT);
  const tsloop = tsloopKernel(ROOT);
  if (tsloop.missing) {
    console.error(`bench: tsloop is ${tsloop.missing}`);
    process.exit(1);
  }
  prepareSnapshot(tsloop, log);
  const peers = setUpPeers(SCRATCH, wantedPeers(args.peers), log);
  const all = [tsloop, ...KERNEL_NAMES.slice(1).map((n) => peers[n])];
  const measured = all.filter((k) => !k.missing && !k.skipped);
  for (const k of all) log(`${k.name}: ${k.missing ? `MISSING (${k.missing})` : k.skipped ?? `version ${k.version}`}`);
  const cwd = mkdtempSync(join(tmpdir(), "tsloop-bench-"));
  // tsloop without its type checker, for diagnostic rows that show how much of a figure the checker is
  const noCheck = { ...tsloop, name: "tsloop-nocheck", env: { ...tsloop.env, TSLOOP_TYPECHECK: "off" } };
  const ctx = { kernels: measured, noCheck, settings, cwd, log };
  const rows = [];
  const details = {};
  let tracingRows;
  try {
    for (const [id, figure] of FIGURES) {
      if (args.only && !args.only.has(id) && !(id === "1" && args.only.has("2"))) continue;
      const result = await figure(ctx);
      rows.push(...result.rows);
      details[figure.name] = result.details;
      if (result.tracingTable) tracingRows = result.tracingTable;
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  const loadavg = load.stop();
  const table = complete(rows, all);
  const elapsed = (performance.now() - started) / 1000;
  // A run of some figures (--only) is named so, and replaces the committed full run only when asked (--write).
  const scope = args.only ? `${mode} run of figure${args.only.size > 1 ? "s" : ""} ${[...args.only].join(", ")} only` : `${mode} run`;
  const report = render({ scope, machine, loadavg, all, table, tracingRows, elapsed, settings });
  console.log(report);
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ mode, machine, loadavg, kernels: all, settings, rows: table, details }, null, 1)}\n`);
  if ((mode === "full" && !args.only) || args.write) {
    writeFileSync(DOC, document(report));
    log(`wrote ${DOC}`);
  }
  const broken = table.filter((r) => r.cells.tsloop.problem && /^(failed|wedged|died)/.test(r.cells.tsloop.text));
  for (const r of broken) console.error(`bench: tsloop failed figure ${r.figure} (${r.label}): ${r.cells.tsloop.text}`);
  process.exit(broken.length > 0 ? 1 : 0);
}

function render({ scope, machine, loadavg, all, table, tracingRows, elapsed, settings }) {
  const f = (x) => (x === undefined ? "?" : x.toFixed(2));
  const verdicts = table.filter((r) => r.verdict);
  const lines = [
    `## Results (${scope}, ${machine.date})`,
    "",
    `Machine: ${machine.nproc} cores (nproc), ${machine.cpu}, ${machine.memory} RAM; 1-minute load average ${f(loadavg.start)} at the start, ${f(loadavg.end)} at the end, mean ${f(loadavg.mean)}, max ${f(loadavg.max)} (sampled every 5 s; other work ran on the machine, which is why kernels take turns).`,
    `Node ${machine.node}, TypeScript ${machine.typescript} (tsloop's), tsloop ${all[0].version} at commit ${machine.commit}. The run took ${elapsed.toFixed(0)} s.`,
    "",
    "Kernels:",
    ...kernelLines(all, ROOT),
    "",
    mainTable(table),
    "",
  ];
  const missing = all.filter((k) => k.missing);
  if (missing.length > 0) lines.push(...missing.map((k) => `Missing: ${k.name} — ${k.missing}.`), "");
  if (tracingRows) lines.push(`Tracing (figure 7, tsloop only; median of ${settings.tracing.reps} rounds; each ratio is the median of the rounds' own ratios):`, "", tracingTable(tracingRows), "");
  lines.push("Targets (issues 8 and 17):", ...verdicts.map((r) => `- ${r.figure}. ${r.label} — ${r.target.text}: **${r.verdict.text}**`));
  return lines.join("\n");
}

function document(report) {
  let notes = "";
  try {
    const old = readFileSync(DOC, "utf8");
    const at = old.indexOf(NOTES_MARKER);
    if (at !== -1) notes = old.slice(at + NOTES_MARKER.length).trim();
  } catch {
    // first run
  }
  return [
    "# Benchmarks",
    "",
    "`npm run bench` (= `npm run build && node bench/run.mjs`) measures tsloop and its peers — tslab and Deno, installed with",
    "npm into `.bench-peers/` (git-ignored), and ipykernel from Debian's `python3-ipykernel` — through the same client",
    "(`src/client`), and rewrites this file up to the notes. `node bench/run.mjs --quick` runs fewer repetitions (add",
    "`--peers=none` for tsloop alone, `--write` to rewrite this file); `--only=1,5` runs some figures (and rewrites this",
    "file only with `--write`); `--json=FILE` keeps",
    "every sample. A peer that cannot be set up is shown as **missing**, with the reason.",
    "",
    "How each figure is measured:",
    "1. cold start: `performance.now()` just before the spawn → the first `kernel_info_reply` (requests repeat every 50 ms",
    "   until one is answered). Fresh kernels, kernels in turn (rotated) per repetition.",
    "2. first result: spawn → the first message carrying the value of `1 + 1` (execute_result, or tslab's stdout), sent once",
    "   the kernel is ready (kernel_info_reply plus an iopub message, as jupyter_client waits). Row 2b runs tsloop with",
    "   `TSLOOP_TYPECHECK=off`: the difference is the type checker on the first-result path.",
    "3. round trip: execute_request sent → `status: idle` for `1 + 1`, after 3 warm-up cells; kernels take turns in blocks.",
    "4. printed lines: the loop in one cell, sent → idle; lines counted from the stream messages received before the idle,",
    "   then until output has been quiet for 1 s (some kernels go idle before their output is out). A kernel that does not",
    "   reach idle within the bound is killed; the cell says how many lines had arrived.",
    "5. interrupts, in each kernel's own mode (tsloop: `interrupt_request`; the peers' kernelspecs declare no",
    "   interrupt_mode, so SIGINT, as Jupyter sends it). Busy loop, and a pending await (an hour-long timer): interrupt →",
    "   the cell's idle. Loop in a timer callback: interrupt → the idle of the next cell. Then `survivor + 1` must give 43",
    "   (state kept). No answer within the bound: **wedged** (the kernel is killed and a fresh one set up); process gone:",
    "   **died**. \"Interrupt while the first cell is being checked\": a fresh kernel's first cell is the busy loop,",
    "   interrupted 0.5 s after it went busy (a type-checking kernel is still checking it) → the cell's idle; then the",
    "   state cell and the probe run. Rows 5b interrupt the peers by `interrupt_request` instead (full runs only).",
    "6. TypeScript kernels: every cell declares a const, a function, a class and an interface. Cell time around cell 2",
    "   (cells 2–6) vs around cell 201 (cells 199–203); `complete_request` on `c1.` after cells 2 and 201.",
    "7. tsloop only: the await loop's own time, measured inside the cell (`performance.now()`), timelines on (default) vs",
    "   `// @timeline off` vs the same loop in a plain `node` child process; 9 rounds, each ratio the median of the",
    "   rounds' own ratios (a load spike in one round then moves it less).",
    "8. VmRSS of the kernel's processes (the kernel and every process below it) from `/proc/<pid>/status`: 1 s after",
    "   ready, after the first cell, after 1,000 more trivial cells.",
    "9. a classroom's kernels (issue 17): fresh kernels, `1 + 1` sent as soon as the kernel is ready; spawn → its value,",
    "   the CPU seconds (user + system, `/proc/<pid>/stat`) of the kernel's processes when the value arrived, and the PSS",
    "   (`/proc/<pid>/smaps_rollup`) of every process of the kernel after 5 cells. Start storm: 20 kernels of one kind",
    "   spawned together (no hub), each sending `1 + 1` when ready: median and slowest spawn → value; tsloop and ipykernel.",
    "",
    "Before the figures, tsloop's language snapshot is built as `tsloop install` builds it (docs/language-service.md), so",
    "tsloop's kernels start as every kernel after the install does; ipykernel likewise runs with its compiled `.pyc` files.",
    "",
    "Ratios are tsloop / peer: below 1× tsloop is faster.",
    "",
    report,
    "",
    NOTES_MARKER,
    "",
    notes,
    "",
  ].join("\n");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
