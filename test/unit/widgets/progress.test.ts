import { describe, expect, it } from "vitest";
import { progressText } from "../../../src/runtime/widgets/progress.js";
import { widgetSession } from "./harness.js";

describe("progressText", () => {
  const cases: [string, Parameters<typeof progressText>, string][] = [
    ["start", ["fetch", 0, 4, 0], "fetch: 0/4 [------------------------] 0% 0.0s"],
    ["half", ["fetch", 2, 4, 1234], "fetch: 2/4 [############------------] 50% 1.2s"],
    ["done", ["fetch", 4, 4, 2000, "done"], "fetch: 4/4 [########################] 100% done in 2.0s"],
    ["failed", ["fetch", 1, 4, 500, "failed"], "fetch: 1/4 [######------------------] 25% failed after 0.5s"],
    ["empty", ["none", 0, 0, 0, "done"], "none: 0/0 [########################] 100% done in 0.0s"],
    ["unknown total", ["lines", 17, undefined, 300], "lines: 17 0.3s"],
  ];
  for (const [name, args, text] of cases) it(name, () => expect(progressText(...args)).toBe(text));
});

describe("progress()", () => {
  const displays = (s: ReturnType<typeof widgetSession>) =>
    s.sent.filter((m) => m.msgType === "display_data" || m.msgType === "update_display_data").map((m) => [m.msgType, (m.content.data as Record<string, string>)["text/plain"], (m.content.transient as { display_id: string }).display_id]);

  it("resolves with the results in order and shows them done, in one display updated in place", async () => {
    const s = widgetSession();
    const results = await s.run(() => s.progress([Promise.resolve("a"), "b", new Promise((r) => setTimeout(() => r("c"), 5))], { label: "work" }));
    expect(results).toEqual(["a", "b", "c"]);
    const shown = displays(s);
    expect(shown[0]?.[1]).toMatch(/^work: 0\/3 /);
    expect(shown.at(-1)?.[0]).toBe("update_display_data");
    expect(shown.at(-1)?.[1]).toMatch(/^work: 3\/3 .* done in/);
    expect(new Set(shown.map((d) => d[2])).size).toBe(1);
    const bar = s.sent.find((m) => m.msgType === "comm_open" && (m.content.data as { state: { _model_name: string } }).state._model_name === "IntProgressModel");
    const last = s.commData(String(bar?.content.comm_id)).at(-1);
    expect(last?.state).toMatchObject({ value: 3, bar_style: "success" });
  });

  it("rejects like Promise.all and marks the bar failed", async () => {
    const s = widgetSession();
    await expect(s.run(() => s.progress([Promise.resolve(1), Promise.reject(new Error("nope"))], { label: "x" }))).rejects.toThrow("nope");
    expect(displays(s).at(-1)?.[1]).toMatch(/failed after/);
  });

  it("drains an async iterable, counting without a known total", async () => {
    const s = widgetSession();
    async function* lines() {
      yield "a";
      yield "b";
    }
    expect(await s.run(() => s.progress(lines(), { label: "lines" }))).toEqual(["a", "b"]);
    expect(displays(s).at(-1)?.[1]).toMatch(/^lines: 2 done in/);
  });

  it("explains what it accepts", async () => {
    const s = widgetSession();
    await expect(s.run(() => s.progress(42 as never))).rejects.toThrow("progress(items): expected an iterable or async iterable (e.g. an array of promises), received number");
  });
});
