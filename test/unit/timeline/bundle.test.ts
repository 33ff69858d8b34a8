import { describe, expect, it } from "vitest";
import { TIMELINE_MIME, TIMELINE_RENDERER_VERSION, timelineBundle } from "../../../src/timeline/bundle";
import { gatheredAwaits, manyTasks } from "./scenarios";

describe("timelineBundle", () => {
  it("gives HTML, text and the JSON model", () => {
    const model = gatheredAwaits();
    const bundle = timelineBundle(model);
    expect(Object.keys(bundle).sort()).toEqual([TIMELINE_MIME, "text/html", "text/plain"].sort());
    expect(bundle["text/html"]).toContain("concurrency saved ~600 ms");
    expect(bundle["text/plain"]).toContain("concurrency saved ~600 ms");
    expect(bundle[TIMELINE_MIME]).toEqual({ ...model, renderer: TIMELINE_RENDERER_VERSION });
  });

  it("caps the JSON model and moves its snapshot time to now", () => {
    const model = manyTasks(2000, 50);
    const json = timelineBundle(model, model.snapshotAt + 100)[TIMELINE_MIME];
    expect(json.tasks.length).toBe(500);
    expect(json.counters.aggregated).toBe(1501);
    expect(json.aggregates.reduce((n, a) => n + a.count, 0)).toBe(1501);
    expect(json.snapshotAt).toBe(model.snapshotAt + 100);
    expect(JSON.stringify(json).length).toBeLessThan(200 * 1024);
  });
});
