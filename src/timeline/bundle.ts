// One timeline as a Jupyter MIME bundle: HTML for notebooks, ASCII for consoles, and the (capped) model as
// JSON for tools and a future frontend extension.

import { capModel } from "./cap";
import type { TimelineModel } from "./model";
import { renderHtml } from "./render-html";
import { renderText } from "./render-text";

export const TIMELINE_MIME = "application/vnd.tsloop.timeline.v1+json";

export interface TimelineBundle {
  "text/html": string;
  "text/plain": string;
  [TIMELINE_MIME]: TimelineModel;
}

export interface BundleOptions {
  /** Tasks kept in detail in the JSON model (the rest aggregated). Default 500. */
  maxJsonTasks?: number;
  /** Runs kept per task in the JSON model. Default 16. */
  maxJsonRuns?: number;
}

/** The display bundle for `model`, with pending bars drawn to `now`. */
export function timelineBundle(model: TimelineModel, now: number = model.snapshotAt, opts: BundleOptions = {}): TimelineBundle {
  const json = capModel(model, { maxTasks: opts.maxJsonTasks ?? 500, maxRunsPerTask: opts.maxJsonRuns ?? 16 });
  return {
    "text/html": renderHtml(model, now),
    "text/plain": renderText(model, now),
    [TIMELINE_MIME]: now > json.snapshotAt ? { ...json, snapshotAt: now } : json,
  };
}
