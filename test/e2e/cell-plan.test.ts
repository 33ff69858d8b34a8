// Directives under a block comment, through the real kernel (type checker on): the cell's plan is read once by
// the compiler in the language worker and carried to the main thread, so the runtime and the checker agree.
import { describe, expect, it } from "vitest";
import { kernelBuilt, plain } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";

const TIMELINE = "application/vnd.tsloop.timeline.v1+json";

describe.runIf(kernelBuilt())("cell directives below a block comment, through the real kernel", () => {
  const session = useKernel("cell-plan");

  it("turns the timeline off for /* notes */ above // @timeline off", async () => {
    const kernel = session();
    const shown = await kernel.execute("await sleep(50);");
    expect(shown.outputs.displays.some((d) => TIMELINE in (d.content.data as object))).toBe(true);
    const off = await kernel.execute("/* notes */\n// @timeline off\nawait sleep(50);");
    expect(off.reply.content.status).toBe("ok");
    expect(off.outputs.displays).toHaveLength(0);
    expect(kernel.violations).toEqual([]);
  });

  it("skips the type check for /* notes */ above // @ts-nocheck", async () => {
    const kernel = session();
    const code = "const typed: number = 'text' as string;\ntypeof typed";
    const refused = await kernel.execute(code);
    expect(refused.reply.content.ename).toBe("TSError");
    const ran = await kernel.execute(`/* notes */\n// @ts-nocheck\n${code}`);
    expect(ran.reply.content.status).toBe("ok");
    expect(plain(ran.outputs.results[0])).toBe("'string'");
    expect(kernel.violations).toEqual([]);
  });
});
