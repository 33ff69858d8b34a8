// Reading `node --trace-gc` output: one line per garbage collection, per isolate (the kernel's main thread and
// each worker thread have their own). The heap size after a full (Mark-Compact) collection is the live data
// of that thread, which is what a leak grows; RSS also counts heap the collector has not given back yet.

export interface GcEvent {
  isolate: string;
  /** offset of the line in the trace, to split it at a point in the test */
  at: number;
  full: boolean;
  afterMB: number;
}

const LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: (Mark-Compact|Mark-sweep|Scavenge|Minor Mark-Compact|Minor Mark-Sweep)[^\n]*?-> ([\d.]+) \(/gm;

export function parseTraceGc(trace: string): GcEvent[] {
  return [...trace.matchAll(LINE)].map((m) => ({
    isolate: m[1] as string,
    at: m.index,
    full: m[2] === "Mark-Compact" || m[2] === "Mark-sweep",
    afterMB: Number(m[3]),
  }));
}

/**
 * Growth of the live heap of every thread between `from` (an offset in the trace) and the end: per isolate, the
 * size after its first full collection from `from` on (or its last before, if none came after) against the size
 * after its last one. An isolate that never ran a full collection (the I/O worker's heap is a few MB, and whether
 * it runs one in a session is up to V8) is measured by its other collections instead, whose sizes still hold old
 * garbage: from its first one from `from` on (or its last before) to the largest from then on, so that its share of
 * the growth is never below zero and cannot hide another thread's.
 */
export function liveHeapGrowth(events: GcEvent[], from: number): { isolates: number; baselineMB: number; endMB: number } {
  const byIsolate = new Map<string, GcEvent[]>();
  for (const e of events) byIsolate.set(e.isolate, [...(byIsolate.get(e.isolate) ?? []), e]);
  let baselineMB = 0;
  let endMB = 0;
  for (const all of byIsolate.values()) {
    const full = all.filter((e) => e.full);
    const list = full.length > 0 ? full : all;
    const baseline = list.find((e) => e.at >= from) ?? list.filter((e) => e.at < from).at(-1);
    const last = list.at(-1);
    if (!baseline || !last) continue;
    const end = full.length > 0 ? last.afterMB : Math.max(...list.filter((e) => e.at >= baseline.at).map((e) => e.afterMB));
    baselineMB += baseline.afterMB;
    endMB += end;
  }
  return { isolates: byIsolate.size, baselineMB: Math.round(baselineMB * 10) / 10, endMB: Math.round(endMB * 10) / 10 };
}
