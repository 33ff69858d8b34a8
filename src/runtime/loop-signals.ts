// The small shared memory between the main thread and the I/O worker: the interrupt flag the compiled loop
// guards read, and the main thread's heartbeat the worker watches to ask a busy loop where it is.
//   FLAG: 0 nothing, 1 interrupt (the guard throws Interrupted), 2 sample (the guard records its cell line),
//         3 interrupt acknowledged (a guard threw; guards keep throwing until the main thread clears the flag)
//   BEAT: the main thread's last heartbeat (ms, modulo 2^30), written by the timeline's lag monitor
//   WATCH: 1 while the lag monitor runs (only then does the worker ask for samples)
export const FLAG = 0;
export const BEAT = 1;
export const WATCH = 2;
export const SIGNAL_SLOTS = 3;

export const FLAG_INTERRUPT = 1;
export const FLAG_SAMPLE = 2;
export const FLAG_ACK = 3;

/** An interrupt no guard acknowledged within this long gets a SIGINT, for unguarded synchronous code. */
export const SIGINT_AFTER_MS = 100;

/** After this long without a heartbeat the worker asks the busy loop where it is. */
export const SAMPLE_AFTER_MS = 100;

const WRAP = 2 ** 30;

export function clockMs(): number {
  return Date.now() % WRAP;
}

export function msSince(beat: number): number {
  return (clockMs() - beat + WRAP) % WRAP;
}
