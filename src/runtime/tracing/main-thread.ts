// Where main-thread time goes: each measured stretch is charged to the cell and task whose code ran it — busy
// time, a drawn run when long enough to see, and a blocked stretch (≥ 50 ms) for the part no nested measurement
// already claimed (a timer callback or a traced call's synchronous start inside a continuation). A held loop that
// no stretch explains (a storm of tiny continuations, seen by the lag monitor) goes to the cell whose code ran most
// of it. Blocked stretches carry the cell line a loop guard reported while the loop was busy.
import { BLOCKED_MIN_MS, CELL_TASK } from "../../timeline/index.js";
import { firstCellFrame } from "../errors.js";
import type { SourceMapRegistry } from "../source-maps.js";
import { type CellTrace, now } from "./cell-trace.js";

/** A synchronous run of at least this long is a blocked stretch. */
export const BLOCKED_MS = BLOCKED_MIN_MS;
/** Shorter stretches count in busy time but are not kept as drawn runs. */
const DRAWN_RUN_MS = 0.5;
/** Stretches at least this long are remembered, so that an enclosing stretch does not claim them again. */
const CLAIM_MS = 5;
const MAX_CLAIMS = 64;

/** Where a busy loop was when the I/O worker asked (see src/session/interrupt-line.ts). */
export interface LoopSample {
  executionCount: number;
  line: number;
  at: number;
}

export class MainThreadLedger {
  /** recent measured stretches (sorted by start), so an enclosing or overlapping one is not counted twice */
  private readonly claims: [number, number][] = [];
  private readonly samples: LoopSample[] = [];

  /** `trace`'s code (task `taskId`, `CELL_TASK` for the body) held the main thread from `start` to `end`:
   *  busy time, a drawn run when long enough to see, and a blocked stretch for what no nested measurement
   *  already claimed. Without a trace (timelines off for the cell) the stretch is only claimed. */
  ran(trace: CellTrace | undefined, taskId: number, start: number, end: number): void {
    if (trace !== undefined && !trace.isFrozen) {
      trace.recorder.taskRan(taskId, start, end, end - start >= DRAWN_RUN_MS);
      if (end - start >= BLOCKED_MS) this.chargeBlocked(trace, taskId, start, end);
    }
    if (end - start >= CLAIM_MS) this.claim(start, end);
  }

  /** The parts of [start, end] no measured stretch claimed, ≥ BLOCKED_MS, become blocked stretches of `trace`. */
  chargeBlocked(trace: CellTrace, taskId: number, start: number, end: number): void {
    let from = start;
    let any = false;
    for (const [s, e] of this.claims) {
      if (e <= from || s >= end) continue;
      if (s - from >= BLOCKED_MS) any = this.blockedPiece(trace, taskId, from, s) || any;
      from = Math.max(from, e);
    }
    if (end - from >= BLOCKED_MS) any = this.blockedPiece(trace, taskId, from, end) || any;
    if (any) trace.changed();
  }

  private blockedPiece(trace: CellTrace, taskId: number, start: number, end: number): true {
    const sample = this.sampleIn(start, end, trace.executionCount);
    trace.recorder.blocked(start, end, sample?.line, taskId === CELL_TASK ? undefined : taskId);
    if (sample) trace.noteBlockedLine(start, end, sample);
    return true;
  }

  private claim(start: number, end: number): void {
    const claims = this.claims;
    let i = claims.length;
    while (i > 0 && (claims[i - 1] as [number, number])[0] > start) i--;
    claims.splice(i, 0, [start, end]);
    if (claims.length > MAX_CLAIMS) claims.shift();
  }

  /** A loop guard answered the worker's "where are you?": remember the cell line. */
  sample(stack: string, maps: SourceMapRegistry): void {
    const frame = firstCellFrame(stack, maps);
    if (!frame) return;
    this.samples.push({ ...frame, at: now() });
    if (this.samples.length > 64) this.samples.shift();
  }

  private sampleIn(start: number, end: number, cell: number): LoopSample | undefined {
    for (let i = this.samples.length - 1; i >= 0; i--) {
      const s = this.samples[i] as LoopSample;
      if (s.at >= start && s.at <= end && s.executionCount === cell) return s;
      if (s.at < start) break;
    }
    return undefined;
  }

  /** A lag tick: if the loop was held and no measured stretch explains it, the trace whose code ran most of the
   *  window held it — never a cell that merely had something live. */
  tick(window: Map<CellTrace, number>, from: number, to: number, held: boolean): void {
    if (held) {
      let top: CellTrace | undefined;
      let topMs = 0;
      for (const [trace, ms] of window) if (ms > topMs && !trace.isFrozen) [top, topMs] = [trace, ms];
      if (top !== undefined && topMs >= (to - from) / 2) this.chargeBlocked(top, CELL_TASK, from, to);
    }
    window.clear();
  }
}
