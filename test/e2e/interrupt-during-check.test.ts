// An interrupt is answered while a cell is still being type-checked: the check is raced against the interrupt,
// the reply (`Interrupted … nothing ran`) comes within 200 ms, and the session stays usable. Through the real
// kernel, type checking on: a fresh kernel's first check loads TypeScript's libs (seconds on a busy machine); a
// 4,000-line cell takes a warm checker long enough too.
import { describe, expect, it } from "vitest";
import { type KernelClient, kernelBuilt, parentId, plain } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";

const REPLY_WITHIN_MS = 200;

/** Sends `code`, interrupts `afterMs` after its execute_input arrived; returns the reply and how long it took. */
async function interruptDuringCheck(kernel: KernelClient, code: string, afterMs: number) {
  const request = kernel.sendExecute(code);
  const input = await kernel.waitFor((m) => m.header.msg_type === "execute_input" && parentId(m) === request.msg_id, 20_000);
  // Part of the scenario (a user pressing Interrupt a moment after Run), not a wait for ordering.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, input.receivedAt + afterMs - performance.now())));
  const sent = performance.now();
  await kernel.request("control", "interrupt_request");
  const result = await kernel.collect(request, 30_000);
  return { result, replyMs: result.reply.receivedAt - sent };
}

function longCell(lines: number): string {
  const body = Array.from({ length: lines - 1 }, (_, i) => `const longCell${i} = ${i} + 1;`);
  return [...body, "while (true) {}"].join("\n");
}

describe.runIf(kernelBuilt())("interrupt while a cell is being type-checked", () => {
  const session = useKernel("interrupt-during-check");

  it("answers an interrupt during the first cell's check on a fresh kernel within 200 ms, and runs nothing", async () => {
    const kernel = session();
    const { result, replyMs } = await interruptDuringCheck(kernel, "console.log('ran');\nwhile (true) {}", 500);
    expect(result.reply.content.ename).toBe("Interrupted");
    expect(String(result.reply.content.evalue)).toMatch(/nothing ran/);
    expect(result.outputs.stdout).toBe("");
    expect(replyMs).toBeLessThan(REPLY_WITHIN_MS);
    const after = await kernel.execute("const usable: number = 6 * 7;\nusable");
    expect(plain(after.outputs.results[0])).toBe("42");
    expect(kernel.violations).toEqual([]);
  });

  it("answers an interrupt during a 4,000-line cell's check on a warm kernel within 200 ms", async () => {
    const kernel = session();
    await kernel.execute("const warm: number = 1;");
    const { result, replyMs } = await interruptDuringCheck(kernel, longCell(4000), 150);
    expect(result.reply.content.ename).toBe("Interrupted");
    expect(String(result.reply.content.evalue)).toMatch(/nothing ran/);
    expect(replyMs).toBeLessThan(REPLY_WITHIN_MS);
    // The language worker finishes the check it started (seconds on a loaded machine), then takes the next cell.
    const after = await kernel.execute("// @ts-nocheck\ntypeof longCell0", { timeoutMs: 120_000 });
    expect(plain(after.outputs.results[0])).toBe("'undefined'");
    expect(kernel.violations).toEqual([]);
  });
});
