// Task timelines through the real kernel: what the display shows for sequential awaits, gathers, a blocked
// loop, a timer that outlives its cell, a rejection, and the session-wide task list.
import { describe, expect, it } from "vitest";
import type { Task, TimelineModel } from "../../src/timeline/model.js";
import { TIMELINE_RENDERER_VERSION } from "../../src/timeline/bundle.js";
import { type Received, kernelBuilt, parentId, plain } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";

const MIME = "application/vnd.tsloop.timeline.v1+json";

function timelineOf(m: Received | undefined): TimelineModel {
  const data = m?.content.data as Record<string, unknown> | undefined;
  const model = data?.[MIME] as TimelineModel | undefined;
  if (!model) throw new Error(`no timeline in ${JSON.stringify(m?.content).slice(0, 300)}`);
  return model;
}

function displayIdOf(m: Received): string {
  return (m.content.transient as { display_id: string }).display_id;
}

describe.runIf(kernelBuilt())("task timelines through the real kernel", () => {
  const session = useKernel("timeline", { env: { TSLOOP_TYPECHECK: "off" } });

  /** The final state of a cell's timeline: the last display or update with its display_id. */
  async function finalTimeline(cell: { outputs: { displays: Received[] } }): Promise<TimelineModel> {
    const kernel = session();
    const shown = cell.outputs.displays.find((d) => MIME in (d.content.data as object));
    if (!shown) throw new Error("the cell showed no timeline");
    const id = displayIdOf(shown);
    const done = (m: Received) => m.header.msg_type === "update_display_data" && displayIdOf(m) === id && (m.content.metadata as { final?: boolean }).final === true;
    const final = kernel.messages.find(done) ?? (await kernel.waitFor(done, 5000).catch(() => undefined));
    return timelineOf(final ?? shown);
  }

  it("draws three sequential 300 ms awaits as a staircase", async () => {
    const kernel = session();
    const r = await kernel.execute("await sleep(300);\nawait sleep(300);\nawait sleep(300);");
    const model = await finalTimeline(r);
    const sleeps = model.tasks.filter((t) => t.label === "sleep(300)");
    expect(sleeps).toHaveLength(3);
    for (let i = 1; i < sleeps.length; i++) {
      const prev = sleeps[i - 1] as Task;
      const cur = sleeps[i] as Task;
      expect(cur.createdAt).toBeGreaterThanOrEqual(prev.settledAt as number);
    }
    expect(sleeps.map((t) => t.awaitedBy?.line)).toEqual([1, 2, 3]);
    expect(model.counters.peakConcurrency).toBe(1);
  });

  it("draws the same three under one Promise.all gather, overlapping", async () => {
    const kernel = session();
    const r = await kernel.execute("await Promise.all([sleep(300), sleep(300), sleep(300)]);");
    const model = await finalTimeline(r);
    const gather = model.tasks.find((t) => t.kind === "all");
    expect(gather?.label).toBe("Promise.all [3]");
    expect(gather?.children).toHaveLength(3);
    const children = model.tasks.filter((t) => gather?.children?.includes(t.id));
    expect(children.every((c) => c.label === "sleep(300)" && c.state === "fulfilled")).toBe(true);
    const latestStart = Math.max(...children.map((c) => c.createdAt));
    const earliestEnd = Math.min(...children.map((c) => c.settledAt as number));
    expect(latestStart).toBeLessThan(earliestEnd);
    expect(model.counters.peakConcurrency).toBeGreaterThanOrEqual(3);
    expect(String((r.outputs.displays[0]?.content.data as Record<string, string>)["text/plain"])).toContain("Promise.all [3]");
  });

  it("marks a 200 ms CPU loop between two timers as blocked and the timer behind it as late", async () => {
    const kernel = session();
    const r = await kernel.execute("setTimeout(() => {}, 10);\nconst t0 = Date.now();\nwhile (Date.now() - t0 < 200) {}\nawait sleep(20);");
    const model = await finalTimeline(r);
    expect(model.blocked.some((b) => b.end - b.start >= 150)).toBe(true);
    const timer = model.tasks.find((t) => t.label === "setTimeout 10ms");
    expect(timer?.lateMs).toBeGreaterThanOrEqual(100);
    expect(model.lateTimers.some((l) => l.taskId === timer?.id)).toBe(true);
  });

  it("shows an un-awaited 2 s timer as pending, then marks it done in place while a later cell runs", async () => {
    const kernel = session();
    const cell1 = await kernel.execute("setTimeout(() => console.log('two seconds later'), 2000);");
    const shown = cell1.outputs.displays.find((d) => MIME in (d.content.data as object));
    expect(shown).toBeDefined();
    const first = timelineOf(shown);
    expect(first.tasks.find((t) => t.label === "setTimeout 2000ms")?.state).toBe("pending");
    const id = displayIdOf(shown as Received);
    const cell2 = kernel.sendExecute("await sleep(2500); 'cell 2'");
    const update = await kernel.waitFor(
      (m) => m.header.msg_type === "update_display_data" && displayIdOf(m) === id && timelineOf(m).tasks.some((t) => t.label === "setTimeout 2000ms" && t.state === "fulfilled"),
      6000,
    );
    expect(parentId(update)).toBe(cell1.request.msg_id);
    const done = await kernel.collect(cell2);
    expect(done.reply.content.status).toBe("ok");
    expect(update.receivedAt).toBeLessThan(done.reply.receivedAt);
  });

  it("marks a rejected task and shows its error", async () => {
    const kernel = session();
    const r = await kernel.execute(
      "async function failing(n: number) { await sleep(20); throw new Error(`bad ${n}`); }\nconst settled = await Promise.allSettled([failing(1), sleep(30)]);",
    );
    const model = await finalTimeline(r);
    const failed = model.tasks.find((t) => t.label === "failing(1)");
    expect(failed?.state).toBe("rejected");
    expect(failed?.error).toContain("bad 1");
    expect(model.tasks.find((t) => t.kind === "allSettled")?.state).toBe("fulfilled");
  });

  it("lists an interval started two cells earlier as live, and cancelling it stops its ticks", async () => {
    const kernel = session();
    await kernel.execute("let beats = 0;\nsetInterval(() => { beats++; }, 30);");
    await kernel.execute("await sleep(100);");
    const listed = await kernel.execute("tsloop.tasks().filter((t) => t.kind === 'interval').map((t) => t.label)");
    expect(plain(listed.outputs.results[0])).toContain("setInterval 30ms");
    const cancelled = await kernel.execute("tsloop.tasks().filter((t) => t.kind === 'interval').map((t) => tsloop.cancel(t)).every(Boolean)");
    expect(plain(cancelled.outputs.results[0])).toBe("true");
    const a = Number(plain((await kernel.execute("await sleep(150); beats")).outputs.results[0]));
    const b = Number(plain((await kernel.execute("await sleep(150); beats")).outputs.results[0]));
    expect(a).toBeGreaterThan(0);
    expect(b).toBe(a);
    expect(plain((await kernel.execute("tsloop.tasks().filter((t) => t.kind === 'interval').length")).outputs.results[0])).toBe("0");
  });

  it("shows no timeline for a cell without asynchronous work, and none when turned off", async () => {
    const kernel = session();
    const quiet = await kernel.execute("1 + 1");
    expect(quiet.outputs.displays).toHaveLength(0);
    const off = await kernel.execute("// @timeline off\nawait sleep(50);");
    expect(off.outputs.displays).toHaveLength(0);
    const forced = await kernel.execute("// @timeline\n2 + 2");
    expect(forced.outputs.displays.some((d) => MIME in (d.content.data as object))).toBe(true);
  });

  it("exports the session's timelines as a Chrome trace", async () => {
    const kernel = session();
    const r = await kernel.execute("await sleep(20);\nconst tracePath = tsloop.exportTrace();\nJSON.parse(require('node:fs').readFileSync(tracePath, 'utf8')).traceEvents.length > 0");
    expect(plain(r.outputs.results[0])).toBe("true");
  });
});

