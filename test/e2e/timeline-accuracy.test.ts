// Timeline accuracy, part 1: awaits, gathers, blocking and task states. Each cell measures its own story on the
// kernel's clock (performance.now() around its awaits and loops, counters of what ran at once) and prints it; the
// timeline it drew must agree, figure by figure: a bar's start and end within 5 ms or 5 %, busy within 10 %,
// concurrency exact, the saving within 10 % of the measured sequential-vs-gathered difference, 0 where none.
import { describe, expect, it } from "vitest";
import { kernelBuilt } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";
import { Check, PRELUDE, WARM_UP, byLabel, header, runCell } from "./accuracy/harness.js";

const SEMAPHORE = `
class Semaphore {
  private waiting: (() => void)[] = [];
  constructor(private permits: number) {}
  async acquire(): Promise<void> {
    if (this.permits > 0) { this.permits--; return; }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next(); else this.permits++;
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try { return await task(); } finally { this.release(); }
  }
}`;

describe.runIf(kernelBuilt())("timeline accuracy: awaits, gathers, blocking, states", { timeout: 90_000, retry: 1 }, () => {
  const session = useKernel("accuracy", { env: { TSLOOP_TYPECHECK: "off" } });
  const run = async (name: string, code: string, opts?: Parameters<typeof runCell>[3]) => runCell(session(), name, code, opts);

  it("draws no card for the prelude, which starts nothing asynchronous", async () => {
    const d = await run("prelude", PRELUDE);
    expect(d.status).toBe("ok");
    expect(d.displays, "a cell with no asynchronous work drew a timeline").toEqual([]);
    // Warm the paths the cases use, so that first-call compilation on a loaded machine lands in no measured case.
    expect((await run("warm-up", WARM_UP)).status).toBe("ok");
  });

  it("sequential awaits: three bars one after another, peak concurrency 1, nothing saved or blocked", async () => {
    const d = await run("sequential", "const s1 = now(); await sleep(100); const e1 = now();\nawait sleep(100); const e2 = now();\nawait sleep(100); const e3 = now();\ntruth({ s1, e1, e2, e3 });");
    const c = new Check(d);
    const sleeps = byLabel(c.model, "sleep(100)");
    c.exact("number of sleep(100) bars", 3, sleeps.length);
    // Each sleep was made after the cell's previous measurement and at least 100 ms before the next one.
    const marks = [c.num("s1"), c.num("e1"), c.num("e2"), c.num("e3")];
    sleeps.forEach((t, i) => {
      c.between(`sleep #${i + 1} start`, marks[i] as number, (marks[i + 1] as number) - 100, t.createdAt, 100);
      c.time(`sleep #${i + 1} end`, marks[i + 1] as number, t.settledAt, 100);
    });
    const h = header(d.text);
    c.exact("header peak concurrency", 1, h.peak);
    c.exact("header saved", 0, h.savedMs);
    const rel = (t: number) => Math.round(t - c.num("s1"));
    c.exact("blocked stretches (ms from the cell's first statement)", [], c.model.blocked.map((b) => [rel(b.start), rel(b.end), b.taskId ?? "cell"]));
    c.done();
  });

  it("gathered awaits: children overlap under the gather, saving = Σ children − gather wall", async () => {
    const d = await run(
      "gathered",
      "const g0 = now(); const ends: number[] = [];\nconst ps = [sleep(100), sleep(150), sleep(200)]; const gc = now();\nps.forEach((p) => p.then(() => ends.push(now())));\nawait Promise.all(ps); const g1 = now();\ntruth({ g0, gc, g1, ends });",
    );
    const c = new Check(d);
    const gather = c.model.tasks.find((t) => t.kind === "all");
    const g0 = c.num("g0");
    const g1 = c.num("g1");
    const ends = d.truth.ends as number[];
    const gc = c.num("gc");
    c.between("Promise.all start", g0, gc, gather?.createdAt, g1 - g0);
    c.time("Promise.all end", g1, gather?.settledAt, g1 - g0);
    ["sleep(100)", "sleep(150)", "sleep(200)"].forEach((label, i) => {
      const task = byLabel(c.model, label)[0];
      c.between(`${label} start`, g0, gc, task?.createdAt, (ends[i] as number) - g0);
      c.time(`${label} end`, ends[i] as number, task?.settledAt, (ends[i] as number) - g0);
      c.exact(`${label} gathered by the Promise.all`, gather?.id, task?.gatheredBy);
    });
    const saved = ends.reduce((sum, e) => sum + (e - g0), 0) - (g1 - g0);
    const h = header(d.text);
    c.duration("header saved", saved, h.savedMs);
    c.exact("header peak concurrency", 3, h.peak);
    c.done();
  });

  it("Promise.all of three async calls, each awaiting one sleep: peak concurrency 3, not 6", async () => {
    const d = await run(
      "three async calls",
      "async function one(ms: number) { await sleep(ms); return ms; }\nconst a0 = now(); let running = 0, most = 0;\nasync function counted(ms: number) { running++; most = Math.max(most, running); try { return await one(ms); } finally { running--; } }\nawait Promise.all([one(100), one(100), one(100)]); const a1 = now();\ntruth({ a0, a1 });",
    );
    const c = new Check(d);
    const calls = byLabel(c.model, "one(100)");
    c.exact("one(100) bars", 3, calls.length);
    for (const [i, t] of calls.entries()) c.bar(`one(100) #${i + 1}`, t, c.num("a0"), c.num("a1"));
    const h = header(d.text);
    c.exact("header peak concurrency", 3, h.peak);
    c.duration("header saved", 2 * (c.num("a1") - c.num("a0")), h.savedMs);
    c.done();
  });

  it("a gather that fails early: rejected when its first child failed, and no saving claimed", async () => {
    const d = await run(
      "gather failing early",
      'async function load(id: number) { await sleep(100); throw new Error("load " + id + " failed"); }\nconst f0 = now(); let f1 = 0;\ntry { await Promise.all([load(1), sleep(500)]); } catch { f1 = now(); }\ntruth({ f0, f1 });',
    );
    const c = new Check(d);
    const gather = c.model.tasks.find((t) => t.kind === "all");
    c.exact("gather state", "rejected", gather?.state);
    c.bar("Promise.all", gather, c.num("f0"), c.num("f1"));
    c.exact("load(1) state", "rejected", byLabel(c.model, "load(1)")[0]?.state);
    c.exact("header saved", 0, header(d.text).savedMs);
    c.done();
  });

  it("a semaphore of 2 over six 100 ms jobs: peak 2, saving = sequential − gathered, no semaphore internals drawn", async () => {
    const d = await run(
      "semaphore of 2",
      `${SEMAPHORE}
const gate = new Semaphore(2); let inFlight = 0, maxInFlight = 0; const spans: [number, number][] = [];
async function job(i: number) { return gate.run(async () => { inFlight++; maxInFlight = Math.max(maxInFlight, inFlight); const s = now(); await sleep(100); spans.push([s, now()]); inFlight--; return i; }); }
const w0 = now(); await Promise.all([1, 2, 3, 4, 5, 6].map((i) => job(i))); const w1 = now();
const sorted = spans.slice().sort((a, b) => a[0] - b[0]); let union = 0, reach = -Infinity;
for (const [s, e] of sorted) { union += Math.max(0, e - Math.max(s, reach)); reach = Math.max(reach, e); }
truth({ w0, w1, maxInFlight, sequentialMs: spans.reduce((a, [s, e]) => a + e - s, 0), unionMs: union });`,
    );
    const c = new Check(d);
    const h = header(d.text);
    c.exact("header peak concurrency (jobs really running at once)", c.num("maxInFlight"), h.peak);
    // The saving that really happened: the jobs' own time one after another (Σ, as the cell measured each) less the
    // time they covered together (the union of the same spans) — the overlap, not gaps the loaded machine added.
    c.duration("header saved", c.num("sequentialMs") - c.num("unionMs"), h.savedMs);
    const internals = c.model.tasks.filter((t) => /this\.acquire|new Promise|task\(\)/.test(t.label)).map((t) => t.label);
    c.exact("semaphore internals drawn as rows", [], internals);
    c.exact("job rows", 6, c.model.tasks.filter((t) => /^job\(\d\)$/.test(t.label)).length);
    c.done();
  });

  it("sync work before an await is this cell's blocked stretch and busy time", async () => {
    const d = await run("sync before await", "const b0 = now(); spin(120); const b1 = now();\nawait sleep(30);\ntruth({ b0, b1 });");
    const c = new Check(d);
    const spun = c.num("b1") - c.num("b0");
    const stretch = c.model.blocked.find((b) => b.end > c.num("b0") && b.start < c.num("b1"));
    c.time("blocked stretch end", c.num("b1"), stretch?.end, spun);
    c.duration("header busy", spun, header(d.text).busyMs);
    c.done();
  });

  it("sync work after an await (notebook 03's “what blocks”) is drawn in its own cell", async () => {
    const d = await run("sync after await", "await sleep(20);\nconst c0 = now(); spin(200); const c1 = now();\ntruth({ c0, c1 });");
    const c = new Check(d);
    const stretch = c.model.blocked[0];
    c.exact("blocked stretches", 1, c.model.blocked.length);
    c.time("blocked start", c.num("c0"), stretch?.start, 200);
    c.time("blocked end", c.num("c1"), stretch?.end, 200);
    const h = header(d.text);
    c.duration("header busy", c.num("c1") - c.num("c0"), h.busyMs);
    c.duration("header blocked", c.num("c1") - c.num("c0"), h.blockedMs);
    c.done();
  });

  it("many short continuations: busy is their sum, and nothing is called blocked unless a stretch really held 50 ms", async () => {
    const d = await run(
      "short continuations",
      // Each continuation is measured whole, from its first statement to just before its await (the sleep() call
      // included): the header counts all of a continuation's time on the loop, not only its spin.
      "// @timeline\nlet busy = 0; const held: [number, number][] = [];\nlet s = now();\nfor (let i = 0; i < 20; i++) { spin(8); const pause = sleep(5); const e = now(); busy += e - s; if (e - s >= 45) held.push([s, e]); await pause; s = now(); }\nbusy += now() - s;\ntruth({ busy, held });",
    );
    const c = new Check(d);
    c.duration("header busy", c.num("busy"), header(d.text).busyMs);
    // On a loaded machine the OS may stop the process mid-spin: a 8 ms spin that took 60 ms of wall time did hold
    // the loop that long, and the cell saw it too. Every blocked stretch drawn must be one of those.
    const held = d.truth.held as [number, number][];
    const unexplained = c.model.blocked.filter((b) => !held.some(([s, e]) => b.start < e + 5 && b.end > s - 5));
    c.exact("blocked stretches where no spin held the loop ≥ 45 ms", [], unexplained);
    c.done();
  });

  it("sync work after an await inside an async call is charged to that call's task", async () => {
    const d = await run("sync in a task", "async function crunch() { await sleep(10); const s = now(); spin(120); truth({ cs: s, ce: now() }); }\nawait Promise.all([crunch(), sleep(200)]);");
    const c = new Check(d);
    const crunch = byLabel(c.model, "crunch()")[0];
    const stretch = c.model.blocked[0];
    c.exact("blocked stretch's task", crunch?.id, stretch?.taskId);
    c.time("blocked start", c.num("cs"), stretch?.start, 120);
    c.time("blocked end", c.num("ce"), stretch?.end, 120);
    c.duration("crunch() busy", c.num("ce") - c.num("cs"), crunch?.busyMs);
    c.done();
  });

  it("a blocked loop with a late timer: the stretch, the timer's lateness and the header count", async () => {
    const d = await run("blocked loop, late timer", "let fired = 0;\nconst k0 = now(); setTimeout(() => { fired = now(); }, 10); spin(200); const k1 = now();\nawait sleep(20);\ntruth({ k0, k1, fired });");
    const c = new Check(d);
    const timer = byLabel(c.model, "setTimeout 10ms")[0];
    c.time("timer fired at", c.num("fired"), timer?.startedAt);
    c.time("timer lateness", c.num("fired") - ((timer?.createdAt ?? 0) + 10), timer?.lateMs);
    const stretch = c.model.blocked.find((b) => b.end > c.num("k0"));
    // the synchronous part ends after k1 (at the await) and before the late timer could fire
    c.between("blocked end", c.num("k1"), c.num("fired"), stretch?.end, 200);
    c.exact("header late timers", 1, header(d.text).lateTimers);
    c.done();
  });

  it("a storm of tiny continuations that holds the loop is this cell's blocked time", async () => {
    const d = await run("microtask storm", "let late = 0; const due = now() + 5; setTimeout(() => { late = now() - due; }, 5);\nconst m0 = now(); for (let i = 0; i < 3000; i++) { await null; spin(0.1); } const m1 = now();\nawait sleep(10);\ntruth({ m0, m1, late });");
    const c = new Check(d);
    const held = c.num("m1") - c.num("m0");
    c.duration("header busy", held, header(d.text).busyMs);
    c.duration("model main-thread busy", held, c.model.counters.mainBusyMs);
    c.that("a blocked stretch within the storm", c.model.blocked.some((b) => b.start < c.num("m1") && b.end > c.num("m0")), `held ${Math.round(held)} ms`, c.model.blocked);
    c.time("timer lateness", c.num("late"), byLabel(c.model, "setTimeout 5ms")[0]?.lateMs, held);
    c.done();
  });

  it("an interval that clears itself ends normally (fulfilled), not cancelled", async () => {
    const d = await run("self-clearing interval", "let n = 0; let i1 = 0;\nawait new Promise<void>((resolve) => { const t = setInterval(() => { if (++n === 3) { clearInterval(t); i1 = now(); resolve(); } }, 20); });\ntruth({ i1, n });");
    const c = new Check(d);
    const interval = byLabel(c.model, "setInterval 20ms")[0];
    c.exact("interval state", "fulfilled", interval?.state);
    c.time("interval end", c.num("i1"), interval?.settledAt);
    c.done();
  });

  it("a promise handled with .then is not “never awaited”", async () => {
    const d = await run("then-handled", "async function later(v: number) { await sleep(50); return v; }\nconst h0 = now(); later(1).then((v) => truth({ v, h0, h1: now() }));\nawait sleep(100);");
    const c = new Check(d);
    const task = byLabel(c.model, "later(1)")[0];
    c.exact("later(1) flags", {}, task?.flags);
    c.bar("later(1)", task, c.num("h0"), c.num("h1"));
    c.done();
  });

  it("a rejection handled with .catch is rejected, but neither unhandled nor “never awaited”", async () => {
    const d = await run("catch-handled", 'async function boom() { await sleep(30); throw new Error("boom"); }\nboom().catch((e) => truth({ caught: String(e.message), at: now() }));\nawait sleep(60);');
    const c = new Check(d);
    const task = byLabel(c.model, "boom()")[0];
    c.exact("boom() state", "rejected", task?.state);
    c.exact("boom() flags", {}, task?.flags);
    c.time("boom() end", c.num("at"), task?.settledAt);
    c.done();
  });

  it("a truly floating promise is “never awaited”; a floating rejection is also unhandled", async () => {
    const d = await run(
      "floating",
      'async function floating() { await sleep(30); return 2; }\nasync function failsLater() { await sleep(30); throw new Error("nobody catches this"); }\nfloating(); failsLater();\nawait sleep(80); truth({ ok: true });',
    );
    const c = new Check(d);
    c.exact("floating() never awaited", true, byLabel(c.model, "floating()")[0]?.flags.neverAwaited);
    const fails = byLabel(c.model, "failsLater()")[0];
    c.exact("failsLater() flags", { neverAwaited: true, unhandled: true }, { neverAwaited: fails?.flags.neverAwaited, unhandled: fails?.flags.unhandled });
    c.done();
  });

  it("the live timeline is redrawn to now while a long await is pending", async () => {
    const d = await run("live redraw", "await sleep(1500);");
    const c = new Check(d);
    const before = d.updates.filter((u) => (u.content.metadata as { final?: boolean }).final !== true);
    const walls = before.map((u) => header(String((u.content.data as Record<string, unknown>)["text/plain"])).wallMs ?? 0);
    // 1.2 s between the first drawing (at 0.3 s) and the end, at 4 redraws a second
    c.that("redraws while pending (≥ 3)", before.length >= 3, "≥ 3", before.length);
    c.that("the wall grows with each redraw", walls.every((w, i) => i === 0 || w > (walls[i - 1] as number)), "increasing", walls);
    c.done();
  });

  it("the live timeline keeps redrawing after the cell's code ended, while its timer is pending", async () => {
    const d = await run("redraw after the cell ended", "setTimeout(() => truth({ fired: now() }), 1200);\ntruth({ ended: now() });");
    const c = new Check(d);
    const snaps = d.updates.map((u) => (u.content.data as Record<string, { snapshotAt: number }>)["application/vnd.tsloop.timeline.v1+json"]?.snapshotAt ?? 0);
    const between = snaps.filter((t) => t > c.num("ended") + 100 && t < c.num("fired"));
    c.that("redraws between the cell's end and the timer (≥ 2)", between.length >= 2, "≥ 2", between.length);
    c.done();
  });

  it("saw no protocol violation", () => {
    expect(session().violations).toEqual([]);
  });
});
