// The interrupt line: a few Int32 slots in a SharedArrayBuffer, the only memory the kernel's threads share.
// The I/O worker numbers every cell run it sends and raises interrupts against the latest (`InterruptSender`);
// the main thread runs cells, answers loop guards and beats (`InterruptReceiver`); `runInWorker` threads read it
// through a guard built from the same constants (`POOL_GUARD_SOURCE`). No other module touches the slots.
//
//   FLAG   read by every compiled loop guard (`__tsloop.flag[0] !== 0`): 0, or run × 4 + state, state being
//          INTERRUPT (the guard throws Interrupted), ACK (a guard threw; guards keep throwing until the main thread
//          lowers it) or SAMPLE (the guard records its cell line for the blocked-loop warning).
//   RUN    the generation of the latest run the I/O worker sent. A flag raised for an earlier run is stale:
//          guards ignore it (and lower it), and its late event stops nothing.
//   SCRIPT the run whose synchronous script is on the main thread's stack now (NO_SCRIPT otherwise): a SIGINT is
//          sent only into that script, never into the gap after it, where it could break the next run's script.
//   BEAT   the main thread's last heartbeat (ms, modulo 2^30), written while a timeline's lag monitor runs.
//   WATCH  1 while the lag monitor runs (only then does the I/O worker ask for samples).
//   PAUSES how many debugger pauses the I/O worker ended (counted before it resumes the main thread, after it sent
//          the pause's `paused` event): the main thread compares it with the reports it has, to know one is due.

export const SLOT = { FLAG: 0, RUN: 1, SCRIPT: 2, BEAT: 3, WATCH: 4, PAUSES: 5 } as const;
export const LINE_SLOTS = 6;
export const STATE = { INTERRUPT: 1, SAMPLE: 2, ACK: 3 } as const;
const STATE_BITS = 2;
const STATE_MASK = (1 << STATE_BITS) - 1;
/** Generations run 1 … RUN_LIMIT - 1 and wrap, so that run × 4 + state stays a positive Int32. */
const RUN_LIMIT = 2 ** 29;
export const NO_SCRIPT = -1;

/** An interrupt no guard acknowledged within this long gets a SIGINT, if its run's synchronous script still runs. */
export const SIGINT_AFTER_MS = 100;
/** After this long without a heartbeat the I/O worker asks the busy loop where it is. */
export const SAMPLE_AFTER_MS = 100;

const WRAP = 2 ** 30;
export const clockMs = (): number => Date.now() % WRAP;
export const msSince = (beat: number): number => (clockMs() - beat + WRAP) % WRAP;

const word = (run: number, state: number): number => run * (STATE_MASK + 1) + state;

/** A new line: no run yet, nothing raised. Hand the buffer to both ends (and to pool workers). */
export function createInterruptLine(): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(LINE_SLOTS * Int32Array.BYTES_PER_ELEMENT);
  Atomics.store(new Int32Array(buffer), SLOT.SCRIPT, NO_SCRIPT);
  return buffer;
}

/** The I/O worker's end. */
export class InterruptSender {
  private readonly slots: Int32Array;

  /** @param sigint breaks the main thread's synchronous script (the kernel sends its own process SIGINT) */
  constructor(
    buffer: SharedArrayBuffer,
    private readonly sigint: () => void,
    private readonly sigintAfterMs = SIGINT_AFTER_MS,
  ) {
    this.slots = new Int32Array(buffer);
  }

  /** Numbers the run about to be sent; from now on anything raised for an earlier run is stale. */
  nextRun(): number {
    const run = (Atomics.load(this.slots, SLOT.RUN) % (RUN_LIMIT - 1)) + 1;
    Atomics.store(this.slots, SLOT.RUN, run);
    return run;
  }

  /**
   * interrupt_request: raises the flag for the latest run and returns that run, for the interrupt event. After
   * `sigintAfterMs`, if no guard took it, the main thread has not lowered it and that run's synchronous script is
   * still running (unguarded code: a catastrophic regex, a library call), sends the SIGINT that breaks it.
   */
  raise(): number {
    const run = Atomics.load(this.slots, SLOT.RUN);
    Atomics.store(this.slots, SLOT.FLAG, word(run, STATE.INTERRUPT));
    setTimeout(() => {
      if (this.needsSigint(run)) this.sigint();
    }, this.sigintAfterMs);
    return run;
  }

