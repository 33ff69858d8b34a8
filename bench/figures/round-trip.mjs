// Figure 3: a trivial cell's round trip, execute_request sent → `status: idle`, median and p95 over many cells,
// kernels taking turns in blocks. Also counts cells whose value arrived after their idle (Deno publishes
// execute_result after idle, so its idle does not mean the value was delivered).
import { CODE } from "../lib/kernels.mjs";
import { measured, partial, problem, row } from "../lib/cells.mjs";
import { rounds, startAll, stopAll } from "../lib/pool.mjs";
import { median, ms, percentile } from "../lib/stats.mjs";

export async function roundTrip(ctx) {
  const { cells, block } = ctx.settings.roundTrip;
  const { sessions, failed } = await startAll(ctx, [...ctx.kernels, ...(ctx.settings.diagnostics ? [ctx.noCheck] : [])]);
  const times = new Map([...sessions.keys()].map((n) => [n, []]));
  const late = new Map([...sessions.keys()].map((n) => [n, 0]));
  const errors = new Map(failed);
  await rounds(
    sessions,
    cells,
    block,
    async (session) => {
      const t = await session.run(CODE[session.spec.lang].trivial, { timeoutMs: 30_000, waitForValueMs: 2_000 });
      times.get(session.spec.name).push(t.ms);
      if (t.afterIdle > 0) late.set(session.spec.name, late.get(session.spec.name) + 1);
    },
    errors,
    (p) => ctx.log(`round trips ${p}`),
  );
  await stopAll(sessions);
  const cell = (name, f) => {
    const list = times.get(name) ?? [];
    if (list.length === 0) return problem(`failed: ${errors.get(name) ?? "no sample"}`);
    if (list.length < cells) return partial(percentile(list, f), ms, list.length, cells, errors.get(name));
    const note = f === 50 && late.get(name) > 0 ? `(value after idle in ${late.get(name)}/${list.length})` : "";
    return measured(percentile(list, f), ms, note);
  };
  const pick = (f) => Object.fromEntries(ctx.kernels.map((k) => [k.name, cell(k.name, f)]));
  const diagnostic = ctx.settings.diagnostics
    ? [row("3b", "round trip, tsloop with TSLOOP_TYPECHECK=off: median; p95", { tsloop: { ...cell("tsloop-nocheck", 50), text: `${cell("tsloop-nocheck", 50).text}; ${cell("tsloop-nocheck", 95).text}` } }, { diagnostic: true })]
    : [];
  return {
    rows: [
      row("3", `trivial cell round trip, sent → idle: median of ${cells}`, pick(50), { target: { peer: "deno", factor: 1, text: "≤ 1× Deno" } }),
      row("3", `trivial cell round trip: p95 of ${cells}`, pick(95)),
      ...diagnostic,
    ],
    details: [...times].map(([kernel, list]) => ({ kernel, median: median(list), p95: percentile(list, 95), valueAfterIdle: late.get(kernel), error: errors.get(kernel) })),
  };
}
