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
 * after its last one. Isolates that never ran a full collection are tiny and left out.
 */
export function liveHeapGrowth(events: GcEvent[], from: number): { isolates: number; baselineMB: number; endMB: number } {
  const byIsolate = new Map<string, GcEvent[]>();
  for (const e of events.filter((x) => x.full)) byIsolate.set(e.isolate, [...(byIsolate.get(e.isolate) ?? []), e]);
  let baselineMB = 0;
  let endMB = 0;
  for (const list of byIsolate.values()) {
    const baseline = list.find((e) => e.at >= from) ?? list.filter((e) => e.at < from).at(-1);
    const end = list.at(-1);
    if (!baseline || !end) continue;
    baselineMB += baseline.afterMB;
    endMB += end.afterMB;
  }
  return { isolates: byIsolate.size, baselineMB: Math.round(baselineMB * 10) / 10, endMB: Math.round(endMB * 10) / 10 };
}
