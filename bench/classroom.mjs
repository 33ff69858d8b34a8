#!/usr/bin/env node
// The classroom benchmark (issue 22): N students start their kernels together through a local JupyterHub
// (LocalProcessSpawner, one system user each), tsloop and ipykernel side by side in the same run. Reports per
// kernel kind: first result (POST api/kernels → reply to `1 + 1`, through the hub's proxy) median and max, CPU
// seconds per kernel for the start and 5 small cells, PSS per kernel after 5 and after 150 cells, the single-user
// server's PSS, students per 24 GiB, and the RSS of server + kernel (what one pod per student pays). Root only (it creates system users). Usage:
//   node bench/classroom.mjs --classroom 10 [--classroom 20] [--cells 150] [--long 4] [--write]
//   --long K   run the 150 cells in K kernels of each kind (default 4), not all N: the figure is per kernel
//   --write    replace the classroom section of docs/benchmarks.md with this run
// Needs `npm run build` and Debian's jupyterhub and ipykernel.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { Hub, SystemUsers, installForEveryone, sharedTempDir } from "./classroom/hub.mjs";
import { StudentKernel } from "./classroom/students.mjs";
import { LoadSampler, machineInfo } from "./lib/machine.mjs";
import { mb, median, ms } from "./lib/stats.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DOC = join(ROOT, "docs", "benchmarks.md");
const BEGIN = "<!-- classroom:begin (bench/classroom.mjs --write rewrites this section) -->";
const END = "<!-- classroom:end -->";
const GIB24 = 24 * 1024 * 1024; // KiB

