// Load: millions of printed lines, one 100 MB string, thousands of timers and intervals, a long session. The
// kernel's resident memory (VmRSS, sampled while it works) stays bounded, the client gets a sane number of
// messages, output past the per-cell cap is cut with a visible notice, and the next cell runs.
import { afterAll, describe, expect } from "vitest";
import * as zmq from "zeromq";
import { STREAM_CAP_BYTES } from "../../src/runtime/output.js";
import { decode } from "../../src/wire/frames.js";
import { Signer } from "../../src/wire/signing.js";
import { type KernelClient, LAUNCHER, kernelBuilt, plain } from "../helpers/kernel-client.js";
import { liveHeapGrowth, parseTraceGc } from "./support/gc-trace.js";
import { Kernels } from "./support/kernels.js";
import { scale } from "./support/mode.js";
import { MiB, rssKiB, sampleRss, until } from "./support/proc.js";
import { Report, keyNeverAppears } from "./support/report.js";

const report = new Report("load", "Load");
const kernels = new Kernels();
afterAll(() => kernels.closeAll(), 60_000);

const LINES = scale(1_000_000, 10_000_000);
const CELLS = scale(300, 1_000);
const FLOOD = scale(20_000, 50_000);
/** Peak RSS above the kernel's idle RSS that a flood of output may cost. */
const OUTPUT_RSS_BOUND_MIB = 600;
const CAP_MIB = STREAM_CAP_BYTES / 1024 / 1024;

const streamsOf = (k: KernelClient, msgId: string) => k.iopubFor(msgId).filter((m) => m.header.msg_type === "stream");
const stdoutOf = (k: KernelClient, msgId: string) =>
  streamsOf(k, msgId)
    .filter((m) => m.content.name === "stdout")
    .map((m) => String(m.content.text));

