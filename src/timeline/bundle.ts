// One timeline as a Jupyter MIME bundle: HTML for notebooks, ASCII for consoles, and the (capped) model as
// JSON for tools and a future frontend extension.

import { capModel } from "./cap";
import type { TimelineModel } from "./model";
import { renderHtml } from "./render-html";
import { renderText } from "./render-text";

export const TIMELINE_MIME = "application/vnd.tsloop.timeline.v1+json";

/** The version of what the renderers draw, stored in every bundle's JSON (`renderer`). Bump it whenever a change
 *  alters what a timeline shows (a figure's definition, layout, notes): CI then fails for every committed notebook
 *  whose timelines were drawn by an older renderer, until they are regenerated (`npm run notebooks`).
 *  1 (or absent): before issue 16. 2: operation-based peak concurrency and saving, labelled axis, notes off bars,
 *  warnings in the header. */
export const TIMELINE_RENDERER_VERSION = 2;

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
    [TIMELINE_MIME]: { ...json, snapshotAt: Math.max(now, json.snapshotAt), renderer: TIMELINE_RENDERER_VERSION },
  };
}
