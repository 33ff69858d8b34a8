// The exact union of main-thread stretches, kept online: stretches arrive roughly in time order, a callee's
// stretch before its caller's (nested), so a few recent disjoint intervals are kept open for merging and older
// ones are only summed. O(1) amortised per stretch, bounded memory.

const OPEN = 16;

export class BusyUnion {
  private closedMs = 0;
  /** disjoint, sorted by start */
  private readonly open: [number, number][] = [];

  add(start: number, end: number): void {
    if (!(end > start)) return;
    // The usual case: at or after the start of the latest interval — extend it in place, or append.
    const n = this.open.length;
    const last = this.open[n - 1];
    if (last !== undefined && start >= last[0]) {
      if (start <= last[1]) {
        if (end > last[1]) last[1] = end;
        return;
      }
      this.open.push([start, end]);
      if (n + 1 > OPEN) this.closeOldest();
      return;
    }
    let s = start;
    let e = end;
    let i = this.open.length;
    // Find where [s, e] goes, merging every open interval it touches (usually the last one or none).
    while (i > 0 && (this.open[i - 1] as [number, number])[1] >= s) i--;
    let j = i;
    while (j < this.open.length && (this.open[j] as [number, number])[0] <= e) {
      const [os, oe] = this.open[j] as [number, number];
      if (os < s) s = os;
      if (oe > e) e = oe;
      j++;
    }
    this.open.splice(i, j - i, [s, e]);
    while (this.open.length > OPEN) this.closeOldest();
  }

  /** Removes [start, end] from the intervals still open (a debugger pause reported after the stretches around it
   *  were added: they are among the latest). Closed intervals are only summed and cannot be cut. */
  cut(start: number, end: number): void {
    if (!(end > start)) return;
    const kept: [number, number][] = [];
    for (const [s, e] of this.open) {
      if (e <= start || s >= end) kept.push([s, e]);
      else {
        if (s < start) kept.push([s, start]);
        if (e > end) kept.push([end, e]);
      }
    }
    this.open.splice(0, this.open.length, ...kept);
    while (this.open.length > OPEN) this.closeOldest();
  }

  /** How much of [start, end] the open intervals cover (closed ones are only summed: a stretch older than the
   *  latest OPEN intervals counts as not covered). */
  overlap(start: number, end: number): number {
    let ms = 0;
    for (const [s, e] of this.open) {
      const from = s > start ? s : start;
      const to = e < end ? e : end;
      if (to > from) ms += to - from;
    }
    return ms;
  }

  private closeOldest(): void {
    const [os, oe] = this.open.shift() as [number, number];
    this.closedMs += oe - os;
  }

  get totalMs(): number {
    let ms = this.closedMs;
    for (const [s, e] of this.open) ms += e - s;
    return ms;
  }
}
