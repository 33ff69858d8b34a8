// The timer functions as Node provides them, for the kernel's own timers (output flushing, timeline updates,
// watches, the cell API's `sleep`), which must never be traced as the user's tasks. They ask the process's patch owner at each call for
// what the global was before the runtime's patches, so they are right whatever was loaded or installed first.
import { processPatches } from "./patches/owner.js";

const real = <K extends "setTimeout" | "clearTimeout" | "setInterval" | "clearInterval" | "setImmediate">(key: K): (typeof globalThis)[K] =>
  ((...args: unknown[]) => processPatches.real<(...a: unknown[]) => unknown>(globalThis, key)(...args)) as (typeof globalThis)[K];

export const realSetTimeout = real("setTimeout");
export const realClearTimeout = real("clearTimeout");
export const realSetInterval = real("setInterval");
export const realClearInterval = real("clearInterval");
export const realSetImmediate = real("setImmediate");

/** `setTimeout` of `node:timers/promises` as Node provides it (behind the cell API's `sleep`). */
export const realSleep = (ms: number, value: unknown, options?: { signal?: AbortSignal }): Promise<unknown> =>
  processPatches.real<typeof import("node:timers/promises").setTimeout>(require("node:timers/promises"), "setTimeout")(ms, value, options);
