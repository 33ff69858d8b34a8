// What the main thread did during one cell run, as the recorder keeps it apart from the tasks: the exact union of
// busy time, the cell body's own runs, blocked stretches (one synchronous run of 50 ms or more), late timer
// firings, and debugger pauses — which are cut out of all the others, those recorded before the pause was
// reported and those recorded after. The lists are capped; beyond a cap an entry is only counted.

import { BusyUnion } from "./busy-union";
import { BLOCKED_MIN_MS, CELL_TASK, type BlockedStretch, type LateTimer } from "./model";
import { PausedTime, cut } from "./pauses";

const MAX_CELL_RUNS = 256;

export class MainThreadLog {
  readonly busy = new BusyUnion();
  readonly pauses = new PausedTime();
  readonly cellRuns: [number, number][] = [];
  readonly blocked: BlockedStretch[] = [];
  readonly late: LateTimer[] = [];
  blockedDropped = 0;
  blockedDroppedMs = 0;
  lateDropped = 0;

  constructor(
    private readonly maxBlocked: number,
    private readonly maxLate: number,
  ) {}

  /** Whether anything blocked or fired late (listed or only counted). */
  get stalled(): boolean {
    return this.blocked.length + this.blockedDropped > 0 || this.late.length + this.lateDropped > 0;
  }

  /** The cell body's own code ran from `start` to `end` (already outside every pause). */
  cellRan(start: number, end: number): void {
    if (this.cellRuns.length < MAX_CELL_RUNS) this.cellRuns.push([start, end]);
  }

  /** The main thread was held from `start` to `end` (at `line`, by task `taskId`); paused time is cut out. */
  addBlocked(start: number, end: number, line?: number, taskId?: number): void {
    if (!this.pauses.empty && this.pauses.overlaps(start, end)) {
      for (const [s, e] of this.pauses.outside(start, end)) if (e - s >= BLOCKED_MIN_MS) this.addBlocked(s, e, line, taskId);
      return;
    }
    if (this.blocked.length >= this.maxBlocked) {
      this.blockedDropped++;
      this.blockedDroppedMs += end - start;
      return;
    }
    // Not added to the busy union: the runs inside it are (a held window found by the lag monitor is approximate).
    const b: BlockedStretch = { start, end };
    if (line !== undefined) b.line = line;
    if (taskId !== undefined && taskId !== CELL_TASK) b.taskId = taskId;
    this.blocked.push(b);
  }

  /** Timer `taskId`, due at `dueAt`, fired late at `firedAt`. */
  addLate(taskId: number, dueAt: number, firedAt: number): void {
    if (this.late.length < this.maxLate) this.late.push({ taskId, dueAt, firedAt });
    else this.lateDropped++;
  }

  /** The thread was stopped in the debugger from `start` to `end`: cuts it out of the busy time, the cell runs and
   *  the blocked stretches (pieces shorter than a block are dropped). Returns the hole for the caller to cut out of
   *  its own runs, or null when the pause is not news (empty, or already known). */
  pause(start: number, end: number): [number, number][] | null {
    if (!this.pauses.add(start, end)) return null;
    this.busy.cut(start, end);
    const hole: [number, number][] = [[start, end]];
    const cellRuns = this.cellRuns.flatMap(([s, e]) => cut(s, e, hole));
    this.cellRuns.splice(0, this.cellRuns.length, ...cellRuns);
    const blocked = this.blocked.flatMap((b) =>
      cut(b.start, b.end, hole)
        .filter(([s, e]) => e - s >= BLOCKED_MIN_MS)
        .map(([s, e]): BlockedStretch => ({ ...b, start: s, end: e })),
    );
    this.blocked.splice(0, this.blocked.length, ...blocked);
    return hole;
  }
}
