// The interrupt line (src/session/interrupt-line.ts): what a loop guard does for each state of the flag, when the
// I/O end sends a SIGINT, and both ends across real worker threads.
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  InterruptReceiver,
  InterruptSender,
  POOL_GUARD_SOURCE,
  SIGINT_AFTER_MS,
  SLOT,
  createInterruptLine,
} from "../../../src/session/interrupt-line.js";

function line(sigint: () => void = () => undefined) {
  const buffer = createInterruptLine();
  return { buffer, sender: new InterruptSender(buffer, sigint), receiver: new InterruptReceiver(buffer) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a loop guard on the main thread", () => {
  it.each([
    { what: "nothing raised", setUp: () => undefined, action: "none", flagAfter: "lowered" },
    { what: "an interrupt of the current run", setUp: (s: InterruptSender) => void s.raise(), action: "interrupt", flagAfter: "raised" },
    {
      what: "an interrupt already acknowledged (guards keep throwing until the main thread lowers it)",
      setUp: (s: InterruptSender, r: InterruptReceiver) => {
        s.raise();
        r.guard();
      },
      action: "interrupt",
      flagAfter: "raised",
    },
    {
      what: "an interrupt of an earlier run (the next run was sent before anyone took it)",
      setUp: (s: InterruptSender) => {
        s.raise();
        s.nextRun();
      },
      action: "none",
      flagAfter: "lowered",
    },
    {
      what: "an interrupt the main thread lowered",
      setUp: (s: InterruptSender, r: InterruptReceiver) => r.lower(s.raise()),
      action: "none",
      flagAfter: "lowered",
    },
    {
      what: "a sampling request (the lag monitor's beat is old)",
      setUp: (s: InterruptSender, r: InterruptReceiver) => {
        r.watch(true);
        Atomics.store(r.flag, SLOT.BEAT, Atomics.load(r.flag, SLOT.BEAT) - 1_000);
        s.sampleIfStalled();
      },
      action: "sample",
      flagAfter: "lowered",
    },
  ] as const)("$what: $action", ({ setUp, action, flagAfter }) => {
    const { sender, receiver } = line();
    sender.nextRun();
    setUp(sender, receiver);
    expect(receiver.guard()).toBe(action);
    expect(receiver.flag[SLOT.FLAG] === 0 ? "lowered" : "raised").toBe(flagAfter);
  });

  it("is never asked for a sample while the lag monitor is off, or while its beat is fresh", () => {
    const { sender, receiver } = line();
    sender.sampleIfStalled();
    expect(receiver.flag[SLOT.FLAG]).toBe(0);
    receiver.watch(true);
    sender.sampleIfStalled();
    expect(receiver.flag[SLOT.FLAG]).toBe(0);
  });

  it("a sampling request does not overwrite a raised interrupt", () => {
    const { sender, receiver } = line();
    receiver.watch(true);
    Atomics.store(receiver.flag, SLOT.BEAT, Atomics.load(receiver.flag, SLOT.BEAT) - 1_000);
    sender.raise();
    sender.sampleIfStalled();
    expect(receiver.guard()).toBe("interrupt");
  });

  it("the interrupt event of an earlier run does not lower the flag raised for a later one", () => {
    const { sender, receiver } = line();
    const first = sender.nextRun();
    sender.nextRun();
    sender.raise();
    receiver.lower(first);
    expect(receiver.guard()).toBe("interrupt");
  });

  it("numbers runs from 1 and never hands out 0 again when the numbers wrap", () => {
    const { buffer, sender } = line();
    expect([sender.nextRun(), sender.nextRun()]).toEqual([1, 2]);
    Atomics.store(new Int32Array(buffer), SLOT.RUN, 2 ** 29 - 1);
    expect(sender.nextRun()).toBe(1);
  });
});