describe.runIf(kernelBuilt() || process.env.CI)("load", () => {
  report.case(
    `a cell printing ${LINES.toLocaleString("en-US")} short lines: bounded memory, coalesced messages, nothing lost below the cap, the next cell runs`,
    `${LINES.toLocaleString("en-US")} lines`,
    async (c) => {
      const k = await kernels.start({ env: { TSLOOP_TYPECHECK: "off" } });
      const pid = k.child.pid as number;
      const idle = rssKiB(pid) ?? 0;
      const rss = sampleRss(pid);
      const t0 = performance.now();
      const cell = await k.execute(`for (let i = 0; i < ${LINES}; i++) console.log(i);`, { timeoutMs: scale(120_000, 900_000) });
      const ms = performance.now() - t0;
      const { peakKiB } = rss.stop();
      expect(cell.reply.content.status).toBe("ok");
      const chunks = stdoutOf(k, cell.request.msg_id);
      const text = chunks.join("");
      const expectedBytes = Array.from({ length: 10 }, (_, d) => Math.max(0, Math.min(LINES, 10 ** (d + 1)) - (d === 0 ? 0 : 10 ** d)) * (d + 2)).reduce((a, b) => a + b, 0);
      if (expectedBytes <= STREAM_CAP_BYTES) {
        // Every line arrived, in order.
        expect(text.length).toBe(expectedBytes);
        expect(text.startsWith("0\n1\n2\n")).toBe(true);
        expect(text.endsWith(`\n${LINES - 1}\n`)).toBe(true);
      } else {
        expect(text.length).toBe(STREAM_CAP_BYTES);
        expect(cell.outputs.stderr).toMatch(/output truncated: \d+ characters past the \d+ MiB per-cell limit were dropped/);
      }
      // Coalesced: at least ~1,000 lines per message on average.
      expect(chunks.length).toBeLessThan(LINES / 1_000 + 10);
      expect(MiB(peakKiB - idle)).toBeLessThan(OUTPUT_RSS_BOUND_MIB);
      expect(plain((await k.execute("6 * 7")).outputs.results[0])).toBe("42");
      c.figure("took", Math.round(ms), "ms");
      c.figure("stdout messages", chunks.length);
      c.figure("bytes received", text.length);
      c.figure("expected bytes", expectedBytes);
      c.figure("RSS idle / peak", `${MiB(idle)} / ${MiB(peakKiB)} MiB`);
      await kernels.shutdown(k);
    },
    scale(180_000, 1_200_000),
  );

  report.case(
    `a cell printing one 100 MB string: cut at the ${CAP_MIB} MiB cap with a notice, bounded memory, the next cell runs`,
    "1 string of 100 MiB",
    async (c) => {
      const k = await kernels.start({ env: { TSLOOP_TYPECHECK: "off" } });
      const pid = k.child.pid as number;
      const idle = rssKiB(pid) ?? 0;
      const rss = sampleRss(pid);
      const t0 = performance.now();
      const cell = await k.execute('console.log("x".repeat(100 * 1024 * 1024));', { timeoutMs: 120_000 });
      const ms = performance.now() - t0;
      const { peakKiB } = rss.stop();
      expect(cell.reply.content.status).toBe("ok");
      const chunks = stdoutOf(k, cell.request.msg_id);
      const received = chunks.reduce((n, t) => n + t.length, 0);
      expect(received).toBe(STREAM_CAP_BYTES);
      expect(cell.outputs.stderr).toMatch(new RegExp(`output truncated: ${100 * 1024 * 1024 + 1 - STREAM_CAP_BYTES} characters past the ${CAP_MIB} MiB per-cell limit were dropped`));
      expect(MiB(peakKiB - idle)).toBeLessThan(OUTPUT_RSS_BOUND_MIB);
      const after = rssKiB(pid) ?? 0;
      expect(plain((await k.execute("6 * 7")).outputs.results[0])).toBe("42");
      c.figure("took", Math.round(ms), "ms");
      c.figure("stdout messages", chunks.length);
      c.figure("characters received", received);
      c.figure("RSS idle / peak / after", `${MiB(idle)} / ${MiB(peakKiB)} / ${MiB(after)} MiB`);
      await kernels.shutdown(k);
    },
    180_000,
  );

  report.case(
    "10,000 concurrent timers and 1,000 concurrent intervals from one cell, cleared from a later cell: the ticks stop",
    "10,000 timers, 1,000 intervals",
    async (c) => {
      const k = await kernels.start();
      const pid = k.child.pid as number;
      const start = await k.execute(
        [
          "const load = { fired: 0, ticks: 0 };",
          "const timers = Array.from({ length: 10_000 }, (_, i) => setTimeout(() => { load.fired++; }, 60_000 + i));",
          "const quick = Array.from({ length: 10_000 }, () => setTimeout(() => { load.fired++; }, 5));",
          "const intervals = Array.from({ length: 1_000 }, (_, i) => setInterval(() => { load.ticks++; }, 1 + (i % 20)));",
        ].join("\n"),
      );
      expect(start.reply.content.status).toBe("ok");
      const t0 = performance.now();
      // While they tick, the kernel answers: cells run, heartbeats and control are prompt.
      const during = await k.execute("await sleep(500); [load.fired, load.ticks]");
      expect(during.reply.content.status).toBe("ok");
      const heartbeat = await k.heartbeat();
      const control = await k.request("control", "kernel_info_request");
      expect(control.content.status).toBe("ok");
      const rssTicking = rssKiB(pid);
      const cleared = await k.execute("timers.forEach(clearTimeout); intervals.forEach(clearInterval); const stoppedAt = load.ticks; [load.fired, stoppedAt]");
      expect(cleared.reply.content.status).toBe("ok");
      const [firedAtClear, ticksAtClear] = JSON.parse(plain(cleared.outputs.results[0]) ?? "[]") as [number, number];
      expect(firedAtClear).toBe(10_000); // the quick ones all fired, the long ones had not
      expect(ticksAtClear).toBeGreaterThan(1_000);
      const later = await k.execute("await sleep(300); [load.fired, load.ticks - stoppedAt]");
      expect(plain(later.outputs.results[0])).toBe("[ 10000, 0 ]");
      c.figure("ticks before clearing", ticksAtClear);
      c.figure("ticks after clearing", 0);
      c.figure("heartbeat while ticking", Math.round(heartbeat), "ms");
      c.figure("kernel_info on control while ticking", Math.round(control.receivedAt - t0 - 0), "ms after start");
      c.figure("RSS while ticking", MiB(rssTicking), "MiB");
      await kernels.shutdown(k);
    },
    90_000,
  );

  report.case(
    `a flood of ${FLOOD.toLocaleString("en-US")} iopub messages while a second subscriber stops reading: it loses none, idle included`,
    `${FLOOD.toLocaleString("en-US")} messages`,
    async (c) => {
      const k = await kernels.start({ env: { TSLOOP_TYPECHECK: "off" } });
      const inbound = new Signer(k.info.signature_scheme, k.info.key);
      const slow = new zmq.Subscriber({ linger: 0 });
      slow.connect(`tcp://127.0.0.1:${k.info.iopub_port}`);
      slow.subscribe();
      // One receive at a time (zeromq.js refuses a second): a receive that outlived its wait is reused.
      let pending: Promise<Buffer[]> | undefined;
      const receiveWithin = async (ms: number): Promise<Buffer[] | undefined> => {
        if (!pending) {
          pending = slow.receive();
          pending.catch(() => undefined); // rejected when the socket closes
        }
        const got = await Promise.race([pending, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms))]);
        if (got) pending = undefined;
        return got;
      };
      try {
        // The subscription is live once a message parented to our request reaches the slow subscriber.
        for (let tries = 0; ; tries++) {
          expect(tries, "the second subscriber never received anything").toBeLessThan(40);
          k.send("shell", "kernel_info_request");
          if (await receiveWithin(500)) break;
        }
        // It stops reading; the flood goes out (one display_data per call: displays are never coalesced, unlike
        // stream text, and unlike background errors, which are capped per cell); the normal client takes all of it.
        const cell = await k.execute(`// @timeline off\nfor (let i = 0; i < ${FLOOD}; i++) display(i);`);
        await until(() => k.iopubFor(cell.request.msg_id).filter((m) => m.header.msg_type === "display_data").length >= FLOOD, 120_000, "the flood at the normal client", 100);
        const next = await k.execute("1;");
        // Now it reads what was queued for it.
        let errors = 0;
        let idle = false;
        const t0 = performance.now();
        while (!idle) {
          const frames = await receiveWithin(10_000);
          if (!frames) break;
          const decoded = decode(frames, "iopub", inbound);
          if (!decoded.ok) continue;
          const parent = (decoded.message.parent_header as { msg_id?: string }).msg_id;
          if (parent === cell.request.msg_id && decoded.message.header.msg_type === "display_data") errors++;
          if (parent === next.request.msg_id && decoded.message.content.execution_state === "idle") idle = true;
        }
        c.figure("displays the slow subscriber got", errors);
        c.figure("read back in", Math.round(performance.now() - t0), "ms");
        expect(errors).toBe(FLOOD);
        expect(idle, "the idle after the flood").toBe(true);
      } finally {
        slow.close();
        await kernels.shutdown(k);
      }
    },
    180_000,
  );

  /** Figures of the long session, for the RSS case that follows it. */
  let session: { warmRss: number; endRss: number; liveGrowth: number } | undefined;

  report.case(
    `a ${CELLS.toLocaleString("en-US")}-cell session: live memory (V8 heaps of every thread, after full collections where it ran any) grows less than 50 MB after warm-up`,
    `${CELLS.toLocaleString("en-US")} cells`,
    async (c) => {
      const k = await kernels.start({ command: [process.execPath, "--trace-gc", "--expose-gc", LAUNCHER, "kernel"] });
      const pid = k.child.pid as number;
      const WARM = 30;
      const latencies: number[] = [];
      let warmRss = 0;
      let warmAt = 0;
      const marks: string[] = [];
      const collect = async () => expect((await k.execute("// @ts-nocheck\nglobalThis.gc();", { storeHistory: false })).reply.content.status).toBe("ok");
      for (let i = 0; i < CELLS; i++) {
        // A notebook's mix: new declarations, re-run ones, output, results, an error now and then.
        const code =
          i % 25 === 24
            ? `throw new Error("cell ${i} fails on purpose");`
            : i % 5 === 0
              ? `const shared = ${i}; console.log("shared is", shared);`
              : `const v${i}: number = ${i} * 2;\nconsole.log("cell", ${i});\n({ cell: ${i}, v: v${i} })`;
        const t0 = performance.now();
        const r = await k.execute(code, { stopOnError: false, timeoutMs: 60_000 });
        latencies.push(performance.now() - t0);
        expect(r.reply.content.status).toBe(i % 25 === 24 ? "error" : "ok");
        if (i + 1 === WARM) {
          warmAt = k.stdout.length;
          await collect();
          warmRss = rssKiB(pid) ?? 0;
        }
        if ((i + 1) % 100 === 0) marks.push(`${i + 1}: ${MiB(rssKiB(pid))}`);
      }
      await collect();
      const endRss = rssKiB(pid) ?? 0;
      const live = liveHeapGrowth(parseTraceGc(k.stdout), warmAt);
      const liveGrowth = Math.round((live.endMB - live.baselineMB) * 10) / 10;
      session = { warmRss, endRss, liveGrowth };
      const sorted = [...latencies].sort((a, b) => a - b);
      c.figure(`live heap after warm-up (${WARM} cells) / at the end`, `${live.baselineMB} / ${live.endMB} MB over ${live.isolates} threads`);
      c.figure("live heap growth", liveGrowth, "MB");
      c.figure("RSS after warm-up / at the end", `${MiB(warmRss)} / ${MiB(endRss)} MiB`);
      c.figure("RSS every 100 cells (MiB)", marks.join(", "));
      c.figure("cell round trip median / p95 / max", `${Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0)} / ${Math.round(sorted[Math.floor(sorted.length * 0.95)] ?? 0)} / ${Math.round(sorted.at(-1) ?? 0)} ms`);
      expect(live.isolates).toBeGreaterThanOrEqual(2);
      expect(liveGrowth).toBeLessThan(50);
      expect(MiB(endRss)).toBeLessThan(1_024);
      await kernels.shutdown(k);
    },
    scale(300_000, 1_200_000),
  );

  // Was a known bug (RSS rose ~240 MB over the first 300 cells), fixed by the heap limits on the worker threads: this
  // case measured 17–24 MiB over 300 cells (Maglev on or off). Over 1,000 cells (the long mode), Maglev's compile zones
  // add a second ~30 MB step at ~400 cells; src/host/jit.ts turns Maglev off after start-up for that (issue 17).
  report.case(
    `the same session: RSS grows less than 50 MB after warm-up`,
    "the session above",
    async (c) => {
      if (!session) throw new Error("the session case did not run");
      const growth = MiB(session.endRss - session.warmRss);
      c.figure("RSS growth", growth, "MiB");
      c.figure("live heap growth", session.liveGrowth, "MB");
      expect(growth).toBeLessThan(50);
    },
    10_000,
  );

  keyNeverAppears(report, kernels);
});
