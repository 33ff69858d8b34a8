// The header's figures against the true story of issue 16's cells (truth-scenarios.ts): each figure as defined in
// summary.ts DEFINITIONS and docs/timeline.md, with the drawn header text checked too.

import { describe, expect, it } from "vitest";
import { TaskIndex, gatherSaving, peakBeneath } from "../../../src/timeline/concurrency";
import { escapeHtml } from "../../../src/timeline/format";
import type { TimelineModel } from "../../../src/timeline/model";
import { renderHtml } from "../../../src/timeline/render-html";
import { renderText } from "../../../src/timeline/render-text";
import { DEFINITIONS, headerParts, timelineFacts } from "../../../src/timeline/summary";
import {
  deadlockedGather,
  fiveRequests,
  gatherFailingEarly,
  gatherOfThree,
  interruptedSleep,
  nineSeconds,
  requestsWithInternals,
  semaphoreOfTwo,
  sleepBesideCpu,
  workerJobs,
} from "./truth-scenarios";

function header(model: TimelineModel): string {
  return headerParts(timelineFacts(model, model.snapshotAt))
    .map((p) => p.text)
    .join(" | ");
}

function gatherOf(model: TimelineModel) {
  const g = model.tasks.find((t) => t.children !== undefined);
  if (g === undefined) throw new Error("no gather");
  return g;
}

describe("peak concurrency counts operations in flight, not tasks", () => {
  it("Promise.all of three calls each awaiting one sleep: 3, not 6", () => {
    const model = gatherOfThree();
    expect(timelineFacts(model, model.snapshotAt).peakConcurrency).toBe(3);
    expect(header(model)).toContain("peak concurrency 3");
    expect(peakBeneath(new TaskIndex(model, model.snapshotAt), gatherOf(model))).toBe(3);
  });

  it("a semaphore of two over ten jobs: 2, not the 10 jobs or the 28 tasks pending at once", () => {
    const model = semaphoreOfTwo(10);
    expect(timelineFacts(model, model.snapshotAt).peakConcurrency).toBe(2);
    expect(renderText(model)).toContain("2 at once");
  });

  it("a request's library-internal timers count with the request: two requests at once are 2", () => {
    const model = requestsWithInternals();
    expect(timelineFacts(model, model.snapshotAt).peakConcurrency).toBe(2);
  });
});

describe("concurrency saved is what really overlapped, and only that", () => {
  it("three 200 ms sleeps gathered: one after another 600 ms, together 200 ms, saved ~400 ms", () => {
    const model = gatherOfThree();
    const saving = gatherSaving(new TaskIndex(model, model.snapshotAt), gatherOf(model));
    expect(saving?.sequentialMs).toBeCloseTo(600, 0);
    expect(saving?.wallMs).toBeCloseTo(200.2, 1);
    expect(header(model)).toContain("concurrency saved ~400 ms");
    const chip = headerParts(timelineFacts(model, model.snapshotAt)).find((p) => p.key === "saved");
    expect(chip?.tip).toContain("Promise.all [3]: 600 ms one after another - 200 ms at once = 400 ms");
  });

  it("a semaphore of two over 10 × 100 ms: saved = sequential − wall ≈ 1000 − 500 ms, not Σ of queue waits", () => {
    const model = semaphoreOfTwo(10);
    const f = timelineFacts(model, model.snapshotAt);
    const sequential = 10 * 100;
    expect(Math.abs(f.savedMs - (sequential - f.wallMs))).toBeLessThan(0.1 * (sequential - f.wallMs));
    expect(header(model)).toContain("concurrency saved ~500 ms");
  });

  it("a sleep beside 200 ms of CPU work: 300 ms one after another, 200 together, saved ~100 ms (lateness is not work)", () => {
    const model = sleepBesideCpu();
    const saving = gatherSaving(new TaskIndex(model, model.snapshotAt), gatherOf(model));
    expect(saving?.sequentialMs).toBeCloseTo(300, 0);
    expect(saving?.savedMs).toBeCloseTo(99.7, 0);
  });

  it("four worker jobs on two threads: peak 2 (queued jobs do not count); saved = (400 + 4 × 300) − 1000 ms", () => {
    // One after another: the 400 ms start-up once, then four 300 ms runs; together: 1001.6 ms.
    const model = workerJobs();
    const f = timelineFacts(model, model.snapshotAt);
    expect(f.peakConcurrency).toBe(2);
    expect(Math.abs(f.savedMs - (400 + 1200 - 1001.6))).toBeLessThan(0.1 * (400 + 1200 - 1001.6));
  });

  it("five requests slowing each other down: each counts as the fastest alone, 5 × 50 − 90 = 160 ms, not Σ 350 − 90", () => {
    const model = fiveRequests();
    const f = timelineFacts(model, model.snapshotAt);
    expect(f.peakConcurrency).toBe(5);
    expect(f.savedMs).toBeCloseTo(160, 0);
  });

  it("a Promise.all that rejects early saved nothing: no pill", () => {
    const model = gatherFailingEarly();
    expect(timelineFacts(model, model.snapshotAt).savedMs).toBe(0);
    expect(header(model)).not.toContain("saved");
    expect(renderHtml(model)).not.toContain("saved ~");
  });

  it("a deadlocked gather seen 6.4 s in saved nothing: no green pill", () => {
    const model = deadlockedGather();
    expect(timelineFacts(model, model.snapshotAt).savedMs).toBe(0);
    const html = renderHtml(model);
    expect(html).not.toContain("concurrency saved");
    expect(html).not.toContain("#dafbe1"); // the "good" tone
  });
});

describe("the axis and wall time", () => {
  it("an interrupted sleep(60_000): the axis ends at the wall time (2 s), not at the cancelled timer's due time", () => {
    const model = interruptedSleep();
    const f = timelineFacts(model, model.snapshotAt);
    expect(f.wallMs).toBeCloseTo(2000.5, 1);
    expect(f.axisEnd - f.axisStart).toBeCloseTo(2000.5, 1);
    expect(renderText(model)).toMatch(/\b2s\n/);
  });

  it("a 9 s run labels its axis end 9 s", () => {
    const model = nineSeconds();
    expect(renderText(model).split("\n")[2]).toMatch(/9s$/);
    expect(renderHtml(model)).toContain(">9 s</span>");
  });
});

describe("definitions", () => {
  it("every header chip carries its definition as a tooltip", () => {
    for (const model of [gatherOfThree(), semaphoreOfTwo(), gatherFailingEarly(), interruptedSleep()]) {
      const parts = headerParts(timelineFacts(model, model.snapshotAt));
      const html = renderHtml(model);
      for (const p of parts) {
        expect(p.tip.startsWith(DEFINITIONS[p.key])).toBe(true);
        expect(html).toContain(`title="${escapeHtml(DEFINITIONS[p.key].slice(0, 40))}`);
      }
    }
  });
});
