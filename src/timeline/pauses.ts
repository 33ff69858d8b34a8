// Time the main thread spent stopped in the debugger (a breakpoint, a step, a pause on an exception). V8 stops the
// thread inside whatever callback was running, so the stretch measured around it contains the pause: the recorder
// cuts paused time out of every stretch, run and blocked stretch — those already recorded when a pause is reported
// (after the resume), and those recorded later. Pauses are rare: plain arrays, linear scans.

/** Pauses kept per cell run; beyond, only counted (their time is still cut from what is recorded later). */
const MAX_LISTED = 100;

export class PausedTime {
  /** disjoint, sorted by start */
  private readonly spans: [number, number][] = [];
  private dropped = 0;
  private droppedMs = 0;

  get empty(): boolean {
    return this.spans.length === 0;
  }

  /** Adds [start, end]; false when it is empty or already known. */
  add(start: number, end: number): boolean {
    if (!(end > start) || this.spans.some(([s, e]) => s <= start && e >= end)) return false;
    if (this.spans.length >= MAX_LISTED) {
      this.dropped++;
      this.droppedMs += end - start;
      return true;
    }
    this.spans.push([start, end]);
    this.spans.sort((a, b) => a[0] - b[0]);
    return true;
  }

  /** Whether [start, end] overlaps a pause. */
  overlaps(start: number, end: number): boolean {
    for (const [s, e] of this.spans) if (s < end && e > start) return true;
    return false;
  }

  /** The parts of [start, end] outside every pause, in order. */
  outside(start: number, end: number): [number, number][] {
    return cut(start, end, this.spans);
  }

  list(): [number, number][] {
    return this.spans.map(([s, e]) => [s, e]);
  }

  get totalMs(): number {
    let ms = this.droppedMs;
    for (const [s, e] of this.spans) ms += e - s;
    return ms;
  }

  get count(): number {
    return this.spans.length + this.dropped;
  }
}

/** The parts of [start, end] outside `holes` (disjoint, sorted by start). */
export function cut(start: number, end: number, holes: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  let from = start;
  for (const [s, e] of holes) {
    if (e <= from || s >= end) continue;
    if (s > from) out.push([from, s]);
    from = Math.max(from, e);
  }
  if (end > from) out.push([from, end]);
  return out;
}
