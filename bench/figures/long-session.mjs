// Figure 6: a long session in the TypeScript kernels. Every cell declares a const, a function, a class and an
// interface; does a cell get slower as the session grows? Cell time (sent → idle) around cell 2 (median of cells
// 2–6) against around cell N+1 (median of cells N−1…N+3), and complete_request on `c1.` after cell 2 and after
// cell N+1 (median of a few requests; the matches must include `id`).
import { measured, problem, row } from "../lib/cells.mjs";
import { rounds, startAll, stopAll } from "../lib/pool.mjs";
import { median, ms, ratio, times } from "../lib/stats.mjs";

export function sessionCell(i) {
  return [
    `const c${i} = { id: ${i}, name: "c${i}" };`,
    `function f${i}(x: number): number { return x + c${i}.id; }`,
    `class K${i} { value = ${i}; double(): number { return this.value * 2; } }`,
    `interface I${i} { id: number; name: string }`,
  ].join("\n");
}

export async function longSession(ctx) {
  const { cells, block, completions } = ctx.settings.session;
  const late = cells + 1;
  const total = cells + 3;
  const tsKernels = ctx.kernels.filter((k) => k.lang === "ts");
  const { sessions, failed } = await startAll(ctx, tsKernels, { warmCells: 0 });
  const data = new Map([...sessions.keys()].map((n) => [n, { cellMs: [], completeEarly: [], completeLate: [], matchesOk: true }]));
  const errors = new Map(failed);
  const complete = async (session, into) => {
    for (let k = 0; k < completions; k++) {
      const { reply, ms: took } = await session.request("complete_request", { code: "c1.", cursor_pos: 3 });
      into.push(took);
      const matches = reply.content.matches ?? [];
      if (!matches.some((m) => m === "id" || m === "c1.id" || m.endsWith(".id"))) data.get(session.spec.name).matchesOk = false;
    }
  };
  await rounds(
    sessions,
    total,
    block,
    async (session, index) => {
      const i = index + 1;
      const t = await session.run(sessionCell(i), { timeoutMs: 60_000 });
      if (t.reply.content.status !== "ok") throw new Error(`cell ${i} failed: ${t.error ?? t.reply.content.evalue}`);
      const d = data.get(session.spec.name);
      d.cellMs[i] = t.ms;
      if (i === 2) await complete(session, d.completeEarly);
      if (i === late) await complete(session, d.completeLate);
    },
    errors,
    (p) => ctx.log(`session cells ${p}`),
  );
  await stopAll(sessions);
  const early = (d) => median(d.cellMs.slice(2, 7));
  const lateMs = (d) => median(d.cellMs.slice(cells - 1, cells + 4));
  // A kernel that failed part-way still shows what it measured before (cell 2, the first completions).
  const pick = (f) =>
    Object.fromEntries(
      tsKernels.map((k) => {
        const d = data.get(k.name);
        const cell = d ? f(d) : undefined;
        const failed = errors.has(k.name) ? `failed at cell ${Math.max(d?.cellMs.length ?? 1, 1)}: ${errors.get(k.name)}` : "no data";
        return [k.name, cell && Number.isFinite(cell.value) ? cell : problem(failed)];
      }),
    );
  return {
    rows: [
      row("6", "session: cell 2 (median of cells 2–6)", pick((d) => measured(early(d), ms))),
      row("6", `session: cell ${late} (median of cells ${cells - 1}–${cells + 3})`, pick((d) => measured(lateMs(d), ms)), {
        target: { absoluteMs: 20, text: "< 20 ms (issue 17)" },
      }),
      row("6", `session: cell ${late} / cell 2`, pick((d) => ({ value: ratio(lateMs(d), early(d)), text: times(ratio(lateMs(d), early(d))) })), {
        lowerIsBetter: false,
        target: { ownMax: 1.2, text: "≤ 1.2× (issue 17)" },
      }),
      row("6", `completion \`c1.\` after cell 2 (median of ${completions})`, pick((d) => measured(median(d.completeEarly), ms))),
      row("6", `completion \`c1.\` after cell ${late} (median of ${completions})`, pick((d) => ({ ...measured(median(d.completeLate), ms, d.matchesOk ? "" : "(no `id` among matches)"), problem: !d.matchesOk && d.completeLate.length > 0 }))),
    ],
    details: [...data].map(([kernel, d]) => ({ kernel, ...d, error: errors.get(kernel) })),
    appliesTo: tsKernels.map((k) => k.name),
  };
}
