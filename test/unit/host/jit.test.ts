// After start-up the kernel turns V8's Maglev off (src/host/jit.ts), unless TSLOOP_MAGLEV=on.
import { describe, expect, it } from "vitest";
import { settleJit } from "../../../src/host/jit.js";

describe("settling the JIT after start-up", () => {
  it.each(["on", "1", "true", "YES"])("keeps Maglev with TSLOOP_MAGLEV=%s", (value) => {
    expect(settleJit({ TSLOOP_MAGLEV: value })).toBe(false);
  });

  it("turns it off otherwise (a process-wide V8 flag; harmless in this test process)", () => {
    expect(settleJit({})).toBe(true);
  });
});
