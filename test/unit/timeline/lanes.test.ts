// Worker lanes: two jobs that ran at once on two threads are drawn on two lanes over the same stretch of the axis,
// with CPU against wall time and the core count in the caption.
import { describe, expect, it } from "vitest";
import { TimelineRecorder } from "../../../src/timeline/recorder";
import { parallelism, parallelismCaption, workerLanes } from "../../../src/timeline/lanes";
import { renderHtml } from "../../../src/timeline/render-html";
import { renderText } from "../../../src/timeline/render-text";

function twoJobs() {
  let t = 0;
  const rec = new TimelineRecorder({ cell: 3, now: () => t, startedAt: 0, cores: 2 });
  const a = rec.taskCreated("worker", "burn(300) on a worker", { at: 0, parentId: 0 });
  const b = rec.taskCreated("worker", "burn(300) on a worker", { at: 1, parentId: 0 });
  rec.workerRan(a, 1, 20, 320, 290);
  rec.workerRan(b, 2, 25, 330, 300);
  rec.taskSettled(a, "fulfilled", 1, 322);
  rec.taskSettled(b, "fulfilled", 2, 332);
  rec.cellEnded(335);
  t = 335;
  return rec.snapshot(335);
}

describe("worker lanes", () => {
  it("puts each job on the lane of the thread it ran on, with its run there", () => {
    const lanes = workerLanes(twoJobs());
    expect(lanes.map((l) => l.thread)).toEqual([1, 2]);
    expect(lanes[0]?.jobs[0]).toMatchObject({ start: 20, end: 320, cpuMs: 290 });
  });

  it("states CPU time against the jobs' wall time and the cores", () => {
    const p = parallelism(workerLanes(twoJobs()), 2);
    expect(p).toEqual({ threads: 2, cpuMs: 590, wallMs: 310, cores: 2 });
    expect(parallelismCaption(p as NonNullable<typeof p>)).toBe("workers: CPU 590 ms in 310 ms of wall time (1.9× at once) on 2 threads · 2 cores");
  });

  it("draws two overlapping bars on two lanes in HTML and text", () => {
    const model = twoJobs();
    const html = renderHtml(model);
    expect(html).toContain("worker 1");
    expect(html).toContain("worker 2");
    expect(html).toContain("1.9× at once");
    const lines = renderText(model).split("\n");
    const lane = (n: number) => lines.find((l) => l.startsWith(`worker ${n}`)) ?? "";
    const cols = (l: string) => [l.indexOf("="), l.lastIndexOf("=")];
    const [s1, e1] = cols(lane(1));
    const [s2, e2] = cols(lane(2));
    expect(s1).toBeGreaterThan(0);
    expect(s2).toBeLessThan(e1 as number);
    expect(s1).toBeLessThan(e2 as number);
  });

  it("draws no lanes when no job ran on a worker", () => {
    let t = 0;
    const rec = new TimelineRecorder({ cell: 1, now: () => t });
    const id = rec.taskCreated("timeout", "sleep(10)", { at: 0, delayMs: 10 });
    rec.taskSettled(id, "fulfilled", undefined, 10);
    rec.cellEnded(10);
    t = 10;
    expect(renderText(rec.snapshot(10))).not.toContain("workers:");
  });
});
