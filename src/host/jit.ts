// V8's mid-tier optimising compiler (Maglev) in the language process. Maglev makes its start-up faster (the first
// typed result costs ~0.5 s more CPU without it), but in a long session it compiled the per-cell code paths once they
// turned hot (after ~400 cells) and glibc kept the ~30 MB its compile zones took (measured when the language service
// was a thread of the kernel). So the language process turns it off once it has warmed up. The kernel process keeps
// it: user code gets all of V8's tiers (an await loop is ~13 % slower without Maglev), and its RSS over 1,000 trivial
// cells grew +12 MB with Maglev and +6 MB without (2026-12-07). TSLOOP_MAGLEV=on keeps it in the language process
// too. (Node warns that changing V8 flags after start "may do nothing": then memory is what it was.)
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
