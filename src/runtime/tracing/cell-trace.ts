// One cell run's timeline: its recorder, and the display that shows it — sent before the cell's reply when
// the run had enough asynchronous activity, then updated in place (parented to that cell, at most 4 per
// second, less often as it ages) until every task settled or the cell is run again.
import { randomUUID } from "node:crypto";
import { TimelineRecorder, timelineBundle } from "../../timeline/index.js";
import type { Header } from "../../protocol/messages.js";
import { coloured } from "../../protocol/ansi.js";
import type { OutputSink } from "../output.js";
import { realSetTimeout, realClearTimeout } from "../real-timers.js";


/** A timeline appears when async work lasted this long, or tasks are left pending. */
export const MIN_ACTIVITY_MS = 10;
/** A synchronous stretch this long while timers were due earns the cell a warning (asyncio's debug mode uses 100 ms). */
export const WARN_BLOCKED_MS = 100;
/** Awaits of unknown promises drawn per cell line; beyond, counted only. */
const AWAITS_DRAWN_PER_LINE = 200;
/** A long-running cell shows its timeline while it runs, from this age on. */
const SHOW_RUNNING_AFTER_MS = 300;

export const now = (): number => performance.now();

/** A time on the wall clock the kernel's threads share (`performance.timeOrigin + performance.now()`, ms since the
 *  epoch) → this thread's timeline clock. Node 24 gives a process's threads one `timeOrigin`; times cross threads
 *  on the wall clock all the same, so that nothing depends on it. */
export const fromWallClock = (wallMs: number): number => wallMs - performance.timeOrigin;

export type CancelTask = () => void;

export class CellTrace {
  readonly recorder: TimelineRecorder;
  readonly displayId = randomUUID();
  /** how to cancel live tasks (timers) by task id, for tsloop.cancel() */
  readonly cancellers = new Map<number, CancelTask>();
  private displayed = false;
  private frozen = false;
  /** when the timeline stopped updating (a pause reported later that began before this still belongs to it) */
  frozenAt = Infinity;
  private ended = false;
  private pendingUpdate: ReturnType<typeof setTimeout> | undefined;
  private lastUpdate = 0;
  private showTimer: ReturnType<typeof setTimeout> | undefined;
  private warned = false;
  /** the blocked-loop warning waits for a debugger pause's report (the pause is not a blocked loop) */
  private warnLater = false;

  constructor(
    readonly executionCount: number,
    private readonly parent: Header,
    private readonly output: OutputSink,
    /** "auto": shown when the run had async activity; "always": shown; "manual": never shown by itself
     *  (tsloop.record hands it to the user) */
    private readonly mode: "auto" | "always" | "manual",
    private readonly warnings: boolean,
    private readonly onSettled: (trace: CellTrace) => void,
    cores?: number,
    /** charges main-thread time measured but not yet recorded (the continuations running now) */
    private readonly flush: () => void = () => {},
    /** whether a debugger pause's report is on its way (the blocked-loop warning waits for it) */
    private readonly pauseReportDue: () => boolean = () => false,
  ) {
    this.recorder = new TimelineRecorder({ cell: executionCount, now, ...(cores !== undefined ? { cores } : {}) });
    if (mode === "manual") return;
    this.showTimer = realSetTimeout(() => {
      this.showTimer = undefined;
      if (!this.ended && this.recorder.hasActivity(MIN_ACTIVITY_MS)) this.show();
    }, SHOW_RUNNING_AFTER_MS);
    this.showTimer.unref?.();
  }

  /** awaits of unknown promises so far, by cell line (a plain array: the hot path of a loop of awaits) */
  private readonly awaitsPerLine: number[] = [];

