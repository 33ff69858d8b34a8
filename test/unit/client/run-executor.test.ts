// The notebook executor against a scripted fake kernel: late output lands in the cell that started it (also
// during the grace period), a failing cell stops the run unless errors are allowed, and --timeout interrupts a
// cell — or kills a kernel that ignores the interrupt.
import { afterEach, describe, expect, it } from "vitest";
import { KernelClient } from "../../../src/client/client.js";
import type { KernelProcess } from "../../../src/client/kernel-process.js";
import { type ExecutorOptions, NotebookExecutor } from "../../../src/cli/run-executor.js";
import { type Notebook, parseNotebook } from "../../../src/cli/run-notebook.js";
import { OutputRecorder } from "../../../src/cli/run-outputs.js";
import { TIMELINE_MIME, TerminalReport } from "../../../src/cli/run-terminal.js";
import type { Header, Message } from "../../../src/protocol/messages.js";
import { FakeKernel, type Handler, fakeProcess, gate } from "./fake-kernel.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function notebook(...sources: string[]): Notebook {
  const cells = [{ cell_type: "markdown", source: "# title", metadata: {} }, ...sources.map((source) => ({ cell_type: "code", source, metadata: {} }))];
  const parsed = parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.notebook;
}

/** What the executor printed so far, and a wait for text to appear in it (the executor having handled a message). */
class Printed {
  text = "";
  private waiters: { needle: string; resolve: () => void }[] = [];
  write(chunk: string): void {
    this.text += chunk;
    this.waiters = this.waiters.filter((w) => (this.text.includes(w.needle) ? (w.resolve(), false) : true));
  }
  until(needle: string): Promise<void> {
    if (this.text.includes(needle)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ needle, resolve }));
  }
}

/** A kernel whose execute handler is chosen per cell source. */
async function run(
  nb: Notebook,
  onExecute: Handler,
  options: Partial<ExecutorOptions> = {},
  extra: Record<string, Handler> = {},
  proc?: KernelProcess,
  out = new Printed(),
) {
  const kernel = await FakeKernel.start({ execute_request: onExecute, ...extra });
  cleanups.push(() => kernel.close());
  const client = new KernelClient(kernel.connection, proc ? { kernel: proc } : {});
  cleanups.push(() => client.close());
  await client.waitForReady({ retryMs: 100 });
  const report = new TerminalReport({ write: (t) => out.write(t), color: false, quiet: false });
  const executor = new NotebookExecutor(client, new OutputRecorder(), report, { timeoutMs: undefined, graceMs: 0, allowErrors: false, ...options });
  const outcome = await executor.run(nb);
  return { outcome, printed: out.text, kernel };
}

let count = 0;
const ok = (k: FakeKernel, m: Message) => k.reply(m, "execute_reply", { status: "ok", execution_count: ++count, user_expressions: {}, payload: [] });
const print = (k: FakeKernel, parent: Header, text: string) => k.publish(parent, "stream", { name: "stdout", text });
const code = (m: Message) => String(m.content.code);
const texts = (nb: Notebook) => nb.cells.filter((c) => c.cell_type === "code").map((c) => (c.outputs ?? []).map((o) => ("text" in o ? o.text : o.output_type)).join(""));

