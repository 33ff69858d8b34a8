// The continuation clock with the real tracer, recorder and cell context: promise continuations are charged to the
// cell whose code ran them — one segment per microtask drain and owner, the hook off in a loop of awaits and back
// for the next drain. Each cell measures its own truth (performance.now() around what it did).
import { afterAll, describe, expect, it } from "vitest";
import { cellStorage, type CellContext } from "../../../src/runtime/context.js";
import type { OutputSink } from "../../../src/runtime/output.js";
import type { Header } from "../../../src/protocol/messages.js";
import { Tracer } from "../../../src/runtime/tracing/tracer.js";
import type { CellTrace } from "../../../src/runtime/tracing/cell-trace.js";
import { InterruptReceiver, createInterruptLine } from "../../../src/session/interrupt-line.js";
import type { CellDirectives } from "../../../src/session/plan.js";

const output = { publish: () => undefined, stream: () => undefined, endCell: () => undefined } as unknown as OutputSink;
const noDirectives: CellDirectives = { noCheck: false, check: false, timeline: undefined, warnings: true };
const tracer = new Tracer(output, new InterruptReceiver(createInterruptLine()));
let count = 0;

function cell(): { trace: CellTrace; run: <T>(fn: () => Promise<T>) => Promise<T> } {
  const n = ++count;
  const parent = { msg_id: `m${n}`, session: "s", username: "u", date: "", msg_type: "execute_request", version: "5.3" } as Header;
  const trace = tracer.startCell(n, parent, noDirectives, undefined) as CellTrace;
  const ctx: CellContext = { parent, executionCount: n, fileName: `cell-${n}.ts`, allowStdin: false, abort: new AbortController(), trace };
  // As the runtime does: the cell's code ended when its promise settled.
  const ended = () => tracer.cellCodeEnded(trace);
  return { trace, run: (fn) => cellStorage.run(ctx, fn).finally(ended) };
}

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

const busy = (trace: CellTrace): number => trace.recorder.snapshot(performance.now()).counters.mainBusyMs ?? 0;
const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

afterAll(() => tracer.clock.disable());

describe("continuation clock", () => {
  it("charges a loop of 20,000 awaits (one drain, the hook off after 64) to its cell: busy is the loop's time", async () => {
    const a = cell();
    const held = await a.run(async () => {
      const t0 = performance.now();
      for (let i = 0; i < 20_000; i++) {
        await null;
        if (i % 1000 === 0) spin(1);
      }
      return performance.now() - t0;
    });
    a.trace.cellEnded();
    expect(busy(a.trace)).toBeGreaterThan(0.9 * held);
    expect(busy(a.trace)).toBeLessThan(1.1 * held + 5);
  });

  it("charges each of two cells whose continuations interleave in one drain its own work", async () => {
    const [a, b] = [cell(), cell()];
    const work = (ms: number) => async () => {
      let own = 0;
      for (let i = 0; i < 30; i++) {
        await null;
        const s = performance.now();
        spin(ms);
        own += performance.now() - s;
      }
      return own;
    };
    const [ownA, ownB] = await Promise.all([a.run(work(1)), b.run(work(3))]);
    a.trace.cellEnded();
    b.trace.cellEnded();
    for (const [trace, own] of [[a.trace, ownA], [b.trace, ownB]] as const) {
      expect(busy(trace)).toBeGreaterThan(0.9 * own);
      expect(busy(trace)).toBeLessThan(1.15 * own + 5);
    }
  });

  it("looks continuations up again in the drain after a loop of awaits turned the hook off", async () => {
    const [a, b] = [cell(), cell()];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const waiting = b.run(async () => {
      await gate;
      const s = performance.now();
      spin(30);
      return performance.now() - s;
    });
    await a.run(async () => {
      for (let i = 0; i < 1000; i++) await null;
    });
    await nextMacrotask(); // a's drain is over: its segment is charged
    const aBefore = busy(a.trace);
    release(); // b's continuation runs in this later drain
    const ownB = await waiting;
    a.trace.cellEnded();
    b.trace.cellEnded();
    expect(busy(b.trace)).toBeGreaterThan(0.9 * ownB);
    expect(busy(a.trace) - aBefore).toBeLessThan(5);
  });
});
