// V8's mid-tier optimising compiler (Maglev), per process. Maglev makes the language process's start-up faster (the
// first typed result costs ~0.5 s more CPU without it), but in a long session it compiles the kernel's own per-cell
// code paths once they turn hot (after ~400 cells) and glibc keeps what its compile zones took: RSS over 1,000
// trivial cells grew 57–75 MB with it, 32–42 MB without. So the language process turns it off once it has warmed up,
// and the kernel process (main thread and I/O worker: its V8 flags are process-wide) at start, where nothing is hot
// yet. User code still gets Sparkplug and TurboFan. TSLOOP_MAGLEV=on keeps it. (Node warns that changing V8 flags
// after start "may do nothing": then memory is what it was.)
import { setFlagsFromString } from "node:v8";
import { switchedOn } from "../session/switches.js";

/** Turns Maglev off for code compiled from now on, unless TSLOOP_MAGLEV=on. Returns whether it did. */
export function settleJit(env: NodeJS.ProcessEnv = process.env): boolean {
  if (switchedOn(env.TSLOOP_MAGLEV)) return false;
  setFlagsFromString("--no-maglev");
  return true;
}

/**
 * V8 flags of the language process's command line, for its heap. Every check builds a new program and checker, a
 * few MB that live just long enough to leave the young generation; with V8's defaults that garbage piled up in the
 * old generation to ~4× the live heap before a full GC: 1,000 trivial cells grew the process by ~140 MB while its
 * live heap stayed at ~70 MB. A 4 MB semi-space and old-generation growth of 30 % past what survived the last full
 * GC keep the growth to ~20 MB (measured: start 187 MB, 207 MB after 250 cells, flat to 600), at ~4 % more CPU per
 * check. (At runtime, v8.setFlagsFromString does not change them; on the command line they do not stop the
 * start-up snapshot from loading.)
 */
export const LANGUAGE_HEAP_FLAGS = ["--max-semi-space-size=4", "--heap-growing-percent=30"];
