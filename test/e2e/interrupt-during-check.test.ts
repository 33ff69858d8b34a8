// An interrupt is answered while a cell is still being type-checked: the check is raced against the interrupt,
// the reply (`Interrupted … nothing ran`) comes at once, not when the check ends, and the session stays usable.
// Through the real kernel, type checking on: a fresh kernel's first check loads TypeScript's libs (seconds on a
// busy machine); a 4,000-line cell takes a warm checker long enough too.
//
// "At once" is measured against the check itself, not against a clock: the language side finishes the check the
// interrupt left running before it takes the next cell, so the next cell's reply marks (just after) that check's
// end. The interrupt's reply must come in well under half that time; a kernel that waited for the check would
// answer it only at its end. Load stretches both alike. The 200 ms target is a speed figure, measured by
// bench figure 5, not here.
import { describe, expect, it } from "vitest";
import { type KernelClient, kernelBuilt, parentId, plain } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";

/** The interrupt's reply must come before this fraction of the time the interrupted check still took. */
const REPLY_BEFORE_CHECK_FRACTION = 0.5;

/** Sends `code`, interrupts `afterMs` after its execute_input arrived; returns the reply and how long it took. */
async function interruptDuringCheck(kernel: KernelClient, code: string, afterMs: number) {
  const request = kernel.sendExecute(code);
  const input = await kernel.waitFor((m) => m.header.msg_type === "execute_input" && parentId(m) === request.msg_id, 20_000);
  // Part of the scenario (a user pressing Interrupt a moment after Run), not a wait for ordering.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, input.receivedAt + afterMs - performance.now())));
  const sent = performance.now();
  await kernel.request("control", "interrupt_request");
  const result = await kernel.collect(request, 30_000);
  return { result, sent, replyMs: result.reply.receivedAt - sent };
}

function longCell(lines: number): string {
  const body = Array.from({ length: lines - 1 }, (_, i) => `const longCell${i} = ${i} + 1;`);
  return [...body, "while (true) {}"].join("\n");
}

describe.runIf(kernelBuilt())("interrupt while a cell is being type-checked", () => {
  const session = useKernel("interrupt-during-check");

  it("answers an interrupt during the first cell's check on a fresh kernel before the check ends, and runs nothing", async () => {
    const kernel = session();
    // A fresh kernel's language process starts from its snapshot, with the libs already parsed: a one-line cell's
    // check can end within the 150 ms, so the first cell is long enough to be checked for a while anywhere.
    const { result, sent, replyMs } = await interruptDuringCheck(kernel, `console.log('ran');\n${longCell(4000)}`, 150);
    expect(result.reply.content.ename).toBe("Interrupted");
    expect(String(result.reply.content.evalue)).toMatch(/nothing ran/);
    expect(result.outputs.stdout).toBe("");
    const after = await kernel.execute("const usable: number = 6 * 7;\nusable");
    expect(plain(after.outputs.results[0])).toBe("42");
    expect(replyMs).toBeLessThan((after.reply.receivedAt - sent) * REPLY_BEFORE_CHECK_FRACTION);
    expect(kernel.violations).toEqual([]);
  });

  it("answers an interrupt during a 4,000-line cell's check on a warm kernel before the check ends", async () => {
    const kernel = session();
    await kernel.execute("const warm: number = 1;");
    const { result, sent, replyMs } = await interruptDuringCheck(kernel, longCell(4000), 150);
    expect(result.reply.content.ename).toBe("Interrupted");
    expect(String(result.reply.content.evalue)).toMatch(/nothing ran/);
    // The language worker finishes the check it started (seconds on a loaded machine), then takes the next cell.
    const after = await kernel.execute("// @ts-nocheck\ntypeof longCell0", { timeoutMs: 120_000 });
    expect(plain(after.outputs.results[0])).toBe("'undefined'");
    expect(replyMs).toBeLessThan((after.reply.receivedAt - sent) * REPLY_BEFORE_CHECK_FRACTION);
    expect(kernel.violations).toEqual([]);
  });
});
