// Figure 7 (tsloop only): what task timelines cost. A cell awaits a million times (`await null`, then
// `await Promise.resolve(i)`) and returns how long the loop took, measured inside the cell; with timelines on (the
// default), off (`// @timeline off`), and the same loop in plain Node (a child process, top-level await in an ES
// module). Rounds alternate on / off / Node so that load falls on all three; the ratios are medians of each round's
// own ratio (on ÷ Node of the same round), which a load spike in one round moves less than a ratio of medians.
import { spawnSync } from "node:child_process";
import { measured, problem, reason, row } from "../lib/cells.mjs";
import { Session } from "../lib/session.mjs";
import { count, median, ms, times } from "../lib/stats.mjs";

const LOOPS = [
  { key: "null", label: "await null", body: "await null;" },
  { key: "resolve", label: "await Promise.resolve(i)", body: "await Promise.resolve(i);" },
];

export async function tracing(ctx) {
  const { awaits, reps } = ctx.settings.tracing;
  const spec = ctx.kernels.find((k) => k.name === "tsloop");
  if (!spec) return { rows: [], details: [] };
  const samples = new Map();
  const add = (k, v) => samples.set(k, [...(samples.get(k) ?? []), v]);
  let session;
  let error;
  try {
    session = await Session.start(spec, { cwd: ctx.cwd, timeoutMs: 60_000 });
    await session.run("1 + 1", { timeoutMs: 60_000 });
    let n = 0;
    for (let r = 0; r < reps; r++) {
      for (const loop of LOOPS) {
        ctx.log(`tracing ${r + 1}/${reps}: ${loop.label}`);
        for (const mode of ["on", "off"]) {
          n++;
          const code = `${mode === "off" ? "// @timeline off\n" : ""}const t${n} = performance.now();\nfor (let i = 0; i < ${awaits}; i++) ${loop.body}\nperformance.now() - t${n}`;
          const t = await session.run(code, { timeoutMs: 300_000, waitForValueMs: 2_000 });
          const inside = Number.parseFloat(Session.valueText(t));
          if (!Number.isFinite(inside)) throw new Error(`the ${mode} cell returned ${JSON.stringify(Session.valueText(t))} ${t.error ?? ""}`);
          add(`${loop.key}/${mode}`, inside);
          add(`${loop.key}/${mode}/cell`, t.ms);
        }
        add(`${loop.key}/node`, plainNode(loop.body, awaits));
      }
    }
  } catch (err) {
    error = reason(err);
  } finally {
    if (session) await session.stop();
  }
  const m = (k) => median(samples.get(k) ?? []);
  /** median over rounds of a/b within each round */
  const paired = (a, b) => {
    const xs = samples.get(a) ?? [];
    const ys = samples.get(b) ?? [];
    return median(xs.slice(0, ys.length).map((x, i) => x / ys[i]));
  };
  const rows = [];
  const table = [];
  for (const loop of LOOPS) {
    const on = m(`${loop.key}/on`);
    const off = m(`${loop.key}/off`);
    const node = m(`${loop.key}/node`);
    const r = paired(`${loop.key}/on`, `${loop.key}/node`);
    const offRatio = paired(`${loop.key}/off`, `${loop.key}/node`);
    table.push({ loop: `${count(awaits)} × \`${loop.label}\``, on, off, node, onRatio: r, offRatio, onCell: m(`${loop.key}/on/cell`), offCell: m(`${loop.key}/off/cell`) });
    rows.push(
      row("7", `tracing: ${count(awaits)} × \`${loop.label}\`, timelines on / plain Node (loop time in the cell)`, {
        tsloop: error && r === undefined ? problem(`failed: ${error}`) : { value: r, text: `${times(r)} (${ms(on)} vs ${ms(node)}; off ${ms(off)})` },
      }, { lowerIsBetter: false, target: { ownMax: 1.2, text: "≤ 1.2× plain Node (issue 17, Node 24)" } }),
    );
  }
  return { rows, details: { table, samples: Object.fromEntries(samples), error }, tracingTable: table };
}

/** The same loop in a fresh Node process; returns the loop's own time in ms. */
function plainNode(body, awaits) {
  const source = `const t0 = performance.now();\nfor (let i = 0; i < ${awaits}; i++) ${body}\nconsole.log(performance.now() - t0);`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", source], { encoding: "utf8", timeout: 300_000 });
  const value = Number.parseFloat(result.stdout);
  if (result.status !== 0 || !Number.isFinite(value)) throw new Error(`plain node failed: ${result.stderr.slice(0, 200)}`);
  return value;
}
