// Wrong: keeps the deadline, but does not stop when the parent signal aborts.
async function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>, parent?: AbortSignal): Promise<T> {
  const timeout = AbortSignal.timeout(ms);
  try {
    return await work(timeout);
  } catch (err) {
    if (timeout.aborted) throw new Error(`deadline of ${ms} ms passed (parent: ${String(parent?.aborted)})`);
    throw err;
  }
}
