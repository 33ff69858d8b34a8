// Figures 1 and 2: cold start (spawn → first kernel_info_reply) and the first cell's result (spawn → the value of
// `1 + 1` arrives; for tsloop this includes loading TypeScript and the type checker's first check). Fresh kernels,
// round-robin across kernels per repetition so that the machine's noise falls on every kernel alike. tsloop is
// also started with TSLOOP_TYPECHECK=off, which shows how much of its first result is the type checker.
import { CODE } from "../lib/kernels.mjs";
import { measured, problem, reason, row } from "../lib/cells.mjs";
import { Session } from "../lib/session.mjs";
import { median, ms } from "../lib/stats.mjs";

export async function coldStart(ctx) {
  const { reps } = ctx.settings.coldStart;
  const variants = [...ctx.kernels];
  const tsloop = ctx.kernels.find((k) => k.name === "tsloop");
  if (tsloop && ctx.settings.diagnostics) variants.push(ctx.noCheck);
  const samples = new Map(variants.map((k) => [k.name, { info: [], ready: [], first: [], errors: [] }]));
  for (let r = 0; r < reps; r++) {
    // rotate the order so that no kernel always runs right after the same one
    const order = variants.map((_, i) => variants[(i + r) % variants.length]);
    for (const spec of order) {
      const s = samples.get(spec.name);
      ctx.log(`cold start ${r + 1}/${reps}: ${spec.name}`);
      let session;
      try {
        session = await Session.start(spec, { cwd: ctx.cwd, timeoutMs: 60_000 });
        s.info.push(session.infoAt - session.t0);
        s.ready.push(session.readyAt - session.t0);
        const cell = await session.run(CODE[spec.lang].trivial, { timeoutMs: 60_000, waitForValueMs: 5_000 });
        const value = Session.valueText(cell);
        if (value !== "2") s.errors.push(`1 + 1 gave ${JSON.stringify(value)}`);
        s.first.push((cell.resultAt ?? cell.idleAt) - session.t0);
      } catch (err) {
        s.errors.push(reason(err));
      } finally {
        if (session) await session.stop();
      }
    }
  }
  const cell = (name, key) => {
    const s = samples.get(name);
    const m = median(s[key]);
    if (m === undefined) return problem(`failed: ${s.errors[0] ?? "no sample"}`);
    return measured(m, ms, s.errors.length > 0 ? `(${s.errors.length} failed: ${s.errors[0]})` : "");
  };
  const pick = (key) => Object.fromEntries(ctx.kernels.map((k) => [k.name, cell(k.name, key)]));
  const rows = [
    row("1", `cold start: spawn → kernel_info_reply (median of ${reps})`, pick("info"), { target: { peer: "deno", factor: 1, text: "≤ 1× Deno" } }),
    row("2", `first result: spawn → value of \`1 + 1\` (median of ${reps})`, pick("first"), { target: { peer: "tslab", factor: 0.5, text: "≤ 0.5× tslab" } }),
  ];
  if (tsloop && ctx.settings.diagnostics) {
    rows.push(row("2b", "first result, tsloop with TSLOOP_TYPECHECK=off (no type checker)", { tsloop: cell("tsloop-nocheck", "first") }, { diagnostic: true }));
  }
  const details = variants.map((k) => {
    const s = samples.get(k.name);
    return { kernel: k.name, kernelInfo: s.info, ready: s.ready, firstResult: s.first, errors: s.errors };
  });
  return { rows, details };
}
