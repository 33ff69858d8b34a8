// Figure 5: interrupt latency, in each kernel's own interrupt mode (tsloop: interrupt_request on control; the
// peers' kernelspecs declare none, so SIGINT as Jupyter sends it), for three kinds of stuck code:
//   busy    — a synchronous infinite loop in the cell: interrupt sent → the cell's idle;
//   timer   — an infinite loop in a timer callback, after the cell finished: interrupt sent → a new cell's idle;
//   pending — a cell awaiting an hour-long timer: interrupt sent → the cell's idle;
//   checking — a fresh kernel's first cell, a busy loop, interrupted 0.5 s after it went busy, while a kernel that
//              type-checks is still checking it: interrupt sent → the cell's idle (then the state cell runs).
// Then a probe cell reads a variable set before (`survivor + 1` → 43): was the session's state kept? A kernel that
// does not get there within the bound is "wedged" (killed, and a fresh one set up for the next case); one whose
// process ended is "died".
import { CODE } from "../lib/kernels.mjs";
import { measured, problem, reason, row } from "../lib/cells.mjs";
import { BenchTimeout, Session, bounded, sleep } from "../lib/session.mjs";
import { median, ms } from "../lib/stats.mjs";

export const CASES = [
  { key: "busy", label: "busy synchronous loop" },
  { key: "timer", label: "loop in a timer callback" },
  { key: "pending", label: "pending await" },
  { key: "checking", label: "interrupt while the first cell is being checked" },
];

/** How long after the first cell went busy the "checking" case interrupts it. */
const CHECKING_AFTER_MS = 500;

export async function interrupts(ctx) {
  const { reps, boundMs, settleMs, messageToo } = ctx.settings.interrupts;
  // Deno's kernelspec declares no interrupt_mode (so Jupyter sends SIGINT), yet Deno answers interrupt_request:
  // in full runs, peers are also interrupted by message, shown in separate rows.
  const byMessage = messageToo ? ctx.kernels.filter((k) => k.interrupt === "signal").map((k) => ({ ...k, name: `${k.name}-message`, base: k.name, interrupt: "message" })) : [];
  const variants = [...ctx.kernels, ...byMessage];
  const live = new Map();
  const outcomes = new Map(); // `${kernel}/${case}` → [{ ms?, outcome }]
  const fresh = async (spec) => {
    const session = await Session.start(spec, { cwd: ctx.cwd, timeoutMs: 60_000 });
    await session.run(CODE[spec.lang].state, { timeoutMs: 60_000 });
    live.set(spec.name, session);
    return session;
  };
  for (let r = 0; r < reps; r++) {
    for (const c of CASES) {
      for (const spec of variants) {
        ctx.log(`interrupt ${r + 1}/${reps}: ${c.key} in ${spec.name}`);
        const key = `${spec.name}/${c.key}`;
        if (!outcomes.has(key)) outcomes.set(key, []);
        if (c.key === "checking") {
          outcomes.get(key).push(await firstCell(spec, ctx, { boundMs }));
          continue;
        }
        let session = live.get(spec.name);
        try {
          if (!session || !session.alive) session = await fresh(spec);
        } catch (err) {
          outcomes.get(key).push({ outcome: `failed to start: ${reason(err)}` });
          continue;
        }
        const result = await measureOne(session, c.key, { boundMs, settleMs });
        outcomes.get(key).push(result);
        if (result.outcome !== "kept" && result.outcome !== "lost") {
          await session.kill();
          live.delete(spec.name);
        }
      }
    }
  }
  for (const session of live.values()) await session.stop();
  const cell = (name, caseKey) => {
    const list = outcomes.get(`${name}/${caseKey}`) ?? [];
    const bad = list.find((o) => o.outcome !== "kept");
    const latencies = list.filter((o) => o.ms !== undefined).map((o) => o.ms);
    if (bad && (bad.outcome === "wedged" || bad.outcome === "died" || bad.outcome.startsWith("failed"))) {
      return problem(bad.detail ? `${bad.outcome} (${bad.detail})` : bad.outcome);
    }
    if (latencies.length === 0) return problem("no sample");
    const quirk = list.find((o) => o.quirk)?.quirk;
    return { ...measured(median(latencies), ms, `${bad ? "state lost" : "state kept"}${quirk ? ` (${quirk})` : ""}`), problem: Boolean(bad) };
  };
  const rows = CASES.map((c) =>
    row("5", `interrupt (kernelspec's mode): ${c.label} (median of ${reps})`, Object.fromEntries(ctx.kernels.map((k) => [k.name, cell(k.name, c.key)])), {
      target: { absoluteMs: 200, text: "< 200 ms, state kept" },
    }),
  );
  if (byMessage.length > 0) {
    for (const c of CASES) {
      rows.push(row("5b", `interrupt by interrupt_request instead of SIGINT: ${c.label}`, Object.fromEntries(byMessage.map((k) => [k.base, cell(k.name, c.key)])), { diagnostic: true }));
    }
  }
  return { rows, details: [...outcomes].map(([key, list]) => ({ case: key, outcomes: list })) };
}

