// Figure 8: the kernel's resident memory (VmRSS of its process from /proc) when ready, after its first cell (fully
// started: tsloop has loaded TypeScript and checked once), and after many more trivial cells, kernels taking
// turns in blocks; RSS after every block shows whether it levels off. Growth is counted from after the first cell,
// and from ready.
import { CODE } from "../lib/kernels.mjs";
import { problem, reason, row } from "../lib/cells.mjs";
import { rounds, stopAll } from "../lib/pool.mjs";
import { Session, sleep } from "../lib/session.mjs";
import { count, mb } from "../lib/stats.mjs";

export async function memory(ctx) {
  const { cells, block } = ctx.settings.memory;
  const sessions = new Map();
  const errors = new Map();
  const rss = new Map(); // name → { ready, first, trail: [KiB after each block], done, after }
  for (const spec of [...ctx.kernels, ...(ctx.settings.diagnostics ? [ctx.noCheck] : [])]) {
    try {
      const session = await Session.start(spec, { cwd: ctx.cwd, timeoutMs: 60_000 });
      await sleep(1_000); // let start-up work in the background settle (tsloop warms its language service)
      const ready = session.rssKiB();
      await session.run(CODE[spec.lang].trivial, { timeoutMs: 60_000 });
      rss.set(spec.name, { ready, first: session.rssKiB(), trail: [], done: 0 });
      sessions.set(spec.name, session);
    } catch (err) {
      errors.set(spec.name, reason(err));
    }
  }
  const work = async (session, i) => {
    await session.run(CODE[session.spec.lang].trivial, { timeoutMs: 30_000 });
    const r = rss.get(session.spec.name);
    r.done = i + 1;
    if (r.done % block === 0) r.trail.push(session.rssKiB());
  };
  await rounds(sessions, cells, block, work, errors, (p) => ctx.log(`memory cells ${p}`));
  for (const [name, session] of sessions) if (!errors.has(name)) rss.get(name).after = session.rssKiB();
  await stopAll(sessions);
  const trailText = (r) => r.trail.map((k) => (k / 1024).toFixed(0)).join(" → ");
  const pick = (f) =>
    Object.fromEntries(
      ctx.kernels.map((k) => {
        const r = rss.get(k.name);
        const failed = errors.has(k.name) ? `failed${r ? ` after ${count(r.done)} cells` : ""}: ${errors.get(k.name)}` : undefined;
        const cell = r ? f(r) : undefined;
        return [k.name, cell ?? problem(failed ?? "no data")];
      }),
    );
  const rows = [
    row("8", "RSS when ready (1 s after kernel_info)", pick((r) => ({ value: r.ready, text: mb(r.ready) }))),
    row("8", "RSS after the first cell", pick((r) => ({ value: r.first, text: mb(r.first) }))),
    row("8", `RSS after ${count(cells)} more trivial cells`, pick((r) => (r.after === undefined ? undefined : { value: r.after, text: mb(r.after) }))),
    row("8", `RSS growth over ${count(cells)} cells (from after the first cell; from ready)`, pick((r) => (r.after === undefined ? undefined : { value: r.after - r.first, text: `${mb(r.after - r.first)}; ${mb(r.after - r.ready)}` })), {
      lowerIsBetter: false,
      target: { ownMaxKiB: 50 * 1024, text: "≤ 50 MB" },
    }),
    row("8", `RSS every ${count(block)} cells (MB)`, pick((r) => (r.trail.length === 0 ? undefined : { text: trailText(r) + (r.after === undefined ? " (then failed)" : "") })), { lowerIsBetter: false }),
  ];
  const nc = rss.get("tsloop-nocheck");
  if (nc?.after !== undefined) {
    const text = `${mb(nc.after - nc.first)}; ${mb(nc.after - nc.ready)}`;
    rows.push(row("8b", `RSS growth, tsloop with TSLOOP_TYPECHECK=off (${mb(nc.first)} → ${mb(nc.after)}; every ${count(block)} cells: ${trailText(nc)} MB)`, { tsloop: { value: nc.after - nc.first, text } }, { diagnostic: true, lowerIsBetter: false }));
  }
  return { rows, details: [...rss].map(([kernel, r]) => ({ kernel, ...r, error: errors.get(kernel) })) };
}
