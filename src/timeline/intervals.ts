// Interval arithmetic on [start, end] pairs (ms), for the timeline's figures: union, its length, difference.

/** Sorted, merged union of intervals (empty and reversed ones dropped). */
export function union(spans: readonly [number, number][]): [number, number][] {
  const sorted = spans.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** The length of the union of intervals. */
export function unionLength(spans: readonly [number, number][]): number {
  let total = 0;
  for (const [s, e] of union(spans)) total += e - s;
  return total;
}

/** The parts of `a` not covered by `b`, as a sorted union. */
export function subtract(a: readonly [number, number][], b: readonly [number, number][]): [number, number][] {
  const cut = union(b);
  const out: [number, number][] = [];
  for (const [s0, e] of union(a)) {
    let s = s0;
    for (const [cs, ce] of cut) {
      if (ce <= s) continue;
      if (cs >= e) break;
      if (cs > s) out.push([s, cs]);
      s = Math.max(s, ce);
      if (s >= e) break;
    }
    if (s < e) out.push([s, e]);
  }
  return out;
}