describe("the SIGINT for unguarded synchronous code", () => {
  /** Raises an interrupt of the current run, lets `during` run on the main thread's side, and counts SIGINTs. */
  function sigintsAfterRaise(during: (receiver: InterruptReceiver, run: number) => void): number {
    vi.useFakeTimers();
    let sent = 0;
    const { sender, receiver } = line(() => sent++);
    const run = sender.nextRun();
    expect(sender.raise()).toBe(run);
    during(receiver, run);
    vi.advanceTimersByTime(10 * SIGINT_AFTER_MS); // only one timer per raise: nothing later is sent
    return sent;
  }

  it.each([
    {
      what: "is sent when no guard took the interrupt within SIGINT_AFTER_MS while the run's script runs",
      during: (r: InterruptReceiver, run: number) => r.inScript(run, () => vi.advanceTimersByTime(SIGINT_AFTER_MS)),
      sent: 1,
    },
    {
      what: "is not sent when the cell only awaits (no script on the stack): the interrupt event stops it",
      during: () => vi.advanceTimersByTime(SIGINT_AFTER_MS),
      sent: 0,
    },
    {
      what: "is not sent when a loop guard acknowledged the interrupt",
      during: (r: InterruptReceiver, run: number) =>
        r.inScript(run, () => {
          expect(r.guard()).toBe("interrupt");
          vi.advanceTimersByTime(SIGINT_AFTER_MS);
        }),
      sent: 0,
    },
    {
      what: "is not sent when the main thread lowered the flag",
      during: (r: InterruptReceiver, run: number) =>
        r.inScript(run, () => {
          r.lower(run);
          vi.advanceTimersByTime(SIGINT_AFTER_MS);
        }),
      sent: 0,
    },
    {
      what: "is not sent into the script of another run",
      during: (r: InterruptReceiver, run: number) => r.inScript(run + 1, () => vi.advanceTimersByTime(SIGINT_AFTER_MS)),
      sent: 0,
    },
    {
      what: "is not sent before SIGINT_AFTER_MS",
      during: (r: InterruptReceiver, run: number) =>
        r.inScript(run, () => {
          vi.advanceTimersByTime(SIGINT_AFTER_MS - 1);
          r.lower(run);
        }),
      sent: 0,
    },
  ])("$what", ({ during, sent }) => {
    expect(sigintsAfterRaise(during)).toBe(sent);
  });

  it("the script mark is taken off when the script throws", () => {
    const { receiver } = line();
    expect(() => receiver.inScript(3, () => { throw new Error("cell failed"); })).toThrow("cell failed");
    expect(receiver.flag[SLOT.SCRIPT]).not.toBe(3);
  });
});

/** A worker thread that spins in a guarded loop with the pool's guard (POOL_GUARD_SOURCE, as runInWorker's threads
 *  do) and reports how each raised flag it saw was judged. */
function spinningWorker(buffer: SharedArrayBuffer): Worker {
  return new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     ${POOL_GUARD_SOURCE}
     const slots = new Int32Array(workerData);
     let ignored = 0;
     parentPort.postMessage("spinning");
     for (;;) {
       if (slots[0] !== 0) {
         if (interruptRaised(slots)) { parentPort.postMessage("interrupted after ignoring " + ignored); break; }
         if (ignored++ === 0) parentPort.postMessage("ignored a raised flag");
       }
     }`,
    { eval: true, workerData: buffer },
  );
}

const next = (worker: Worker) => new Promise<unknown>((resolve, reject) => {
  worker.once("message", resolve);
  worker.once("error", reject);
});

describe("both ends across real threads", () => {
  it("an interrupt raised on this thread stops a guarded loop on another", async () => {
    const { buffer, sender } = line();
    sender.nextRun();
    const worker = spinningWorker(buffer);
    try {
      expect(await next(worker)).toBe("spinning");
      const stopped = next(worker);
      sender.raise();
      expect(await stopped).toBe("interrupted after ignoring 0");
    } finally {
      await worker.terminate();
    }
  });

  it("an interrupt of an earlier run is ignored by the guard; one of the current run stops it", async () => {
    const { buffer, sender } = line();
    sender.nextRun();
    sender.raise(); // nobody takes it…
    sender.nextRun(); // …and the next run is sent
    const worker = spinningWorker(buffer);
    try {
      expect(await next(worker)).toBe("spinning");
      expect(await next(worker)).toBe("ignored a raised flag");
      const stopped = next(worker);
      sender.raise();
      expect(await stopped).toMatch(/^interrupted after ignoring [1-9]\d*$/);
    } finally {
      await worker.terminate();
    }
  });

  it("a sampling request is the main thread's: the pool's guard leaves it alone", async () => {
    const { buffer, sender, receiver } = line();
    sender.nextRun();
    receiver.watch(true);
    Atomics.store(receiver.flag, SLOT.BEAT, Atomics.load(receiver.flag, SLOT.BEAT) - 1_000);
    sender.sampleIfStalled();
    const worker = spinningWorker(buffer);
    try {
      expect(await next(worker)).toBe("spinning");
      expect(await next(worker)).toBe("ignored a raised flag");
      expect(receiver.guard()).toBe("sample"); // still there for the main thread
    } finally {
      await worker.terminate();
    }
  });
});
