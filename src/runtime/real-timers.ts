// The timer functions as Node provides them, captured when this module loads — before the timeline's tracing
// replaces the globals — so that the kernel's own timers (output flushing, timeline updates, watches) are never
// traced as the user's tasks.
export const realSetTimeout = globalThis.setTimeout;
export const realClearTimeout = globalThis.clearTimeout;
export const realSetInterval = globalThis.setInterval;
export const realClearInterval = globalThis.clearInterval;
export const realSetImmediate = globalThis.setImmediate;
