// A debugger pause is timed in the I/O worker and drawn on the main thread's timeline. `performance.now()` counts
// from `performance.timeOrigin`, which Node 24 shares between a process's threads (browsers' workers have their
// own); the pause travels on the wall clock (`timeOrigin + now()`) so that it does not matter, and `fromWallClock`
// brings it back to this thread's timeline clock.
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { fromWallClock, now } from "../../../src/runtime/tracing/cell-trace";

describe("the wall clock between threads", () => {
  it("brings a worker thread's wall-clock time to this thread's timeline clock", async () => {
    const worker = new Worker(
      "const { parentPort } = require('node:worker_threads'); parentPort.on('message', () => parentPort.postMessage([performance.timeOrigin + performance.now(), performance.now()]));",
      { eval: true },
    );
    try {
      await once(worker, "online");
      const before = now();
      worker.postMessage("now?");
      const [[wall]] = (await once(worker, "message")) as [[number, number]];
      const after = now();
      const converted = fromWallClock(wall);
      expect(converted).toBeGreaterThanOrEqual(before - 1);
      expect(converted).toBeLessThanOrEqual(after + 1);
    } finally {
      await worker.terminate();
    }
  });
});
