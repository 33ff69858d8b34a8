// The header's wall time runs to now while a timer is pending, not to the timer's due time (the axis does).
import { describe, expect, it } from "vitest";
import { TimelineRecorder } from "../../../src/timeline/recorder.js";
import { timelineFacts } from "../../../src/timeline/summary.js";

describe("timeline wall time", () => {
  it("counts a pending 60 s timer half a second in as 500 ms so far, with the axis reaching its due time", () => {
    let t = 1000;
    const recorder = new TimelineRecorder({ cell: 1, now: () => t });
    recorder.taskCreated("timeout", "setTimeout 60000ms", { delayMs: 60_000 });
    t = 1010;
    recorder.cellEnded();
    t = 1500;
    const facts = timelineFacts(recorder.snapshot(t), t);
    expect(facts.running).toBe(true);
    expect(facts.wallMs).toBe(500);
    expect(facts.axisEnd).toBe(61_000);
  });
});
