// Figure 4: one cell prints many lines (`console.log(i)` / `print(i)` in a loop). Time from execute_request to
// idle and how many lines had arrived by then; then the benchmark keeps listening until output has been quiet for
// a second (some kernels go idle before their output is out) and reports the lines delivered in all and when the
// last one came. A kernel that does not reach idle within the bound is killed and reported with the lines it had
// delivered until then.
import { CODE } from "../lib/kernels.mjs";
import { measured, problem, reason, row } from "../lib/cells.mjs";
import { startAll, stopAll } from "../lib/pool.mjs";
import { BenchTimeout } from "../lib/session.mjs";
import { count, median, ms } from "../lib/stats.mjs";

const QUIET_MS = 1_000;

export async function outputFlood(ctx) {
  const { lines, reps, timeoutMs } = ctx.settings.flood;
  const { sessions, failed } = await startAll(ctx, ctx.kernels);
  const results = new Map([...sessions.keys()].map((n) => [n, { idle: [], last: [], byIdle: [], total: [] }]));
  const errors = new Map(failed);
  for (let r = 0; r < reps; r++) {
    for (const [name, session] of sessions) {
      if (errors.has(name)) continue;
      ctx.log(`output flood ${r + 1}/${reps}: ${name}`);
      const res = results.get(name);
      try {
        const t = await session.run(CODE[session.spec.lang].flood(lines), { timeoutMs, countLines: true, quietMs: QUIET_MS });
        res.idle.push(t.ms);
        res.last.push((t.lastOutputAt ?? t.idleAt) - t.sentAt);
        res.byIdle.push(t.lines);
        res.total.push(t.lines + (t.linesAfterIdle ?? 0));
      } catch (err) {
        const got = err.timing?.lines;
        errors.set(name, err instanceof BenchTimeout ? `no idle within ${ms(timeoutMs)}; ${count(got)} lines had arrived` : `failed: ${reason(err)}`);
        await session.kill();
      }
    }
  }
  await stopAll(sessions); // a killed session's stop is a no-op
  const pick = (f) =>
    Object.fromEntries(
      ctx.kernels.map((k) => {
        const res = results.get(k.name);
        if (errors.has(k.name) || !res) return [k.name, problem(errors.get(k.name) ?? "failed")];
        return [k.name, f(res)];
      }),
    );
  const linesCell = (res) => {
    const byIdle = Math.min(...res.byIdle);
    const total = Math.min(...res.total);
    const text = byIdle === total ? `${count(byIdle)}` : `${count(byIdle)}; ${count(total)} in all`;
    return { value: byIdle, text, problem: byIdle !== lines };
  };
  return {
    rows: [
      row("4", `${count(lines)} printed lines: sent → idle (median of ${reps})`, pick((res) => measured(median(res.idle), ms)), {
        target: { peer: "ipykernel", factor: 1, text: "≤ 1× ipykernel, all delivered", needsAll: "4-lines" },
      }),
      row("4", `${count(lines)} printed lines: lines received by the idle; in all, once output stopped for ${ms(QUIET_MS)} (fewest of ${reps})`, pick(linesCell), {
        lowerIsBetter: false,
        key: "4-lines",
      }),
      row("4", `${count(lines)} printed lines: sent → last line received (median of ${reps})`, pick((res) => measured(median(res.last), ms))),
    ],
    details: [...results].map(([kernel, res]) => ({ kernel, ...res, error: errors.get(kernel) })),
  };
}
