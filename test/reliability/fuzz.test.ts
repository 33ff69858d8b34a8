// Fuzz: thousands of malformed and hostile messages on shell and control. The kernel must survive, log one
// clear line per message it drops or ignores, answer every odd but valid request, run none of the forged
// code, and answer the next valid request.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect } from "vitest";
import type { Header } from "../../src/protocol/messages.js";
import { globMatch } from "../../src/kernel/history.js";
import { kernelBuilt, plain } from "../helpers/kernel-client.js";
import { FORGED_FILE, FORGED_GLOBAL, type Fuzzed, Fuzzer, VALID_GLOBAL } from "./support/fuzz.js";
import { Kernels } from "./support/kernels.js";
import { scale } from "./support/mode.js";
import { MiB, rssKiB, sampleRss, until } from "./support/proc.js";
import { Report, keyNeverAppears } from "./support/report.js";

const MESSAGES = scale(10_000, 50_000);
const HUGE_FRAMES = scale(3, 10);
const HUGE_BYTES = 50 * 1024 * 1024;
const SEED = Number(process.env.TSLOOP_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

const report = new Report("fuzz", "Fuzz: malformed and hostile messages");
const kernels = new Kernels();
afterAll(() => kernels.closeAll(), 60_000);

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;
const DROPPED = /dropped a message on (shell|control)/g;
const UNKNOWN = /unknown message type .* on (shell|control); ignored/g;
/** How many lines the kernel's log reported it gave up on because stderr stayed full (src/wire/log.ts). */
const logLinesGivenUp = (text: string) => [...text.matchAll(/(\d+) earlier log line\(s\) were dropped: stderr was not being read/g)].reduce((sum, m) => sum + Number(m[1]), 0);
const OVERSIZED = /a client was disconnected and reconnected at once; ZeroMQ does this to a client that sends a frame larger than 1 MiB/g;

describe.runIf(kernelBuilt() || process.env.CI)("fuzz", () => {
  report.case(
    `${MESSAGES.toLocaleString("en-US")} malformed messages on shell and control, ${HUGE_FRAMES} of them with a 50 MB frame`,
    `${MESSAGES.toLocaleString("en-US")} messages, seed ${SEED}`,
    async (c) => {
      const kernel = await kernels.start();
      const fuzzer = new Fuzzer(SEED, kernel.info.key, kernel.session);
      const pid = kernel.child.pid as number;
      const rssBefore = rssKiB(pid);
      const rss = sampleRss(pid);
      const categories = new Map<string, number>();
      const expected = { drop: 0, unknown: 0, validExecutes: 0 };
      const replies: string[] = [];
      const quiet: string[] = [];
      const hugeAt = new Set(Array.from({ length: HUGE_FRAMES }, (_, i) => Math.floor(((i + 1) * MESSAGES) / (HUGE_FRAMES + 1))));
      const t0 = performance.now();
      for (let i = 0; i < MESSAGES; i++) {
        const m: Fuzzed = hugeAt.has(i) ? fuzzer.huge(HUGE_BYTES) : fuzzer.next();
        categories.set(m.category, (categories.get(m.category) ?? 0) + 1);
        if (m.header) kernel.sent.set(m.header.msg_id, m.header);
        if (m.expect.kind === "drop") expected.drop++;
        else if (m.expect.kind === "unknown") expected.unknown++;
        else if (m.expect.kind === "reply") replies.push((m.header as Header).msg_id);
        else quiet.push((m.header as Header).msg_id);
        if (m.countsAsValidExecute) expected.validExecutes++;
        await kernel.sendRaw(m.channel, m.frames);
      }
      const sentMs = performance.now() - t0;
      // Everything answered: a reply per request, busy/idle per comm message, one log line per dropped or unknown message.
      for (const id of replies) await kernel.reply(id, 60_000);
      for (const id of quiet) await kernel.idle(id, 60_000);
      // The kernel's log gives up on a line after stderr stayed full for a second (a starved reader: this process,
      // signing 50 MB frames on a loaded machine) and reports how many it gave up on with its next line. So one
      // last message to drop brings that report, and every expected line is either seen or counted in a report.
      await kernel.sendRaw("shell", [Buffer.from("the fuzz's last message: one frame, no delimiter")]);
      expected.drop++;
      const missing = () => Math.max(0, expected.drop - count(kernel.stderr, DROPPED)) + Math.max(0, expected.unknown - count(kernel.stderr, UNKNOWN));
      await until(
        () => missing() <= logLinesGivenUp(kernel.stderr),
        30_000,
        () =>
          `${expected.drop} "dropped a message" lines (seen ${count(kernel.stderr, DROPPED)}) and ${expected.unknown} "unknown message type" lines (seen ${count(kernel.stderr, UNKNOWN)}); ${logLinesGivenUp(kernel.stderr)} reported as not written; sent in ${Math.round(sentMs)} ms; replies done at ${Math.round(performance.now() - t0)} ms`,
        100,
      );
      const processedMs = performance.now() - t0;
      const peak = rss.stop().peakKiB;

      // The next valid requests are answered, and only the correctly signed executes ran — each exactly once.
      const tCheck = performance.now();
      const check = await kernel.execute(`[(globalThis as any).${VALID_GLOBAL} ?? 0, typeof (globalThis as any).${FORGED_GLOBAL}]`);
      expect(check.reply.content.status).toBe("ok");
      const checkMs = performance.now() - tCheck;
      expect(plain(check.outputs.results[0])).toBe(`[ ${expected.validExecutes}, 'undefined' ]`);
      expect(existsSync(join(kernel.dir, FORGED_FILE)), "a forged execute_request wrote its file").toBe(false);
      expect((await kernel.request("control", "kernel_info_request")).content.status).toBe("ok");
      expect(await kernel.heartbeat()).toBeLessThan(1_000);

      // No more lines than messages (none logged twice), and each missing one given up on by the log, not lost.
      expect(count(kernel.stderr, DROPPED)).toBeLessThanOrEqual(expected.drop);
      expect(count(kernel.stderr, UNKNOWN)).toBeLessThanOrEqual(expected.unknown);
      expect(missing()).toBeLessThanOrEqual(logLinesGivenUp(kernel.stderr));
      c.figure("log lines given up on (stderr not read for 1 s)", logLinesGivenUp(kernel.stderr));
      expect(kernel.violations).toEqual([]);
      expect(kernel.hasExited).toBe(false);

      c.figure("sent in", Math.round(sentMs), "ms");
      c.figure("all handled in", Math.round(processedMs), "ms");
      c.figure("dropped with a log line", expected.drop);
      c.figure("unknown types logged", expected.unknown);
      c.figure("odd requests answered", replies.length);
      c.figure("comm messages bracketed", quiet.length);
      c.figure("signed executes run once each", expected.validExecutes);
      c.figure("forged executes run", 0);
      c.figure("RSS before / peak / after", `${MiB(rssBefore)} / ${MiB(peak)} / ${MiB(rssKiB(pid))} MiB`);
      c.figure("categories", [...categories].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", "));
      c.figure("next execute answered in", Math.round(checkMs), "ms");
      const tShutdown = performance.now();
      await kernels.shutdown(kernel);
      expect((await kernel.exited).code).toBe(0);
      c.figure("clean shutdown in", Math.round(performance.now() - tShutdown), "ms");
    },
    scale(150_000, 900_000),
  );

  report.case(
    "a frame over the size limit (TSLOOP_MAX_MESSAGE_MB=1) cuts the client off with a warning; it reconnects and is answered",
    "3 oversized frames (2 MiB), each channel",
    async (c) => {
      const kernel = await kernels.start({ env: { TSLOOP_MAX_MESSAGE_MB: "1" } });
      for (const channel of ["shell", "control", "shell"] as const) {
        const warnings = count(kernel.stderr, OVERSIZED);
        const big = kernel.build("execute_request", {
          code: `(globalThis as any).${FORGED_GLOBAL} = 1; /* ${"x".repeat(2 * 1024 * 1024)} */`,
          silent: false,
          store_history: true,
          user_expressions: {},
          allow_stdin: false,
          stop_on_error: true,
        });
        kernel.sent.set(big.header.msg_id, big.header);
        await kernel.sendRaw(channel, big.frames);
        await until(() => count(kernel.stderr, OVERSIZED) > warnings, 10_000, `a warning about the frame sent on ${channel}`);
        expect((await kernel.request(channel, "kernel_info_request")).content.status).toBe("ok");
      }
      const check = await kernel.execute(`typeof (globalThis as any).${FORGED_GLOBAL}`);
      expect(plain(check.outputs.results[0])).toBe("'undefined'");
      expect(kernel.violations).toEqual([]);
      c.figure("warning", /(shell|control): a client was disconnected and reconnected at once[^\n]*/.exec(kernel.stderr)?.[0] ?? "");
      await kernels.shutdown(kernel);
    },
    60_000,
  );

  report.case(
    "a correctly signed request with a 50 MB frame is answered under the default limit (256 MiB)",
    "1 request",
    async (c) => {
      const kernel = await kernels.start();
      const { header, frames } = kernel.build("kernel_info_request", {}, { metadata: { padding: "x".repeat(HUGE_BYTES) } });
      kernel.sent.set(header.msg_id, header);
      const t0 = performance.now();
      await kernel.sendRaw("shell", frames);
      expect((await kernel.reply(header.msg_id, 30_000)).content.status).toBe("ok");
      c.figure("answered in", Math.round(performance.now() - t0), "ms");
      await kernels.shutdown(kernel);
    },
    60_000,
  );

  report.case(
    "history_request search with a backtracking pattern (*a*a*…*b) is answered at once; heartbeats go on",
    "3 patterns",
    async (c) => {
      const kernel = await kernels.start();
      await kernel.execute(`const aaa = "${"a".repeat(60)}";`);
      for (const pattern of ["*a".repeat(25) + "*b", "*a".repeat(25), "?".repeat(70)]) {
        const t0 = performance.now();
        const heartbeat = kernel.heartbeat(5_000);
        const reply = await kernel.request("shell", "history_request", { hist_access_type: "search", pattern, output: false, raw: true }, 5_000);
        expect(reply.content.status).toBe("ok");
        expect(await heartbeat).toBeLessThan(5_000);
        c.figure(`${pattern.slice(0, 8)}… answered in`, Math.round(performance.now() - t0), "ms");
      }
      // The glob semantics are kept: whole-source match, * and ? over any characters including newlines.
      const table: [string, string, boolean][] = [
        ["*", "", true],
        ["a?c", "abc", true],
        ["a?c", "ac", false],
        ["x = *", "x = 1\ny = 2", true],
        ["?", "😀", true],
        ["a.b", "axb", false],
        ["[a]", "[a]", true],
        ["*a".repeat(30) + "*b", "a".repeat(5_000), false],
      ];
      for (const [pattern, text, want] of table) expect(globMatch(pattern, text), `${pattern.slice(0, 20)} against ${text.slice(0, 20)}`).toBe(want);
      await kernels.shutdown(kernel);
    },
    60_000,
  );

  keyNeverAppears(report, kernels);
});
