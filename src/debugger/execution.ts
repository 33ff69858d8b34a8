// Execution control of the main thread, for the debug adapter: pause requests (asked again while they land in the
// kernel's own code), steps (continued through the instrumentation around a line until they reach TypeScript),
// resumes, and which pauses the frontend is shown: a `stopped` event for those, the kernel's and (with "uncaught")
// the notebook's caught exceptions resumed unseen, and `continued` when the shown pause ends. Every pause is timed
// for the timeline (PauseClock).
import { log } from "../wire/log.js";
import type { Cdp, PausedEvent } from "./cdp.js";
import type { PausedState } from "./frames.js";
import { PauseClock, type PauseSink } from "./pause-clock.js";

export type Step = "Debugger.stepOver" | "Debugger.stepInto" | "Debugger.stepOut";
export type ExceptionMode = "none" | "all" | "uncaught";

/** Steps that end in code without a TypeScript line (the kernel's instrumentation) are continued this often. */
const MAX_HIDDEN_STEPS = 200;
/** A pause that landed in the kernel's code is asked again after this long (see onPaused). */
const PAUSE_RETRY_MS = 50;

export interface ExecutionHooks {
  /** Sends a DAP event (`stopped`, `continued`). */
  emit(event: string, body: Record<string, unknown>): void;
  /** The paused state of a pause: frames, scopes, evaluation. */
  inspect(event: PausedEvent, cdp: Cdp): PausedState;
  /** Forgets the variable references handed out (they hold only while paused). */
  forgetValues(): void;
  /** Told every pause of the main thread as it ends (the timeline). */
  pauseSink: PauseSink;
}

export class ExecutionControl {
  /** The pause the frontend was shown, while the thread is stopped there. */
  paused: PausedState | undefined;
  exceptionMode: ExceptionMode = "none";
  private cdp: Cdp | undefined;
  private stepping: { command: Step; hidden: number } | undefined;
  private pauseRequested = false;
  private pauseAgain: ReturnType<typeof setTimeout> | undefined;
  /** every pause, shown or stepped through, for the timeline */
  private readonly pauses: PauseClock;

  constructor(private readonly hooks: ExecutionHooks) {
    this.pauses = new PauseClock(hooks.pauseSink);
  }

  /** Follows the pauses and resumes of a newly attached session. */
  attached(cdp: Cdp): void {
    this.cdp = cdp;
    cdp.on<PausedEvent>("Debugger.paused", (event) => {
      this.pauses.stopped();
      void this.onPaused(cdp, event).catch((err: unknown) => log.error("debugger: handling a pause failed:", err));
    });
    cdp.on("Debugger.resumed", () => this.onResumed());
  }

  /** The session is leaving: a pause request is dropped, and a shown pause ends. */
  detached(): void {
    this.cdp = undefined;
    this.pauseRequested = false;
    clearTimeout(this.pauseAgain);
    this.onResumed();
  }

  async requestPause(cdp: Cdp): Promise<void> {
    this.pauseRequested = true;
    await cdp.post("Debugger.pause");
  }

  /** `continue` before a requested pause arrived withdraws the request; true when it did. */
  withdrawPause(): boolean {
    if (this.paused || !this.pauseRequested) return false;
    this.pauseRequested = false; // a pause still waiting for the notebook's code to run is withdrawn
    clearTimeout(this.pauseAgain);
    return true;
  }

  /** Steps from the shown pause (the caller checked there is one). */
  async step(cdp: Cdp, command: Step): Promise<void> {
    this.hooks.forgetValues();
    this.paused = undefined;
    this.stepping = { command, hidden: 0 };
    await this.resume(cdp, command);
  }

  /** Resumes (or steps) the main thread; the pause ending now is reported first, so that the main thread has the
   *  report queued by the time it runs again. */
  async resume(cdp: Cdp, command: "Debugger.resume" | Step): Promise<void> {
    this.pauses.ended();
    await cdp.post(command);
  }

  private async onPaused(cdp: Cdp, event: PausedEvent): Promise<void> {
    const state = this.hooks.inspect(event, cdp);
    const stepping = this.stepping;
    const top = state.top();
    if (!top && this.pauseRequested && !stepping) {
      // A pause request landed in the kernel's code (the loop was idle, or between the notebook's tasks). Stepping
      // from there goes statement by statement through Node's internals (V8 does not skip blackboxed code it is
      // already in), so: resume, and ask again a little later, until the pause lands in the notebook's code.
      await this.resume(cdp, "Debugger.resume");
      this.pauseAgain = setTimeout(() => {
        this.pauseAgain = undefined;
        if (this.cdp === cdp && this.pauseRequested) cdp.post("Debugger.pause").catch((err: unknown) => log.error("debugger: pause failed:", err));
      }, PAUSE_RETRY_MS);
      return;
    }
    if (stepping && !top && stepping.hidden < MAX_HIDDEN_STEPS) {
      // a step ended in the instrumentation the compiler wrapped around the user's line: step on
      stepping.hidden++;
      await this.resume(cdp, stepping.command === "Debugger.stepOut" ? "Debugger.stepOver" : stepping.command);
      return;
    }
    const exception = event.reason === "exception" || event.reason === "promiseRejection";
    // the kernel's own exceptions (it catches them) are not the user's; with "uncaught", neither are those the
    // notebook catches itself (V8 counts the kernel's catch of every cell error, so it cannot tell)
    if (exception && !this.pauseRequested && (!state.anyShown() || (this.exceptionMode === "uncaught" && (await state.caughtByNotebook())))) {
      await this.resume(cdp, "Debugger.resume");
      return;
    }
    this.stepping = undefined;
    this.paused = state;
    const reason = this.pauseRequested ? "pause" : stepping ? "step" : event.hitBreakpoints?.length ? "breakpoint" : exception ? "exception" : "pause";
    this.pauseRequested = false;
    const text = reason === "exception" ? (event.data as { description?: string } | undefined)?.description?.split("\n")[0] : undefined;
    this.hooks.emit("stopped", { reason, threadId: 1, allThreadsStopped: true, ...(text === undefined ? {} : { text, description: text }) });
  }

  private onResumed(): void {
    this.pauses.ended(); // a resume not asked for here (the session leaving)
    if (this.stepping) return; // a step in progress: no `continued` between the steps that make one
    this.hooks.forgetValues();
    if (!this.paused) return;
    this.paused = undefined;
    this.hooks.emit("continued", { threadId: 1, allThreadsContinued: true });
  }
}
