// One kernel under measurement, driven through tsloop's own client (dist/client): start with timestamps (spawn,
// first kernel_info_reply, ready), cells timed from execute_request sent to `status: idle`, interrupts in the
// kernel's own mode (interrupt_request or SIGINT), RSS from /proc. Every wait is bounded; a kernel that does not
// answer in time is killed by whoever catches the BenchTimeout.
import { createRequire } from "node:module";
import { rssTreeKiB } from "./proc.mjs";

const require = createRequire(import.meta.url);
const client = require("../../dist/client/index.js");
const { KernelClient, launchKernel } = client;

export class BenchTimeout extends Error {
  name = "BenchTimeout";
}

/** Resolves with `promise` or rejects with BenchTimeout after `ms`; the loser's rejection is swallowed. */
export function bounded(promise, ms, what) {
  promise.catch(() => undefined);
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new BenchTimeout(`no ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Session {
  /** performance.now() just before the spawn, at the first kernel_info_reply, and when ready. */
  t0 = 0;
  infoAt;
  readyAt;

  constructor(spec, kernel, kernelClient) {
    this.spec = spec;
    this.kernel = kernel;
    this.client = kernelClient;
    // which request got the last execute_reply: tells a lost idle from a kernel that never finished
    this.client.onMessage((m) => {
      if (m.header.msg_type === "execute_reply") this.lastReplyTo = m.parent_header?.msg_id;
    });
  }

  /** Spawns the kernel and waits until it is ready (kernel_info_reply plus an iopub message, as jupyter_client does). */
  static async start(spec, { cwd, timeoutMs = 60_000 }) {
    const t0 = performance.now();
    const kernel = await launchKernel({ argv: spec.argv, cwd: spec.cwd ?? cwd, env: spec.env ?? {} });
    const session = new Session(spec, kernel, new KernelClient(kernel.connection, { kernel }));
    session.t0 = t0;
    const first = session.client.onMessage((m) => {
      if (session.infoAt === undefined && m.header.msg_type === "kernel_info_reply") session.infoAt = performance.now();
    });
    try {
      // Ask again every 50 ms: a 500 ms retry would hide start-up differences below its granularity.
      await session.client.waitForReady({ retryMs: 50, timeoutMs });
      session.readyAt = performance.now();
      return session;
    } catch (err) {
      await session.kill();
      throw new Error(`${spec.name} did not get ready: ${err.message}`);
    } finally {
      first.close();
    }
  }

  get pid() {
    return this.kernel.pid;
  }

  get alive() {
    return this.kernel.exitInfo === undefined;
  }

  /**
   * Runs one cell. Resolves with timestamps (sentAt, resultAt: first execute_result, display_data or stream; idleAt),
   * `ms` (sent → idle), the reply, the result's text/plain, the stdout/stderr line count, and how many output
   * messages came after the idle (within `waitForValueMs`, `graceMs`, or until output was quiet for `quietMs`).
   * Rejects with BenchTimeout when the idle does not come in time (the kernel is left as it is).
   */
  async run(code, { timeoutMs = 30_000, stopOnError = true, countLines = false, waitForValueMs = 0, graceMs = 0, quietMs = 0, onIopub } = {}) {
    let valueSeen;
    const value = new Promise((resolve) => (valueSeen = resolve));
    const timing = { sentAt: performance.now(), resultAt: undefined, idleAt: undefined, lines: 0, resultText: undefined, error: undefined, afterIdle: 0 };
    const execution = this.client.execute(code, {
      stopOnError,
      keepListening: true,
      onIopub: (m) => {
        timing.msgId ??= m.parent_header?.msg_id;
        const type = m.header.msg_type;
        if (type === "status" && m.content.execution_state === "idle") timing.idleAt ??= performance.now();
        else if (type === "execute_result" || type === "display_data" || type === "stream") {
          timing.resultAt ??= performance.now();
          valueSeen();
          if (timing.idleAt !== undefined) timing.afterIdle++;
          if (type === "execute_result") timing.resultText ??= m.content.data?.["text/plain"];
          if (type === "stream") {
            timing.lastOutputAt = performance.now();
            if (countLines && timing.idleAt === undefined) timing.lines += countNewlines(m.content.text);
            else if (countLines) timing.linesAfterIdle = (timing.linesAfterIdle ?? 0) + countNewlines(m.content.text);
            // tslab shows a cell's value as stdout, not as an execute_result
            else timing.streamText = (timing.streamText ?? "") + m.content.text;
          }
        } else if (type === "error") timing.error ??= `${m.content.ename}: ${m.content.evalue}`;
        onIopub?.(m, timing);
      },
    });
    timing.sentAt = performance.now();
    let result;
    try {
      result = await bounded(execution, timeoutMs, `idle for ${JSON.stringify(code.slice(0, 40))}`);
    } catch (err) {
      err.timing = timing; // what arrived before the bound (lines delivered so far)
      if (err instanceof BenchTimeout) {
        const replied = timing.msgId !== undefined && this.lastReplyTo === timing.msgId;
        err.message += replied ? " (its execute_reply came: the idle was lost)" : timing.msgId === undefined ? " (no message for it at all)" : " (no execute_reply either)";
      }
      throw err;
    }
    timing.reply = result.reply;
    timing.ms = timing.idleAt - timing.sentAt;
    // Deno publishes a cell's execute_result after its idle: wait a little for the value when the caller needs it.
    if (waitForValueMs > 0 && timing.resultAt === undefined) await bounded(value, waitForValueMs, "value").catch(() => undefined);
    if (graceMs > 0) await sleep(graceMs);
    // Some kernels go idle before their output is out: keep listening until the output has been quiet for quietMs.
    const deadline = timing.sentAt + timeoutMs;
    while (quietMs > 0 && performance.now() < deadline) {
      const quietFor = performance.now() - (timing.lastOutputAt ?? timing.idleAt);
      if (quietFor >= quietMs) break;
      await sleep(Math.min(quietMs - quietFor, deadline - performance.now()));
    }
    result.subscription?.close();
    return timing;
  }

  /** The cell's value as text, whether it came as execute_result or (tslab) as stdout. */
  static valueText(timing) {
    const raw = timing.resultText ?? timing.streamText ?? "";
    // eslint-disable-next-line no-control-regex
    return String(raw).replace(/\x1b\[[0-9;]*m/g, "").trim();
  }

  /** Interrupts in the kernel's declared mode: interrupt_request on control, or SIGINT to the process. */
  async interrupt(timeoutMs) {
    if (this.spec.interrupt === "message") {
      await this.client.interrupt(timeoutMs);
    } else if (this.kernel.pid !== undefined) {
      process.kill(this.kernel.pid, "SIGINT");
    }
  }

  /** A shell request (complete_request, …) with its round trip in ms. */
  async request(msgType, content, timeoutMs = 30_000) {
    const t = performance.now();
    const reply = await this.client.request("shell", msgType, content, { timeoutMs });
    return { reply, ms: performance.now() - t };
  }

  /** Resident set size in KiB (VmRSS) of the kernel process and every process below it, or undefined once it exited. */
  rssKiB() {
    if (this.kernel.exitInfo !== undefined) return undefined;
    return rssTreeKiB(this.kernel.pid);
  }

  /** Polite shutdown (shutdown_request, then SIGKILL after the bound). Never rejects. */
  async stop(timeoutMs = 3_000) {
    await this.client.shutdown(timeoutMs).catch(() => undefined);
  }

  /** SIGKILL and close: for a kernel that stopped answering. */
  async kill() {
    await this.kernel.kill("SIGKILL").catch(() => undefined);
    await this.client.close().catch(() => undefined);
  }
}

function countNewlines(text) {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
