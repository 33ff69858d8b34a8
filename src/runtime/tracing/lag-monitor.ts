// The main thread's heartbeat while a timeline is live: a 20 ms tick that writes the beat the I/O worker watches
// (so it can ask a busy loop where it is) and notices when the loop was held — the gap between two ticks, less
// the tick, while the event loop was busy running code (by its own utilisation measure: on a loaded machine the
// thread may simply not have been scheduled). Whose code held it is the tracer's question, not this module's.
import type { InterruptReceiver } from "../../session/interrupt-line.js";
import { realSetInterval, realClearInterval } from "../real-timers.js";
import { now } from "./cell-trace.js";

/** Where the beats go: the interrupt line, whose I/O end watches them (src/session/interrupt-line.ts). */
export type Heartbeat = Pick<InterruptReceiver, "beat" | "watch">;

const TICK_MS = 20;
const HELD_SHARE = 0.9;

export class LagMonitor {
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastTick = 0;

  constructor(
    private readonly line: Heartbeat,
    /** each tick: the stretch since the last one, and whether the loop was held (busy ≥ `minMs` of it) */
    private readonly onTick: (from: number, to: number, held: boolean) => void,
    private readonly minMs: number,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer) return;
    this.lastTick = now();
    this.line.watch(true);
    let lastElu = performance.eventLoopUtilization();
    this.timer = realSetInterval(() => {
      const t = now();
      this.line.beat();
      const from = this.lastTick + TICK_MS / 2;
      const elu = performance.eventLoopUtilization(lastElu);
      lastElu = performance.eventLoopUtilization();
      // Held: the loop never waited for I/O in between (≥ 90 % active). Code that runs 8 ms, then sleeps 5 ms, makes
      // ticks late on a loaded machine, but the loop was free in every gap: that is not a blocked stretch.
      const held = t - from >= this.minMs && elu.active >= HELD_SHARE * (t - this.lastTick);
      this.lastTick = t;
      this.onTick(from, t, held);
    }, TICK_MS);
    this.timer.unref?.();
  }

  stop(): void {
    this.line.watch(false);
    if (this.timer) realClearInterval(this.timer);
    this.timer = undefined;
  }
}
