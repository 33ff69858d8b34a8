// Figure 9 (issue 17, "a classroom's kernels"): per kernel, fresh kernels with the first cell sent as soon as the
// kernel is ready (as nbclient and `tsloop run` do): spawn → the value of `1 + 1`, the CPU seconds the kernel's
// process tree had used when that value arrived, and the PSS of every process of the kernel after 5 cells. Then a
// start storm: N kernels of one kind spawned together (no hub), each sending `1 + 1` when ready; the median and the
// slowest spawn → value. tsloop and ipykernel only for the storm (the targets are ratios against ipykernel).
import { CODE } from "../lib/kernels.mjs";
import { measured, problem, reason, row } from "../lib/cells.mjs";
import { cpuSeconds, pssKiB } from "../lib/proc.mjs";
import { Session } from "../lib/session.mjs";
import { mb, median, ms } from "../lib/stats.mjs";

const seconds = (s) => `${s.toFixed(2)} s`;

/** One fresh kernel: first result time and CPU at that moment, then PSS after 5 cells. */
async function firstResult(ctx, spec) {
  const session = await Session.start(spec, { cwd: ctx.cwd, timeoutMs: 60_000 });
  try {
    let cpuAtResult;
    const cell = await session.run(CODE[spec.lang].trivial, {
      timeoutMs: 60_000,
      waitForValueMs: 5_000,
      onIopub: (m) => {
        if (cpuAtResult === undefined && m.header.msg_type === "execute_result") cpuAtResult = cpuSeconds(session.pid);
      },
    });
    const value = Session.valueText(cell);
    if (value !== "2") throw new Error(`1 + 1 gave ${JSON.stringify(value)}`);
    for (let i = 0; i < 4; i++) await session.run(CODE[spec.lang].trivial, { timeoutMs: 30_000 });
    return { first: (cell.resultAt ?? cell.idleAt) - session.t0, cpu: cpuAtResult ?? cpuSeconds(session.pid), pss: pssKiB(session.pid) };
  } finally {
    await session.stop();
  }
}

/** N kernels spawned together; resolves with each one's spawn → value of `1 + 1` (ms), and the failures. */
async function storm(ctx, spec, n) {
  const one = async () => {
    const session = await Session.start(spec, { cwd: ctx.cwd, timeoutMs: 120_000 });
    try {
      const cell = await session.run(CODE[spec.lang].trivial, { timeoutMs: 120_000, waitForValueMs: 5_000 });
      return (cell.resultAt ?? cell.idleAt) - session.t0;
    } finally {
      await session.stop();
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: n }, one));
  return {
    times: settled.filter((s) => s.status === "fulfilled").map((s) => s.value),
    errors: settled.filter((s) => s.status === "rejected").map((s) => reason(s.reason)),
  };
}

export async function classroom(ctx) {
  const { reps, stormSize } = ctx.settings.classroom;
  const samples = new Map(ctx.kernels.map((k) => [k.name, { first: [], cpu: [], pss: [], processes: 0, errors: [] }]));
  for (let r = 0; r < reps; r++) {
    for (const spec of ctx.kernels.map((_, i) => ctx.kernels[(i + r) % ctx.kernels.length])) {
      ctx.log(`classroom: first result ${r + 1}/${reps}: ${spec.name}`);
      const s = samples.get(spec.name);
      try {
        const x = await firstResult(ctx, spec);
        s.first.push(x.first);
        s.cpu.push(x.cpu);
        s.pss.push(x.pss.kib);
        s.processes = Math.max(s.processes, x.pss.processes);
      } catch (err) {
        s.errors.push(reason(err));
      }
    }
  }
  const storms = new Map();
  for (const spec of ctx.kernels.filter((k) => k.name === "tsloop" || k.name === "ipykernel")) {
    ctx.log(`classroom: ${stormSize} ${spec.name} kernels started together`);
    storms.set(spec.name, await storm(ctx, spec, stormSize));
  }
  const cell = (name, key, format, note = () => "") => {
    const s = samples.get(name);
    const m = median(s[key]);
    if (m === undefined) return problem(`failed: ${s.errors[0] ?? "no sample"}`);
    return measured(m, format, [note(s), s.errors.length > 0 ? `(${s.errors.length} failed: ${s.errors[0]})` : ""].filter(Boolean).join(" "));
  };
  const pick = (key, format, note) => Object.fromEntries(ctx.kernels.map((k) => [k.name, cell(k.name, key, format, note)]));
  const stormCell = (name, f) => {
    const s = storms.get(name);
    if (!s) return undefined;
    if (s.times.length === 0) return problem(`failed: ${s.errors[0] ?? "no sample"}`);
    return measured(f(s.times), ms, s.errors.length > 0 ? `(${s.errors.length} of ${stormSize} failed: ${s.errors[0]})` : "");
  };
  const stormRow = (f) => Object.fromEntries([...storms.keys()].map((name) => [name, stormCell(name, f)]));
  const vsIpykernel = (factor) => ({ peer: "ipykernel", factor, text: `≤ ${factor}× ipykernel` });
  const rows = [
    row("9", `first result, cell sent at kernel_info: spawn → value of \`1 + 1\` (median of ${reps})`, pick("first", ms), { target: vsIpykernel(1) }),
    row("9", `CPU seconds of the kernel's processes until that value (median of ${reps})`, pick("cpu", seconds), { target: vsIpykernel(2) }),
    row("9", `PSS of every process of the kernel after 5 cells (median of ${reps})`, pick("pss", mb, (s) => `(${s.processes} process${s.processes === 1 ? "" : "es"})`), { target: vsIpykernel(2) }),
    row("9", `start storm: ${stormSize} kernels spawned together, spawn → value of \`1 + 1\`: median`, stormRow(median), { target: vsIpykernel(1.5) }),
    row("9", `start storm: the slowest of ${stormSize}`, stormRow((t) => Math.max(...t))),
  ];
  const details = [...samples].map(([kernel, s]) => ({ kernel, ...s, storm: storms.get(kernel) }));
  return { rows, details };
}
