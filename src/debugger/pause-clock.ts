// When the main thread was stopped, for the timeline: each pause (a breakpoint, a step, an exception, a pause the
// adapter resumes itself) from `Debugger.paused` arriving to the moment the adapter resumes or steps the thread,
// on the wall clock the kernel's threads share. Reported once per pause, before the thread runs again.

/** Told each pause of the main thread as it ends: start and end on the wall clock the threads share. */
export type PauseSink = (startMs: number, endMs: number) => void;

/** The wall clock every thread reads alike (`performance.now()` alone is relative to this thread's `timeOrigin`). */
const wallNow = (): number => performance.timeOrigin + performance.now();

export class PauseClock {
  private since: number | undefined;

  constructor(private readonly sink: PauseSink) {}

  /** `Debugger.paused` arrived (a pause the adapter steps on through is still the same pause until it resumes). */
  stopped(): void {
    this.since ??= wallNow();
  }

  /** The thread is about to run again (or did, unasked): report the pause, once. */
  ended(): void {
    const since = this.since;
    if (since === undefined) return;
    this.since = undefined;
    this.sink(since, wallNow());
  }
}