  private needsSigint(run: number): boolean {
    return Atomics.load(this.slots, SLOT.FLAG) === word(run, STATE.INTERRUPT) && Atomics.load(this.slots, SLOT.SCRIPT) === run;
  }

  /** The debugger ended a pause (its report is sent): call before resuming the main thread. */
  pauseEnded(): void {
    Atomics.add(this.slots, SLOT.PAUSES, 1);
  }

  /** The watchdog's tick: while the lag monitor runs, a heartbeat older than SAMPLE_AFTER_MS means a synchronous
   *  stretch; ask the next loop guard to record its cell line (unless something else is raised). */
  sampleIfStalled(): void {
    if (Atomics.load(this.slots, SLOT.WATCH) === 1 && msSince(Atomics.load(this.slots, SLOT.BEAT)) > SAMPLE_AFTER_MS) {
      Atomics.compareExchange(this.slots, SLOT.FLAG, 0, word(Atomics.load(this.slots, SLOT.RUN), STATE.SAMPLE));
    }
  }
}

/** What a loop guard that saw the flag raised does. */
export type GuardAction = "interrupt" | "sample" | "none";

/** The main thread's end. */
export class InterruptReceiver {
  /** the slots, for `__tsloop.flag` (compiled guards read slot 0) */
  readonly flag: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.flag = new Int32Array(buffer);
  }

  /** The run starting now: the latest the I/O worker numbered (runs are sent one at a time). */
  currentRun(): number {
    return Atomics.load(this.flag, SLOT.RUN);
  }

  /** Runs the synchronous part of `run`'s script, the only place a SIGINT from the I/O worker is aimed at. */
  inScript<T>(run: number, script: () => T): T {
    Atomics.store(this.flag, SLOT.SCRIPT, run);
    try {
      return script();
    } finally {
      Atomics.store(this.flag, SLOT.SCRIPT, NO_SCRIPT);
    }
  }

  /** A loop guard saw the flag raised: interrupt (and acknowledge, so no SIGINT follows), sample (and lower it),
   *  or nothing — the flag was lowered meanwhile, or it was raised for an earlier run (then lower it too). */
  guard(): GuardAction {
    const raised = Atomics.load(this.flag, SLOT.FLAG);
    if (raised === 0) return "none";
    const state = raised & STATE_MASK;
    if (state === STATE.SAMPLE) return Atomics.compareExchange(this.flag, SLOT.FLAG, raised, 0) === raised ? "sample" : "none";
    const run = raised >>> STATE_BITS;
    if (run !== this.currentRun()) {
      Atomics.compareExchange(this.flag, SLOT.FLAG, raised, 0);
      return "none";
    }
    if (state === STATE.INTERRUPT) Atomics.compareExchange(this.flag, SLOT.FLAG, raised, word(run, STATE.ACK));
    return "interrupt";
  }

  /** The interrupt event for `run` arrived: lower the flag if it is still raised for that run (not a later one). */
  lower(run: number): void {
    Atomics.compareExchange(this.flag, SLOT.FLAG, word(run, STATE.INTERRUPT), 0);
    Atomics.compareExchange(this.flag, SLOT.FLAG, word(run, STATE.ACK), 0);
  }

  /** How many debugger pauses the I/O worker ended so far (wraps as an Int32). */
  pausesEnded(): number {
    return Atomics.load(this.flag, SLOT.PAUSES);
  }

  /** The lag monitor's heartbeat. */
  beat(): void {
    Atomics.store(this.flag, SLOT.BEAT, clockMs());
  }

  /** The lag monitor started (beats follow) or stopped. */
  watch(on: boolean): void {
    if (on) this.beat();
    Atomics.store(this.flag, SLOT.WATCH, on ? 1 : 0);
  }
}

/** For a `runInWorker` thread, evaluated from a string: `interruptRaised(slots)`, whether the flag holds an
 *  interrupt of the latest run. Sampling requests are the main thread's; they are left alone. Written as text with
 *  this module's constants (a function's own source would carry its compiled references to them). */
export const POOL_GUARD_SOURCE = `function interruptRaised(slots) {
  const raised = Atomics.load(slots, ${SLOT.FLAG});
  const state = raised & ${STATE_MASK};
  return (state === ${STATE.INTERRUPT} || state === ${STATE.ACK}) && raised >>> ${STATE_BITS} === Atomics.load(slots, ${SLOT.RUN});
}`;