  /** True past AWAITS_DRAWN_PER_LINE awaits of unknown promises at one cell line. */
  tooManyAwaitsAt(line: number): boolean {
    const n = (this.awaitsPerLine[line] ?? 0) + 1;
    this.awaitsPerLine[line] = n;
    return n > AWAITS_DRAWN_PER_LINE;
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  /** The cell's own code finished: show the timeline now (before the reply) if it is worth showing. */
  cellEnded(): void {
    this.flush();
    this.ended = true;
    if (this.showTimer) realClearTimeout(this.showTimer);
    this.recorder.cellEnded(now());
    this.warnIfBlocked();
    // "final" only once nothing is pending (checkSettled freezes with the final drawing then).
    if (this.displayed) {
      if (!this.recorder.isSettled()) this.update(false);
    } else if (this.mode === "always" || (this.mode === "auto" && this.recorder.hasActivity(MIN_ACTIVITY_MS))) this.show();
    this.checkSettled();
  }

  /** Something changed (a task settled, a timer fired) or time passed with something pending: schedule a
   *  throttled update. Pending bars are drawn to "now", so while anything is pending the display is redrawn at
   *  this rate even when no task event happens (4/s for 10 s, then every 2 s, then every 10 s after a minute). */
  changed(): void {
    if (this.ended) this.checkSettled();
    if (!this.displayed || this.frozen || this.pendingUpdate) return;
    const age = now() - this.recorder.startedAt;
    const interval = age < 10_000 ? 250 : age < 60_000 ? 2_000 : 10_000;
    const wait = Math.max(0, this.lastUpdate + interval - now());
    this.pendingUpdate = realSetTimeout(() => {
      this.pendingUpdate = undefined;
      if (!this.frozen) this.update(false);
    }, wait);
    this.pendingUpdate.unref?.();
  }

  /** The main thread was stopped in the debugger from `start` to `end` (this thread's clock): cut from busy and
   *  blocked time and marked. The report comes after the resume, often after the run's stretches were recorded
   *  and sometimes after its final drawing: then that drawing is sent again, corrected. */
  paused(start: number, end: number): void {
    const news = this.recorder.paused(start, end);
    this.pauseReportsIn();
    if (!news) return;
    if (!this.frozen) this.changed();
    else if (this.displayed) this.output.publish(this.parent, "update_display_data", { data: this.bundle(), metadata: { final: true }, transient: { display_id: this.displayId } });
  }

  /** A pause report arrived: if none is due any more, the blocked-loop warning that waited is decided now. */
  pauseReportsIn(): void {
    if (!this.warnLater || this.pauseReportDue()) return;
    this.warnLater = false;
    this.warnIfBlocked();
  }

  /** Stop updating (the cell ran again, or everything settled): one last update with the final state. */
  freeze(): void {
    if (this.frozen) return;
    this.warnIfBlocked();
    if (this.pendingUpdate) realClearTimeout(this.pendingUpdate);
    this.pendingUpdate = undefined;
    if (this.displayed) this.update(true);
    this.frozen = true;
    this.frozenAt = now();
  }

  /** A blocked stretch whose cell line a loop guard reported: warn now if the cell's code already ended. */
  noteBlockedLine(_start: number, _end: number, _sample: { executionCount: number; line: number }): void {
    if (this.ended) this.warnIfBlocked();
  }

  /** One stderr line per cell run: the longest synchronous stretch of ≥ 100 ms during which timers were due. */
  warnIfBlocked(): void {
    if (this.warned || !this.warnings) return;
    if (this.pauseReportDue()) {
      this.warnLater = true;
      return;
    }
    this.flush();
    const t = now();
    const model = this.recorder.snapshot(t);
    const stretches = model.blocked.filter((b) => b.end - b.start >= WARN_BLOCKED_MS).sort((a, b) => b.end - b.start - (a.end - a.start));
    for (const stretch of stretches) {
      const due = model.tasks.filter(
        (task) => (task.kind === "timeout" || task.kind === "interval") && task.dueAt !== undefined && task.dueAt >= stretch.start - 1 && task.dueAt < stretch.end,
      );
      if (due.length === 0) continue;
      this.warned = true;
      const lateness = Math.max(...due.map((task) => (task.startedAt ?? t) - (task.dueAt as number)));
      const where = stretch.line !== undefined ? `line ${stretch.line} of cell [${this.executionCount}]` : `cell [${this.executionCount}]`;
      const timers = `${due.length} timer${due.length === 1 ? "" : "s"} due meanwhile (${due[0]?.label}${due.length > 1 ? ", …" : ""}) ran up to ${Math.round(lateness)} ms late`;
      this.recorder.warning({
        kind: "blocked",
        ...(stretch.line !== undefined ? { line: stretch.line } : {}),
        ...(stretch.taskId !== undefined ? { taskId: stretch.taskId } : {}),
        message: `blocked the event loop for ${Math.round(stretch.end - stretch.start)} ms; ${timers}`,
      });
      this.output.stream(
        this.parent,
        "stderr",
        `${coloured("yellow", `warning: blocked the event loop for ${Math.round(stretch.end - stretch.start)} ms at ${where}; ${timers}.`)} ` +
          "Nothing else runs while synchronous code runs: move heavy work to a worker thread, or yield with `await`. (silence: `// @warnings off`)\n",
      );
      return;
    }
  }

  bundle(): Record<string, unknown> {
    this.flush();
    const t = now();
    return { ...timelineBundle(this.recorder.snapshot(t), t) };
  }

  private show(): void {
    this.displayed = true;
    this.lastUpdate = now();
    this.output.publish(this.parent, "display_data", { data: this.bundle(), metadata: {}, transient: { display_id: this.displayId } });
    this.keepRedrawing();
  }

  private update(final: boolean): void {
    if (this.frozen) return;
    this.lastUpdate = now();
    this.output.publish(this.parent, "update_display_data", { data: this.bundle(), metadata: final ? { final: true } : {}, transient: { display_id: this.displayId } });
    if (!final) this.keepRedrawing();
  }

  /** While the cell runs or a task is pending, the next redraw is due even if nothing else happens. */
  private keepRedrawing(): void {
    if (!this.recorder.isSettled()) this.changed();
  }

  private checkSettled(): void {
    if (!this.frozen && this.recorder.isSettled()) {
      this.freeze();
      this.onSettled(this);
    }
  }
}
