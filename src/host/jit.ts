// V8's mid-tier optimising compiler (Maglev) after start-up. Maglev makes start-up faster (the first typed result
// costs ~0.5 s more CPU without it), but in a long session it compiles the kernel's own per-cell code paths once
// they turn hot (after ~400 cells) and glibc keeps the ~30 MB its compile zones took: RSS over 1,000 trivial cells
// grew 57–75 MB with it, 32–42 MB without. So the kernel turns it off once it has started; user code still gets
// Sparkplug and TurboFan. TSLOOP_MAGLEV=on keeps it. (V8 flags are process-wide; Node warns that changing them
// after start "may do nothing": then memory is what it was.)
import { setFlagsFromString } from "node:v8";
import { switchedOn } from "../session/switches.js";

/** Turns Maglev off for code compiled from now on, unless TSLOOP_MAGLEV=on. Returns whether it did. */
export function settleJit(env: NodeJS.ProcessEnv = process.env): boolean {
  if (switchedOn(env.TSLOOP_MAGLEV)) return false;
  setFlagsFromString("--no-maglev");
  return true;
}