describe.runIf(kernelBuilt())("work on worker threads", () => {
  const session = useKernel("workers");

  it("runs CPU jobs on a pool of threads in parallel, each a worker task on the timeline", async () => {
    const kernel = session();
    const r = await kernel.execute(
      "function spin(ms: number) { const t = Date.now(); while (Date.now() - t < ms) {} return ms; }\nconst t0 = performance.now();\nconst done = await Promise.all([runInWorker(spin, 400), runInWorker(spin, 400)]);\nconst took = Math.round(performance.now() - t0);\n[done, took]",
    );
    expect(r.reply.content.status, JSON.stringify(r.reply.content.evalue)).toBe("ok");
    const [done, took] = JSON.parse(String(plain(r.outputs.results[0])).replace(/ /g, "")) as [number[], number];
    expect(done).toEqual([400, 400]);
    expect(took).toBeLessThan(2000); // two 400 ms jobs on a noisy 2-core machine: parallel, and the loop stays free
    const timeline = r.outputs.displays.find((d) => "application/vnd.tsloop.timeline.v1+json" in (d.content.data as object));
    const model = (timeline?.content.data as Record<string, TimelineModel>)["application/vnd.tsloop.timeline.v1+json"];
    expect(model?.tasks.filter((t) => t.kind === "worker").map((t) => t.label)).toEqual(["spin(400) on a worker", "spin(400) on a worker"]);
  });

  it("reports an error thrown in a worker job in the cell", async () => {
    const kernel = session();
    const r = await kernel.execute("await runInWorker((n: number) => { throw new RangeError(`bad ${n}`); }, 7)");
    expect(r.reply.content.ename).toBe("RangeError");
    expect(r.reply.content.evalue).toBe("bad 7");
  });
});

