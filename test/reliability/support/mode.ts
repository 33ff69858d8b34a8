// Fast mode (the default, what CI runs: the whole suite in well under 3 minutes on 2 cores) or long mode
// (`TSLOOP_RELIABILITY=long`, on demand): how many runs each reliability case makes.
export type Mode = "fast" | "long";

export const MODE: Mode = process.env.TSLOOP_RELIABILITY === "long" ? "long" : "fast";

/** The fast-mode figure, or the long-mode one. */
export function scale<T>(fast: T, long: T): T {
  return MODE === "long" ? long : fast;
}

/** Long mode writes docs/reliability.md; fast mode only when asked (`TSLOOP_RELIABILITY_REPORT=1`). */
export const WRITE_REPORT = MODE === "long" || /^(1|true|yes|on)$/i.test(process.env.TSLOOP_RELIABILITY_REPORT ?? "");
