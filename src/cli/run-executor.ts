// Runs a notebook's code cells on a connected kernel, in order: records each cell's outputs (including late
// output — messages parented to a cell that already finished, from its timers and intervals — which goes to the
// cell that started the work, unlike nbclient), prints them, bounds each cell by --timeout (interrupting the
// kernel over control), stops at the first error unless errors are allowed, and after the last cell waits for
// late output to settle. Returns what happened as data; the caller writes the notebook and picks the exit code.
import type { Message } from "../protocol/messages.js";
import { KernelDiedError } from "../client/errors.js";
import type { KernelClient } from "../client/client.js";
import type { Subscription } from "../client/router.js";
import { cellSource, type Notebook, type NotebookCell } from "./run-notebook.js";
import type { OutputRecorder } from "./run-outputs.js";
import { type CellLabel, type CellStatus, TIMELINE_MIME, type TerminalReport, formatMs } from "./run-terminal.js";

/** What the executor tells as it goes: `tsloop run` prints it (TerminalReport), `tsloop grade` collects it. */
export type ExecutorReport = Pick<TerminalReport, "cellStarted" | "cellFinished" | "output" | "note" | "style">;

export interface ExecutorOptions {
  /** Per-cell bound in ms; undefined: none. */
  timeoutMs: number | undefined;
  /** A per-cell bound instead of `timeoutMs` (undefined: none for that cell), e.g. only for a student's cells. */
  timeoutFor?: (cell: NotebookCell) => number | undefined;
  /** After the last cell, wait at most this long for late output. */
  graceMs: number;
  /** After the last cell, stop waiting once no late output came for this long (and no timeline is pending). Default graceMs / 4. */
  quietMs?: number;
  allowErrors: boolean;
  /** How long the kernel gets to stop a cell after an interrupt before it is killed. Default 5 s. */
  interruptWaitMs?: number;
}

export interface CellRun {
  label: CellLabel;
  status: CellStatus;
  ms: number;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface RunOutcome {
  cells: CellRun[];
  /** Code cells that never ran (after a stop). */
  skipped: number;
  /** The run stopped early: a cell failed without --allow-errors, or the kernel died or hung. */
  stopped: boolean;
  /** Why the kernel is gone, when it is. */
  kernelGone?: string;
  /** Late output was still arriving when the grace period ended. */
  lateStillArriving: boolean;
  /** Cells whose task timeline still showed pending work (timers, intervals) when the grace period ended. */
  pendingCells: number[];
}

const OUTPUT_TYPES = new Set(["stream", "display_data", "execute_result", "update_display_data", "error", "clear_output"]);

export class NotebookExecutor {
  private readonly subscriptions: Subscription[] = [];
  private lastLateAt = 0;
  private lateWaiters: (() => void)[] = [];
  /** Each task timeline the kernel showed: its cell, and whether it reached its final state (work settled). */
  private readonly timelines = new Map<string, { cellNumber: number; final: boolean }>();
  private readonly finished = new WeakSet<NotebookCell>();

  constructor(
    private readonly client: KernelClient,
    private readonly recorder: OutputRecorder,
    private readonly report: ExecutorReport,
    private readonly options: ExecutorOptions,
  ) {}

  async run(notebook: Notebook): Promise<RunOutcome> {
    const code = notebook.cells.map((cell, index) => ({ cell, cellNumber: index + 1 })).filter(({ cell }) => cell.cell_type === "code");
    for (const { cell } of code) this.recorder.reset(cell);
    const runnable = code.filter(({ cell }) => cellSource(cell).trim() !== "");
    const outcome: RunOutcome = { cells: [], skipped: 0, stopped: false, lateStillArriving: false, pendingCells: [] };
    try {
      for (const [i, { cell, cellNumber }] of runnable.entries()) {
        const label: CellLabel = { position: i + 1, total: runnable.length, cellNumber };
        const run = await this.runCell(cell, label);
        outcome.cells.push(run);
        const stop = run.status === "died" || (run.status === "timeout" && this.client.kernel?.exitInfo !== undefined) || (run.status !== "ok" && !this.options.allowErrors);
        if (run.status === "died") outcome.kernelGone = run.evalue ?? "the kernel died";
        if (stop) {
          outcome.stopped = true;
          outcome.skipped = runnable.length - i - 1;
          break;
        }
      }
      if (!outcome.stopped && outcome.cells.length > 0 && this.options.graceMs > 0) {
        Object.assign(outcome, await this.settle());
      }
    } finally {
      for (const s of this.subscriptions) s.close();
    }
    return outcome;
  }