describe.runIf(kernelBuilt())("warnings on the timeline", () => {
  const session = useKernel("timeline-warnings");

  async function settledTimeline(r: { outputs: { displays: Received[] } }): Promise<{ model: TimelineModel; html: string; text: string }> {
    const kernel = session();
    const shown = r.outputs.displays.find((d) => MIME in (d.content.data as object));
    if (!shown) throw new Error("the cell showed no timeline");
    const id = displayIdOf(shown);
    const done = (m: Received) => m.header.msg_type === "update_display_data" && displayIdOf(m) === id && (m.content.metadata as { final?: boolean }).final === true;
    const final = kernel.messages.find(done) ?? (await kernel.waitFor(done, 5000).catch(() => undefined)) ?? shown;
    const data = final.content.data as Record<string, unknown>;
    return { model: timelineOf(final), html: String(data["text/html"]), text: String(data["text/plain"]) };
  }

  it("counts a lost update in the header and links it to the call's row", async () => {
    const kernel = session();
    const r = await kernel.execute(
      "let counter = 0;\nasync function bump() { const v = counter; await sleep(20); counter = v + 1; }\nawait Promise.all([bump(), bump()]);",
    );
    const { model, html, text } = await settledTimeline(r);
    expect(model.warnings?.map((w) => [w.kind, w.line])).toEqual([["lost-update", 2]]);
    expect(text).toContain("1 warning");
    expect(text).toMatch(/line 2, row bump\(\): /);
    expect(html).toContain("⚠ warning: lost update");
    expect(kernel.violations).toEqual([]);
  });

  it("counts the blocked-loop warning with its line", async () => {
    const kernel = session();
    const r = await kernel.execute("setTimeout(() => {}, 10);\nconst t0 = Date.now();\nwhile (Date.now() - t0 < 200) {}\nawait sleep(20);");
    const { model, text } = await settledTimeline(r);
    expect(model.warnings?.map((w) => w.kind)).toEqual(["blocked"]);
    expect(model.warnings?.[0]?.message).toMatch(/^blocked the event loop for \d+ ms/);
    expect(text).toContain("1 warning");
    expect(kernel.violations).toEqual([]);
  });

  it("counts a forgotten await (type checker on) and links it to the never-awaited call", async () => {
    const kernel = session();
    const r = await kernel.execute("async function later() { await sleep(30); }\nlater();\nawait sleep(60);");
    const { model, text } = await settledTimeline(r);
    expect(model.warnings?.map((w) => [w.kind, w.line])).toEqual([["floating-promise", 2]]);
    expect(text).toMatch(/line 2, row later\(\): the promise of `later\(\)`/);
    expect(kernel.violations).toEqual([]);
  });

  it("stores the renderer version with the model", async () => {
    const kernel = session();
    const { model } = await settledTimeline(await kernel.execute("await sleep(20);"));
    expect(model.renderer).toBe(TIMELINE_RENDERER_VERSION);
    expect(kernel.violations).toEqual([]);
  });
});
