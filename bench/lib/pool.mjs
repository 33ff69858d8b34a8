// Live kernels for the figures that keep a session: one per kernel, started one after another and warmed up
// with a few trivial cells (so the first check and lazy loading are not measured again), and `rounds` that
// hand each kernel a block of work in turn (round-robin), so that background load falls on all of them alike.
import { CODE } from "./kernels.mjs";
import { reason } from "./cells.mjs";
import { Session } from "./session.mjs";

/** Starts a warmed-up session per kernel; a kernel that fails to start is returned in `failed` with the reason. */
export async function startAll(ctx, kernels, { warmCells = 3 } = {}) {
  const sessions = new Map();
  const failed = new Map();
  for (const spec of kernels) {
    try {
      const session = await Session.start(spec, { cwd: ctx.cwd, timeoutMs: 60_000 });
      for (let i = 0; i < warmCells; i++) await session.run(CODE[spec.lang].trivial, { timeoutMs: 60_000 });
      sessions.set(spec.name, session);
    } catch (err) {
      failed.set(spec.name, reason(err));
    }
  }
  return { sessions, failed };
}

export async function stopAll(sessions) {
  for (const session of sessions.values()) await session.stop();
}

/**
 * Runs `total` units of work per kernel in blocks of `block`, kernel after kernel. `work(session, index)` runs one
 * unit; a kernel whose unit throws is dropped from later rounds and its error recorded in `errors`.
 */
export async function rounds(sessions, total, block, work, errors, log) {
  const active = new Map(sessions);
  for (let start = 0; start < total; start += block) {
    if (log) log(`${start}/${total}`);
    for (const [name, session] of active) {
      try {
        for (let i = start; i < Math.min(start + block, total); i++) await work(session, i);
      } catch (err) {
        errors.set(name, reason(err));
        active.delete(name);
        await session.kill();
      }
    }
  }
}