describe("NotebookExecutor", () => {
  it("puts late output into the cell whose request it names, also while later cells run", async () => {
    let first: Header | undefined;
    const nb = notebook("start timer", "second");
    const { outcome, printed } = await run(nb, (m, k) =>
      k.bracket(m, async () => {
        if (code(m) === "start timer") first = m.header;
        else if (first) await print(k, first, "late from 1\n"); // arrives while cell 2 runs
        await print(k, m.header, `${code(m)} output\n`);
        await ok(k, m);
      }),
    );
    expect(outcome.cells.map((c) => c.status)).toEqual(["ok", "ok"]);
    expect(texts(nb)).toEqual(["start timer output\nlate from 1\n", "second output\n"]);
    expect(printed).toContain("── late output from cell 2 ──\nlate from 1\n");
    expect(nb.cells[1]?.execution_count).toBeTypeOf("number");
  });

  it("waits for late output after the last cell while it keeps arriving, up to the grace period", async () => {
    const nb = notebook("last");
    const out = new Printed();
    const { outcome } = await run(
      nb,
      async (m, k) => {
        await k.bracket(m, () => ok(k, m));
        await out.until("waiting up to"); // the executor is settling: every tick from here on is late output
        for (const i of [1, 2, 3]) {
          await print(k, m.header, `tick ${i}\n`);
          await out.until(`tick ${i}\n`); // the next tick only once the executor handled this one and waits on
        }
      },
      { graceMs: 10_000, quietMs: 1_000 },
      {},
      undefined,
      out,
    );
    expect(texts(nb)).toEqual(["tick 1\ntick 2\ntick 3\n"]);
    expect(outcome.lateStillArriving).toBe(false);
  });

  it("keeps waiting, up to the grace period, while a cell's task timeline shows pending work, even when quiet", async () => {
    const timeline = (final: boolean) => ({ data: { [TIMELINE_MIME]: {}, "text/plain": "cell [1]" }, metadata: final ? { final: true } : {}, transient: { display_id: "tl-1" } });
    const nb = notebook("setTimeout(…, 600)");
    const out = new Printed();
    const { outcome } = await run(
      nb,
      async (m, k) => {
        await k.bracket(m, async () => {
          await k.publish(m.header, "display_data", timeline(false));
          await ok(k, m);
        });
        // The executor is settling with no quiet window at all: only the pending timeline keeps it waiting.
        await out.until("waiting up to");
        await print(k, m.header, "finally\n");
        await k.publish(m.header, "update_display_data", timeline(true));
      },
      { graceMs: 10_000, quietMs: 0 },
      {},
      undefined,
      out,
    );
    expect(texts(nb)).toEqual(["display_datafinally\n"]);
    expect(outcome).toMatchObject({ lateStillArriving: false, pendingCells: [] });
  });

  it("reports the cells whose timelines were still pending when the grace period ended", async () => {
    const nb = notebook("setInterval(…)");
    const { outcome } = await run(
      nb,
      (m, k) =>
        k.bracket(m, async () => {
          await k.publish(m.header, "display_data", { data: { [TIMELINE_MIME]: {} }, metadata: {}, transient: { display_id: "tl-2" } });
          await ok(k, m);
        }),
      { graceMs: 200 },
    );
    expect(outcome.pendingCells).toEqual([2]);
  });

  it("stops at the first failing cell, leaving later cells unrun and empty", async () => {
    const nb = notebook("fine", "boom", "never");
    const { outcome, printed } = await run(nb, (m, k) =>
      k.bracket(m, async () => {
        if (code(m) !== "boom") return ok(k, m);
        const error = { ename: "TypeError", evalue: "x is not a function", traceback: ["TypeError: x is not a function", "    at cell 2"] };
        await k.publish(m.header, "error", error);
        await k.reply(m, "execute_reply", { status: "error", execution_count: ++count, ...error });
      }),
    );
    expect(outcome.cells.map((c) => c.status)).toEqual(["ok", "error"]);
    expect(outcome).toMatchObject({ stopped: true, skipped: 1 });
    expect(outcome.cells[1]).toMatchObject({ ename: "TypeError", evalue: "x is not a function", label: { cellNumber: 3 } });
    expect(printed).toContain("TypeError: x is not a function\n    at cell 2\n[2/3] cell 3 error");
    expect(nb.cells[3]).toMatchObject({ outputs: [], execution_count: null });
  });

  it("with allowErrors runs on after a failing cell and sends stop_on_error false", async () => {
    const nb = notebook("boom", "after");
    const seen: unknown[] = [];
    const { outcome } = await run(
      nb,
      (m, k) =>
        k.bracket(m, async () => {
          seen.push(m.content.stop_on_error);
          if (code(m) === "boom") await k.reply(m, "execute_reply", { status: "error", execution_count: ++count, ename: "E", evalue: "", traceback: [] });
          else await ok(k, m);
        }),
      { allowErrors: true },
    );
    expect(outcome.cells.map((c) => c.status)).toEqual(["error", "ok"]);
    expect(outcome.stopped).toBe(false);
    expect(seen).toEqual([false, false]);
  });

  it("interrupts a cell that runs past the timeout and reports a timeout", async () => {
    const interrupted = gate();
    const nb = notebook("while (true) {}", "next");
    const { outcome, printed } = await run(
      nb,
      (m, k) =>
        k.bracket(m, async () => {
          if (code(m) === "next") return ok(k, m);
          await interrupted.promise;
          const error = { ename: "Interrupted", evalue: "the kernel was interrupted", traceback: ["Interrupted: the kernel was interrupted"] };
          await k.publish(m.header, "error", error);
          await k.reply(m, "execute_reply", { status: "error", execution_count: ++count, ...error });
        }),
      { timeoutMs: 100 },
      { interrupt_request: (m, k) => (interrupted.open(), k.reply(m, "interrupt_reply", { status: "ok" })) },
    );
    expect(outcome.cells.map((c) => c.status)).toEqual(["timeout"]);
    expect(outcome.cells[0]).toMatchObject({ ename: "CellTimeoutError" });
    expect(outcome.stopped).toBe(true);
    expect(texts(nb)[0]).toBe("error");
    expect(printed).toMatch(/cell 2 ran longer than 100 ms \(--timeout\); interrupting the kernel\n── cell 2 ──\nInterrupted: the kernel was interrupted\n\[1\/2\] cell 2 timed out/);
  });

  it("kills a kernel that does not stop the cell after the interrupt, and records why", async () => {
    const proc = fakeProcess("");
    const nb = notebook("while (true) {}", "next");
    const { outcome } = await run(nb, (m, k) => k.status(m, "busy"), { timeoutMs: 50, interruptWaitMs: 50 }, {}, proc);
    expect(proc.killed).toEqual(["SIGKILL"]);
    expect(outcome.cells.map((c) => c.status)).toEqual(["timeout"]);
    expect(outcome).toMatchObject({ stopped: true, skipped: 1 });
    expect(nb.cells[1]?.outputs?.[0]).toMatchObject({ output_type: "error", ename: "CellTimeoutError" });
  });

  it("skips blank code cells", async () => {
    const nb = notebook("  \n", "x");
    const { outcome } = await run(nb, (m, k) => k.bracket(m, () => ok(k, m)));
    expect(outcome.cells.map((c) => c.label)).toEqual([{ position: 1, total: 1, cellNumber: 3 }]);
  });
});
