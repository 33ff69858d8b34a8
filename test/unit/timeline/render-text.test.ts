import { describe, expect, it } from "vitest";
import { renderText, TEXT_WIDTH } from "../../../src/timeline/render-text";
import { TimelineRecorder } from "../../../src/timeline/recorder";
import { FakeClock, blockedTimers, gatheredAwaits, manyTasks, pendingAfterCell, rejectedTask, sequentialAwaits } from "./scenarios";

const samples = {
  sequential: renderText(sequentialAwaits()),
  gathered: renderText(gatheredAwaits()),
  blocked: renderText(blockedTimers()),
  pending: renderText(pendingAfterCell().model),
  rejected: renderText(rejectedTask()),
  many: renderText(manyTasks(2000, 50)),
  distinct: renderText(manyTasks(2000, 2000)),
};

describe("timeline text", () => {
  it.each(Object.entries(samples))("%s: every line is at most 100 columns", (_name, text) => {
    expect(TEXT_WIDTH).toBe(100);
    const long = text.split("\n").filter((l) => l.length > 100);
    expect(long).toEqual([]);
  });

  it.each(Object.entries(samples))("%s: is pure ASCII apart from user text", (_name, text) => {
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it("clips long labels and keeps the bar column aligned", () => {
    const clock = new FakeClock();
    const rec = new TimelineRecorder({ cell: 1, now: clock.now });
    const id = rec.taskCreated("async", "aVeryLongFunctionNameThatGoesOnAndOn(withArguments, andMore)", { at: 0 });
    rec.taskSettled(id, "fulfilled", undefined, 50);
    rec.cellEnded(50);
    const row = renderText(rec.snapshot(50)).split("\n").find((l) => l.startsWith("aVery"));
    expect(row?.slice(0, 24)).toBe("aVeryLongFunctionName...");
    expect(row?.slice(34, 35)).toBe("[");
  });
});