/** The "checking" case, on a kernel of its own: the busy loop is its first cell; after the interrupt the state cell
 *  runs, so the probe says whether the session is usable. */
async function firstCell(spec, ctx, { boundMs }) {
  let session;
  try {
    session = await Session.start(spec, { cwd: ctx.cwd, timeoutMs: 60_000 });
  } catch (err) {
    return { outcome: `failed to start: ${reason(err)}` };
  }
  try {
    return await measureOne(session, "busy", { boundMs, settleMs: CHECKING_AFTER_MS, stateAfter: true });
  } finally {
    if (session.alive) await session.stop();
  }
}

/** One interrupt: start the stuck code, let it spin, interrupt, wait for the kernel, probe the state. */
async function measureOne(session, caseKey, { boundMs, settleMs, stateAfter = false }) {
  const code = CODE[session.spec.lang];
  let t0;
  try {
    if (caseKey === "timer") {
      await session.run(code.timer, { timeoutMs: boundMs * 4 });
      await sleep(settleMs);
      t0 = performance.now();
      await session.interrupt(boundMs);
      const probe = await session.run(code.probe, { timeoutMs: boundMs, waitForValueMs: 1_000 });
      return verdict(session, probe.idleAt - t0, probe, boundMs);
    }
    let started;
    const busy = new Promise((resolve) => (started = resolve));
    const cell = session.run(caseKey === "busy" ? code.busy : code.pending, {
      timeoutMs: boundMs * 4 + settleMs,
      stopOnError: false,
      onIopub: (m) => {
        if (m.header.msg_type === "status" && m.content.execution_state === "busy") started();
      },
    });
    cell.catch(() => undefined);
    await bounded(busy, boundMs * 4, "busy status");
    await sleep(settleMs);
    t0 = performance.now();
    await session.interrupt(boundMs);
    const done = await bounded(cell, boundMs, "idle after the interrupt");
    if (done.idleAt < t0) return { outcome: "failed: the cell ended before the interrupt", detail: done.error };
    const latency = done.idleAt - t0;
    if (stateAfter) await session.run(code.state, { timeoutMs: 60_000 });
    const probe = await session.run(code.probe, { timeoutMs: boundMs, waitForValueMs: 1_000 });
    const result = await verdict(session, latency, probe, boundMs);
    // tsloop says whether the interrupt came before the cell ran (during its check) or stopped the running loop.
    if (stateAfter && /nothing ran/.test(done.error ?? "")) result.quirk = "during the check: nothing ran";
    return result;
  } catch (err) {
    if (!session.alive || err?.name === "KernelDiedError") {
      const exit = session.kernel.exitInfo;
      return { outcome: "died", detail: exit ? (exit.signal ?? `exit ${exit.code}`) : reason(err) };
    }
    if (err?.name === "KernelTimeoutError") {
      return { outcome: "wedged", detail: `no interrupt_reply within ${ms(boundMs)}` };
    }
    if (err instanceof BenchTimeout) {
      // the process may be on its way out: give it a moment to say so
      await sleep(300);
      if (!session.alive) return { outcome: "died", detail: session.kernel.exitInfo?.signal ?? `exit ${session.kernel.exitInfo?.code}` };
      return { outcome: "wedged", detail: `no answer ${ms(boundMs)} after the interrupt` };
    }
    return { outcome: `failed: ${reason(err)}` };
  }
}

/** Was the state kept? A probe that shows nothing at all (tslab's first cell after an interrupt) is asked again. */
async function verdict(session, latency, probe, boundMs) {
  let value = Session.valueText(probe);
  let quirk;
  if (value === "" && probe.error === undefined) {
    const again = await session.run(CODE[session.spec.lang].probe, { timeoutMs: boundMs, waitForValueMs: 1_000 });
    value = Session.valueText(again);
    quirk = "the next cell showed no output";
  }
  return { ms: latency, outcome: value === "43" ? "kept" : "lost", probe: value || probe.error, ...(quirk ? { quirk } : {}) };
}