function parseArgs(argv) {
  const opts = { sizes: [], cells: 150, long: 4, write: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=");
    const value = () => inline ?? argv[++i];
    if (flag === "--classroom") opts.sizes.push(...value().split(",").map(Number));
    else if (flag === "--cells") opts.cells = Number(value());
    else if (flag === "--long") opts.long = Number(value());
    else if (flag === "--write") opts.write = true;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  if (opts.sizes.length === 0 || opts.sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("expected --classroom N (N ≥ 1)");
  return opts;
}

/** One kind at one class size: the start storm, 5 cells everywhere, `cells` cells in `long` kernels. */
async function measureKind(hub, students, tokens, kind, opts) {
  const kernels = students.map((s) => new StudentKernel(hub, s, tokens.get(s.name), kind));
  const load = new LoadSampler();
  load.start(2_000);
  try {
    const first = await Promise.all(kernels.map((k) => k.start()));
    await Promise.all(kernels.map((k) => k.runUntil(5)));
    const at5 = kernels.map((k) => k.measure());
    const long = kernels.slice(0, Math.min(opts.long, kernels.length));
    await Promise.all(long.map((k) => k.runUntil(opts.cells)));
    const atLong = long.map((k) => k.measure());
    return {
      kind,
      first,
      cpu: median(at5.map((m) => m.cpu)),
      pss5: median(at5.map((m) => m.pss)),
      pssLong: median(atLong.map((m) => m.pss)),
      serverPss: median(at5.map((m) => m.serverPss)),
      rssLong: median(atLong.map((m) => m.rss)),
      serverRss: median(atLong.map((m) => m.serverRss)),
      longKernels: long.length,
      load: load.stop(),
    };
  } finally {
    load.stop();
    await Promise.all(kernels.map((k) => k.shutdown().catch((err) => process.stderr.write(`shutdown: ${err.message}\n`))));
  }
}

const ratioText = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : "—");
const verdict = (a, b, limit) => (a / b <= limit ? `**met** (≤ ${limit}×)` : `**missed** (limit ${limit}×)`);
const perStudent = (r) => Math.floor(GIB24 / (r.serverPss + r.pssLong));

function table(n, t, p, opts) {
  const rows = [
    ["first result, median", ms(median(t.first)), ms(median(p.first)), ratioText(median(t.first), median(p.first)), n >= 20 ? verdict(median(t.first), median(p.first), 1.5) : ""],
    ["first result, max", ms(Math.max(...t.first)), ms(Math.max(...p.first)), ratioText(Math.max(...t.first), Math.max(...p.first)), ""],
    ["CPU per kernel, start + 5 cells", `${t.cpu.toFixed(2)} s`, `${p.cpu.toFixed(2)} s`, ratioText(t.cpu, p.cpu), ""],
    ["PSS per kernel after 5 cells", mb(t.pss5), mb(p.pss5), ratioText(t.pss5, p.pss5), ""],
    [`PSS per kernel after ${opts.cells} cells (${t.longKernels} kernels)`, mb(t.pssLong), mb(p.pssLong), ratioText(t.pssLong, p.pssLong), verdict(t.pssLong, p.pssLong, 1.5)],
    ["single-user server PSS", mb(t.serverPss), mb(p.serverPss), "", ""],
    [`students per 24 GiB (server + kernel PSS after ${opts.cells} cells)`, String(perStudent(t)), String(perStudent(p)), "", ""],
    [`RSS, server + kernel after ${opts.cells} cells (a pod per student shares nothing)`, mb(t.serverRss + t.rssLong), mb(p.serverRss + p.rssLong), ratioText(t.serverRss + t.rssLong, p.serverRss + p.rssLong), ""],
  ];
  const load = (r) => `${r.load.mean?.toFixed(1)} (max ${r.load.max?.toFixed(1)})`;
  return [
    `**${n} students starting together** (load average during tsloop: ${load(t)}, during ipykernel: ${load(p)})`,
    "",
    "| | tsloop | ipykernel | tsloop / ipykernel | target |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
  ].join("\n");
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (process.getuid?.() !== 0) throw new Error("the classroom benchmark creates system users: run it as root");
  const machine = machineInfo(ROOT);
  const base = sharedTempDir("classroom-bench");
  const users = new SystemUsers(base);
  let hub;
  try {
    process.stderr.write("installing tsloop for every user (deploy/install-tsloop.sh)…\n");
    const prefix = installForEveryone(ROOT, base);
    const tag = randomBytes(3).toString("hex");
    const most = Math.max(...opts.sizes);
    for (let i = 1; i <= most; i++) users.add(`tslb${tag}s${i}`);
    hub = await Hub.start(ROOT, { dir: base, jupyterPath: join(prefix, "share", "jupyter") });
    const tokens = new Map();
    for (const s of users.students) tokens.set(s.name, await hub.addUser(s.name));
    process.stderr.write(`starting ${most} single-user servers…\n`);
    await Promise.all(users.students.map((s) => hub.startServer(s.name)));
    const sections = [];
    for (const n of opts.sizes) {
      const students = users.students.slice(0, n);
      let section;
      try {
        process.stderr.write(`${n} students: tsloop…\n`);
        const t = await measureKind(hub, students, tokens, "tsloop", opts);
        process.stderr.write(`${n} students: ipykernel…\n`);
        const p = await measureKind(hub, students, tokens, "ipykernel", opts);
        section = table(n, t, p, opts);
      } catch (err) {
        // Keep the other class sizes' figures; say what failed here.
        process.exitCode = 1;
        section = `**${n} students starting together**: the run failed: ${String(err.message ?? err).split("\n")[0]}\n`;
      }
      process.stdout.write(`${section}\n`);
      sections.push(section);
    }
    const head =
      `Run ${machine.date} on ${machine.nproc} cores (${machine.cpu}), ${machine.memory}, Node ${machine.node}, tsloop ${machine.commit}; ` +
      `Debian's JupyterHub 3.0 (LocalProcessSpawner) and ipykernel 6. Kinds run one after the other on the same servers (tsloop first).\n`;
    if (opts.write) {
      const doc = readFileSync(DOC, "utf8");
      const body = `${BEGIN}\n${head}\n${sections.join("\n")}${END}`;
      const at = doc.indexOf(BEGIN);
      const next = at >= 0 ? doc.slice(0, at) + body + doc.slice(doc.indexOf(END) + END.length) : `${doc.trimEnd()}\n\n${body}\n`;
      writeFileSync(DOC, next);
      process.stderr.write(`wrote the classroom section of ${DOC}\n`);
    }
  } finally {
    await hub?.stop();
    users.remove();
    rmSync(base, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`classroom benchmark: ${err.stack ?? err}\n`);
  process.exitCode = 1;
});
