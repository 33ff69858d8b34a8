// Timeline accuracy, part 2: work across cells, I/O, worker threads, interrupts and deadlocks. As in part 1, each
// cell measures its own story on the kernel's clock and the timeline must agree with it (see accuracy/harness.ts).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kernelBuilt } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";
import { Check, PRELUDE, WARM_UP, blockedMs, byLabel, header, laterDrawing, runCell, runInterrupted, takeTruth } from "./accuracy/harness.js";

const SERVER = `
import { createServer } from "node:http";
const server = createServer((req, res) => { setTimeout(() => res.end("ok " + req.url), 60); });
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
const base = "http://127.0.0.1:" + (server.address() as { port: number }).port;`;

const BURN = `
function burn(ms: number) {
  const { readFileSync } = require("node:fs");
  const cpu = () => { try { return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]) / 1e6; } catch { return NaN; } };
  const c0 = cpu(); const s = performance.timeOrigin + performance.now(); const end = performance.now() + ms; let n = 0;
  while (performance.now() < end) n++;
  return { s, e: performance.timeOrigin + performance.now(), cpu: cpu() - c0 };
}`;

describe.runIf(kernelBuilt())("timeline accuracy: across cells, I/O, workers, interrupts, deadlocks", { timeout: 90_000, retry: 1 }, () => {
  const session = useKernel("accuracy-io", {
    env: { TSLOOP_TYPECHECK: "off" },
    prepare: (dir) => writeFileSync(join(dir, "heavy.ts"), `export const answer: number = ${Array.from({ length: 400 }, (_, i) => `(${i} * 0)`).join(" + ")} + 42;\n`),
  });
  const run = async (name: string, code: string, opts?: Parameters<typeof runCell>[3]) => runCell(session(), name, code, opts);

  it("sets up helpers and a local HTTP server without drawing internals", async () => {
    expect((await run("prelude", PRELUDE)).status).toBe("ok");
    expect((await run("warm-up", WARM_UP)).status).toBe("ok");
    const d = await run("server", SERVER);
    expect(d.status).toBe("ok");
  });

  it("a first local .ts import starts nothing asynchronous: no card", async () => {
    const d = await run("local import", 'import { answer } from "./heavy.ts";\nanswer');
    expect(d.status, d.stderr).toBe("ok");
    expect(d.displays, "a timeline card for a cell with no asynchronous work").toEqual([]);
  });

  it("one fetch is one io row spanning the request; undici's timers neither drawn nor stretching the wall", async () => {
    const d = await run("one fetch", 'const r0 = now(); const res = await fetch(base + "/one"); const r1 = now();\nconst body = await res.text();\ntruth({ r0, r1, body, end: now() });');
    const c = new Check(d);
    const rows = c.model.tasks.filter((t) => t.kind === "io");
    c.exact("io rows", 1, rows.length);
    c.bar("fetch", rows[0], c.num("r0"), c.num("r1"));
    c.exact("timer rows (library internals)", [], c.model.tasks.filter((t) => t.kind === "timeout" || t.kind === "immediate").map((t) => t.label));
    const wall = c.num("end") - c.model.startedAt;
    const drawnWall = header(d.text).wallMs ?? NaN;
    c.that("header wall not stretched past the cell's work", drawnWall <= wall + Math.max(5, 0.05 * wall), `≤ ${Math.round(wall)}`, drawnWall);
    c.done();
  });

  it("five fetches at once: five io rows under the Promise.all, peak 5, the gather spanning them", async () => {
    const d = await run(
      "five fetches",
      'const f0 = now();\nconst bodies = await Promise.all([1, 2, 3, 4, 5].map((i) => fetch(base + "/f" + i).then((r) => r.text())));\nconst f1 = now();\ntruth({ f0, f1, n: bodies.length, end: now() });',
    );
    const c = new Check(d);
    const gather = c.model.tasks.find((t) => t.kind === "all");
    const rows = c.model.tasks.filter((t) => t.kind === "io");
    c.exact("io rows", 5, rows.length);
    c.exact("io rows gathered by the Promise.all", rows.map(() => gather?.id), rows.map((t) => t.gatheredBy));
    c.bar("Promise.all", gather, c.num("f0"), c.num("f1"));
    c.exact("header peak concurrency", 5, header(d.text).peak);
    c.exact("timer rows (library internals)", [], c.model.tasks.filter((t) => t.kind === "timeout" || t.kind === "immediate").map((t) => t.label));
    const wall = c.num("end") - c.model.startedAt;
    const drawnWall = header(d.text).wallMs ?? NaN;
    c.that("header wall not stretched past the cell's work", drawnWall <= wall + Math.max(5, 0.05 * wall), `≤ ${Math.round(wall)}`, drawnWall);
    c.done();
  });

  it("closes the server (a listening server would keep a deadlock from being one)", async () => {
    expect((await run("close server", "server.closeAllConnections(); server.close();")).status).toBe("ok");
  });

  it("two worker jobs run at once on two threads: one lane each, their runs and CPU time as measured", async () => {
    const d = await run(
      "workers on two threads",
      `${BURN}\nconst w0 = now();\nconst jobs = [runInWorker(burn, 300), runInWorker(burn, 300)]; const ws = now();\nconst [j1, j2] = await Promise.all(jobs);\nconst o = performance.timeOrigin;\ntruth({ w0, ws, w1: now(), j1s: j1.s - o, j1e: j1.e - o, j1c: j1.cpu, j2s: j2.s - o, j2e: j2.e - o, j2c: j2.cpu });`,
    );
    const c = new Check(d);
    const jobs = c.model.tasks.filter((t) => t.kind === "worker");
    c.exact("worker rows", 2, jobs.length);
    c.that("two different threads", jobs.length === 2 && jobs[0]?.thread !== undefined && jobs[0]?.thread !== jobs[1]?.thread, "two lanes", jobs.map((j) => j.thread));
    for (const [i, job] of jobs.entries()) {
      const k = `j${i + 1}`;
      const span = c.num(`${k}e`) - c.num(`${k}s`);
      c.time(`job ${i + 1} start on its thread`, c.num(`${k}s`), job.threadRun?.[0], span);
      c.time(`job ${i + 1} end on its thread`, c.num(`${k}e`), job.threadRun?.[1], span);
      if (Number.isFinite(d.truth[`${k}c`])) c.duration(`job ${i + 1} CPU time`, c.num(`${k}c`), job.cpuMs);
    }
    c.that("the model knows the core count", (c.model.cores ?? 0) >= 1, "≥ 1", c.model.cores);
    // The jobs' CPU time is not the main thread's: it only handed them over (ws − w0, spawning the threads the
    // first time) and took the results back. On a loaded machine those small pieces stretch, so the bound is half
    // of one job — far below the 600 ms the two jobs ran.
    const busy = header(d.text).busyMs ?? NaN;
    const oneJob = c.num("j1e") - c.num("j1s");
    c.that("main thread busy far below the workers' time", busy < (c.num("ws") - c.num("w0")) + oneJob / 2, `< hand-over ${Math.round(c.num("ws") - c.num("w0"))} + ${Math.round(oneJob / 2)} ms`, busy);
    c.done();
  });

  it("sync work after an await in cell B is B's, not that of cell A whose interval is live (What was seen #1)", async () => {
    const a = await run("cell A: interval", "const tick = setInterval(() => {}, 10);", { settle: false });
    const b = await run("cell B: spin after await", "await sleep(20);\nconst d0 = now(); spin(300); const d1 = now();\ntruth({ d0, d1 });");
    const cb = new Check(b);
    cb.duration("B header busy", cb.num("d1") - cb.num("d0"), header(b.text).busyMs);
    const stretch = cb.model.blocked[0];
    cb.time("B blocked start", cb.num("d0"), stretch?.start, 300);
    cb.time("B blocked end", cb.num("d1"), stretch?.end, 300);
    expect((await run("cell C: clear", "clearInterval(tick);")).status).toBe("ok");
    const finalA = await laterDrawing(session(), a, (_m, final) => final);
    const ca = new Check(finalA);
    ca.exact("A blocked stretches (A's code never held the loop)", [], ca.model.blocked);
    ca.exact("A header blocked", 0, header(finalA.text).blockedMs);
    cb.done();
    ca.done();
  });

  it("a timer of cell A that spins during cell B's await is A's blocked time, not B's", async () => {
    const a = await run("cell A: spinning timer", "setTimeout(() => { const t0 = now(); spin(150); truth({ t0, t1: now() }); }, 100);", { settle: false });
    const b = await run("cell B: waits", "await sleep(400);\ntruth({ waited: true });");
    const finalA = await laterDrawing(session(), a, (_m, final) => final);
    const ca = new Check({ ...finalA, truth: { ...b.truth, ...(await takeTruth(session())) } });
    const timer = byLabel(ca.model, "setTimeout 100ms")[0];
    const stretch = ca.model.blocked[0];
    ca.exact("A blocked stretch's task (the timer)", timer?.id, stretch?.taskId);
    ca.time("A blocked start", ca.num("t0"), stretch?.start, 150);
    ca.time("A blocked end", ca.num("t1"), stretch?.end, 150);
    const cb = new Check(b);
    cb.exact("B blocked (B's code never held the loop)", 0, blockedMs(cb.model));
    cb.that("B busy small", (header(b.text).busyMs ?? 0) < 30, "< 30 ms", header(b.text).busyMs);
    ca.done();
    cb.done();
  });

  it("a deadlocked cell claims no saving, and later cells' pbkdf2Sync never shows on it", async () => {
    const d = await run("deadlocked gather", "await Promise.all([sleep(50), new Promise(() => {})]);", { settle: false });
    expect(d.ename).toBe("Deadlock");
    const p = await run("pbkdf2Sync", 'const p0 = now(); require("node:crypto").pbkdf2Sync("pw", "salt", 300000, 32, "sha256"); const p1 = now();\ntruth({ p0, p1 });');
    const cp = new Check(p);
    expect(p.displays, "a card for a cell with no asynchronous work").toEqual([]);
    const after = await laterDrawing(session(), d, (m) => m.snapshotAt > cp.num("p1"));
    const c = new Check(after);
    c.exact("deadlocked cell's blocked stretches", [], c.model.blocked);
    c.exact("deadlocked cell's header saved", 0, header(after.text).savedMs);
    c.done();
  });

  it("an interrupted pending await: the wall is the time until the interrupt, not the timer's 60 s", async () => {
    const d = await runInterrupted(session(), "interrupted sleep(60_000)", "await sleep(60_000);");
    expect(d.ename).toBe("Interrupted");
    const next = await run("after the interrupt", "truth({ at: now() });");
    const c = new Check(d);
    const upTo = new Check(next).num("at") - c.model.startedAt;
    const wall = header(d.text).wallMs ?? NaN;
    c.that("header wall ≤ the time until the next cell ran", wall <= upTo + 5, `≤ ${Math.round(upTo)}`, wall);
    c.that("header wall is not the timer's 60 s", wall < 10_000, "< 10 s", wall);
    c.done();
  });

  it("saw no protocol violation", () => {
    expect(session().violations).toEqual([]);
  });
});

describe.runIf(kernelBuilt())("timeline accuracy: the header's warnings, with the type checker on", { timeout: 90_000, retry: 1 }, () => {
  const session = useKernel("accuracy-warnings");

  it("counts the warnings the cell produced: a forgotten await and a blocked loop", async () => {
    const d = await runCell(
      session(),
      "warnings count",
      "async function f(): Promise<void> { await sleep(10); }\nf();\nsetTimeout(() => {}, 5);\nconst end = performance.now() + 150; while (performance.now() < end) {}\nawait sleep(20);\n(globalThis as any).__truth = { warnings: 2 };",
    );
    const c = new Check(d);
    c.exact("header warnings", c.num("warnings"), header(d.text).warnings);
    c.done();
    expect(session().violations).toEqual([]);
  });
});
