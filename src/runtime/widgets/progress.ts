// progress(items, { label }): awaits promises (or drains an async iterable) while showing a live IntProgress
// widget, with a text/plain fallback in the same display (updated in place, throttled) for frontends
// without widgets. Resolves with the results in order, like Promise.all; rejects like it too.
import { currentCell } from "../context.js";
import { DISPLAY_SYMBOL, newDisplayId } from "../display.js";
import type { OutputSink } from "../output.js";
import type { MimeBundle } from "../../protocol/messages.js";
import { IntProgress } from "./controls.js";
import type { Widget } from "./widget.js";

export interface ProgressOptions {
  label?: string;
  /** the number of items of an async iterable, when known */
  total?: number;
}

const WIDGET_EVERY_MS = 100;
const TEXT_EVERY_MS = 500;
const BAR_WIDTH = 24;

/** The text/plain line: `label: 7/10 [████████████████▌       ] 70% 1.2s`. */
export function progressText(label: string, done: number, total: number | undefined, elapsedMs: number, end?: "done" | "failed"): string {
  const time = `${(elapsedMs / 1000).toFixed(1)}s`;
  const tail = end === "failed" ? ` failed after ${time}` : end === "done" ? ` done in ${time}` : ` ${time}`;
  if (total === undefined) return `${label}: ${done}${tail}`;
  const fraction = total === 0 ? 1 : Math.min(done / total, 1);
  const filled = Math.round(fraction * BAR_WIDTH);
  return `${label}: ${done}/${total} [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${Math.floor(fraction * 100)}%${tail}`;
}

export function makeProgress(output: OutputSink) {
  return async function progress<T>(items: Iterable<T> | AsyncIterable<T>, options: ProgressOptions = {}): Promise<Awaited<T>[]> {
    const ctx = currentCell();
    if (!ctx) throw new Error("progress() can only be called from code a cell started");
    const label = options.label ?? "progress";
    const isSync = typeof (items as Iterable<T>)?.[Symbol.iterator] === "function";
    if (!isSync && typeof (items as AsyncIterable<T>)?.[Symbol.asyncIterator] !== "function") {
      throw new TypeError(`progress(items): expected an iterable or async iterable (e.g. an array of promises), received ${items === null ? "null" : typeof items}`);
    }
    const list = isSync ? Array.from(items as Iterable<T>) : undefined;
    const total = list ? list.length : options.total;
    const started = performance.now();
    let done = 0;
    const bar = new IntProgress({ value: 0, max: total ?? 1, description: label }) as Widget & { value: number; max: number; barStyle: string };
    const displayId = newDisplayId();
    const bundle = (end?: "done" | "failed"): MimeBundle => ({
      ...bar[DISPLAY_SYMBOL](),
      "text/plain": progressText(label, done, total, performance.now() - started, end),
    });
    output.publish(ctx.parent, "display_data", { data: bundle(), metadata: {}, transient: { display_id: displayId } });
    let widgetAt = started;
    let textAt = started;
    const tick = () => {
      done++;
      const now = performance.now();
      if (now - widgetAt >= WIDGET_EVERY_MS) {
        widgetAt = now;
        bar.value = Math.min(done, bar.max);
      }
      if (now - textAt >= TEXT_EVERY_MS) {
        textAt = now;
        output.publish(ctx.parent, "update_display_data", { data: bundle(), metadata: {}, transient: { display_id: displayId } });
      }
    };
    const finish = (end: "done" | "failed") => {
      bar.set({ max: Math.max(total ?? done, 1), value: Math.min(done, Math.max(total ?? done, 1)), barStyle: end === "done" ? "success" : "danger" });
      output.publish(ctx.parent, "update_display_data", { data: bundle(end), metadata: {}, transient: { display_id: displayId } });
    };
    try {
      let results: Awaited<T>[];
      if (list) {
        results = new Array<Awaited<T>>(list.length);
        await Promise.all(
          list.map((item, i) =>
            Promise.resolve(item).then((value) => {
              results[i] = value;
              tick();
            }),
          ),
        );
      } else {
        results = [];
        for await (const value of items as AsyncIterable<T>) {
          results.push(value as Awaited<T>);
          tick();
        }
      }
      finish("done");
      return results;
    } catch (err) {
      finish("failed");
      throw err;
    }
  };
}