  private async runCell(cell: NotebookCell, label: CellLabel): Promise<CellRun> {
    this.report.cellStarted(label);
    const started = performance.now();
    const execution = this.client.execute(cellSource(cell), {
      keepListening: true,
      stopOnError: !this.options.allowErrors,
      allowStdin: false,
      metadata: { cellId: cell.id },
      onIopub: (m) => this.onIopub(cell, label, m),
    });
    const timeoutMs = this.options.timeoutFor ? this.options.timeoutFor(cell) : this.options.timeoutMs;
    let timedOut = false;
    let killed = false;
    try {
      let result = await within(execution, timeoutMs);
      if (result === undefined) {
        timedOut = true;
        this.report.note(`cell ${label.cellNumber} ran longer than ${formatMs(timeoutMs ?? 0)} (--timeout); interrupting the kernel`, "warn");
        const wait = this.options.interruptWaitMs ?? 5_000;
        // The reply to the interrupt is not what matters: the cell's own reply and idle are.
        void this.client.interrupt(wait).catch(() => undefined);
        result = await within(execution, wait);
        if (result === undefined) {
          killed = true;
          this.report.note(`the kernel did not stop the cell within ${formatMs(wait)} of the interrupt; killing it`, "warn");
          if (!this.client.kernel) throw new Error("cannot stop a hung cell: this client did not start the kernel");
          await this.client.kernel.kill("SIGKILL");
          result = await execution; // rejects with KernelDiedError
        }
      }
      if (result.subscription) this.subscriptions.push(result.subscription);
      const ms = performance.now() - started;
      const reply = result.reply.content;
      if (typeof reply.execution_count === "number") cell.execution_count = reply.execution_count;
      if (timedOut) {
        const evalue = `cell ${label.cellNumber} did not finish within ${formatMs(timeoutMs ?? 0)} and was interrupted`;
        this.report.cellFinished(label, "timeout", ms);
        return { label, status: "timeout", ms, ename: "CellTimeoutError", evalue };
      }
      if (reply.status === "ok") {
        this.report.cellFinished(label, "ok", ms);
        return { label, status: "ok", ms };
      }
      const ename = typeof reply.ename === "string" ? reply.ename : reply.status === "aborted" ? "Aborted" : "Error";
      const evalue = typeof reply.evalue === "string" ? reply.evalue : "";
      const traceback = Array.isArray(reply.traceback) ? reply.traceback.map(String) : [];
      this.report.cellFinished(label, "error", ms, this.report.style("red", ename));
      return { label, status: "error", ms, ename, evalue, traceback };
    } catch (err) {
      this.finished.add(cell);
      const ms = performance.now() - started;
      if (!(err instanceof KernelDiedError)) throw err;
      if (killed) {
        const evalue = `cell ${label.cellNumber} did not finish within ${formatMs(timeoutMs ?? 0)}, and the kernel did not respond to the interrupt, so it was killed`;
        this.recorder.addError(cell, "CellTimeoutError", evalue);
        this.report.cellFinished(label, "timeout", ms);
        return { label, status: "timeout", ms, ename: "CellTimeoutError", evalue };
      }
      const evalue = `the kernel died while cell ${label.cellNumber} ran: ${err.message}`;
      this.recorder.addError(cell, "KernelDied", evalue);
      this.report.cellFinished(label, "died", ms);
      return { label, status: "died", ms, ename: "KernelDied", evalue };
    }
  }

  private onIopub(cell: NotebookCell, label: CellLabel, m: Message): void {
    const msgType = m.header.msg_type;
    // Everything after the cell's own idle status is late output (exact, whatever the promise timing).
    if (msgType === "status" && m.content.execution_state === "idle") this.finished.add(cell);
    if (!OUTPUT_TYPES.has(msgType)) return;
    const late = this.finished.has(cell);
    const timelineId = timelineDisplayId(m.content);
    if (timelineId !== undefined) {
      const metadata = m.content.metadata as { final?: unknown } | undefined;
      this.timelines.set(timelineId, { cellNumber: label.cellNumber, final: metadata?.final === true });
    }
    if (late) {
      this.lastLateAt = performance.now();
      const waiters = this.lateWaiters;
      this.lateWaiters = [];
      for (const wake of waiters) wake();
    }
    this.recorder.apply(cell, { msgType, content: m.content });
    this.report.output(label.cellNumber, msgType, m.content, late);
  }

  /**
   * After the last cell, wait for late output: until a quarter of the grace period passed without any late
   * message *and* no task timeline still shows pending work (tsloop's kernel marks a cell's timeline final once
   * the timers and promises it started settled) — and never longer than the grace period.
   */
  private async settle(): Promise<{ lateStillArriving: boolean; pendingCells: number[] }> {
    const grace = this.options.graceMs;
    const quiet = this.options.quietMs ?? grace / 4;
    this.report.note(`waiting up to ${formatMs(grace).replace(/\.00 s$/, " s")} for late output…`);
    const start = performance.now();
    const deadline = start + grace;
    const exited = this.client.kernel?.exited.then(() => "exited" as const);
    for (;;) {
      const now = performance.now();
      const pending = this.pendingCells();
      if (now >= deadline) return { lateStillArriving: this.lastLateAt > deadline - quiet, pendingCells: pending };
      const quietUntil = Math.max(this.lastLateAt, start) + quiet;
      if (now >= quietUntil && pending.length === 0) return { lateStillArriving: false, pendingCells: [] };
      let timer: ReturnType<typeof setTimeout> | undefined;
      const wakeIn = (now < quietUntil ? quietUntil : deadline) - now;
      const woke = await Promise.race([
        new Promise<"timer">((resolve) => (timer = setTimeout(() => resolve("timer"), wakeIn))),
        new Promise<"message">((resolve) => this.lateWaiters.push(() => resolve("message"))),
        ...(exited ? [exited] : []),
      ]);
      clearTimeout(timer);
      this.lateWaiters = [];
      if (woke === "exited") return { lateStillArriving: false, pendingCells: [] };
    }
  }

  private pendingCells(): number[] {
    const cells = new Set<number>();
    for (const t of this.timelines.values()) if (!t.final) cells.add(t.cellNumber);
    return [...cells].sort((a, b) => a - b);
  }
}

/** The display_id of one of tsloop's task timeline displays, or undefined for any other message. */
function timelineDisplayId(content: Record<string, unknown>): string | undefined {
  const data = content.data;
  if (typeof data !== "object" || data === null || !(TIMELINE_MIME in data)) return undefined;
  const transient = content.transient as { display_id?: unknown } | undefined;
  return typeof transient?.display_id === "string" ? transient.display_id : undefined;
}

/** The promise's value if it settles within `ms` (no bound when undefined), else undefined. Rejections pass. */
async function within<T>(promise: Promise<T>, ms: number | undefined): Promise<T | undefined> {
  if (ms === undefined) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
