// Interrupting a cell while the type checker is still on it (the first check builds the program: a second or more)
// answers at once: the reply does not wait for the check, the cell does not run, and the session goes on.
import { describe, expect, it } from "vitest";
import { kernelBuilt, parentId, plain } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";

// ~100,000 template-literal types: seconds of checking, then a cell that would leave a mark if it ran.
const SLOW_TO_CHECK = [
  "type D = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;",
  "type N4 = `${D}${D}${D}${D}`;",
  "type Pairs = { [K in N4]: { [J in D]: `${K}-${J}` } }[N4];",
  "const pair = '0000-1' as Pairs;",
  "(globalThis as { ran?: boolean }).ran = true;",
].join("\n");

describe.runIf(kernelBuilt())("an interrupt during the type check", () => {
  const session = useKernel("interrupt-check");

  it("answers before the check ends, runs nothing, and the next cell runs", { timeout: 120_000 }, async () => {
    const kernel = session();
    const cell = kernel.sendExecute(SLOW_TO_CHECK);
    await kernel.waitFor((m) => m.header.msg_type === "execute_input" && parentId(m) === cell.msg_id, 30_000);
    const t0 = performance.now();
    await kernel.request("control", "interrupt_request");
    const interrupted = await kernel.collect(cell, 90_000);
    const answerMs = performance.now() - t0;
    expect(interrupted.reply.content.ename).toBe("Interrupted");
    expect(String(interrupted.reply.content.evalue)).toMatch(/nothing ran/);
    // The next cell needs the language worker, which is still finishing the interrupted check: it takes the rest
    // of the check. Had the interrupt waited for the check, that rest would be ~0 and the answer the long part.
    const t1 = performance.now();
    const next = await kernel.execute("(globalThis as { ran?: boolean }).ran ?? 'did not run'", { timeoutMs: 90_000 });
    const nextMs = performance.now() - t1;
    expect(plain(next.outputs.results[0])).toBe("'did not run'");
    expect(answerMs).toBeLessThan(nextMs);
    expect(kernel.violations).toEqual([]);
  });
});
