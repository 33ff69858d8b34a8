// I/O on the timeline: each `fetch` a cell makes is one `io` task, labelled with its method and URL. What undici
// does inside (keep-alive timers, immediates, its own promises) is library work, folded into that task and
// counted in the footnote (see origin.ts), so five fetches draw five rows, not a 3 s axis of internal timers.
import type { Tracer } from "./tracer.js";
import { now } from "./cell-trace.js";
import type { Patch } from "../patches/table.js";

const MAX_URL = 60;

/** The patch of the global `fetch` (none where there is no fetch). */
export function fetchPatches(tracer: Tracer): Patch[] {
  if (typeof (globalThis as { fetch?: unknown }).fetch !== "function") return [];
  return [{ name: "globalThis.fetch", target: globalThis, key: "fetch", replacement: (real) => tracedFetch(tracer, real as typeof fetch) }];
}

function tracedFetch(tracer: Tracer, original: typeof fetch): typeof fetch {
  const traced = function (this: unknown, input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> {
    const at = now(); // the first fetch spends ~50 ms loading undici before it returns: the request starts here
    const promise = original.call(this, input, init);
    const ref = tracer.create("io", `fetch ${methodOf(input, init)} ${clip(urlOf(input))}`, { at });
    return ref ? tracer.follow(promise, ref) : promise;
  };
  Object.defineProperty(traced, "name", { value: "fetch" });
  return traced as typeof fetch;
}

function urlOf(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === "string") return input;
  if (input instanceof URL) return input.href;
  return (input as { url?: string }).url ?? String(input);
}

function methodOf(input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1]): string {
  return (init?.method ?? (typeof input === "object" && "method" in input ? (input as Request).method : "GET")).toUpperCase();
}

function clip(url: string): string {
  return url.length > MAX_URL ? `${url.slice(0, MAX_URL - 1)}…` : url;
}
