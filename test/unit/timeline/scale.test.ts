import { describe, expect, it } from "vitest";
import { renderHtml } from "../../../src/timeline/render-html";
import { renderText } from "../../../src/timeline/render-text";
import { manyTasks } from "./scenarios";

describe("a timeline of 2,000 tasks with 50 distinct labels", () => {
  const model = manyTasks(2000, 50);

  it("renders quickly, stays small, and folds identical siblings into ×40 rows", () => {
    renderHtml(model); // warm-up
    const t0 = performance.now();
    const html = renderHtml(model);
    const t1 = performance.now();
    const text = renderText(model);
    const t2 = performance.now();
    console.log(
      `[timeline] 2,000 tasks: HTML ${(t1 - t0).toFixed(1)} ms, ${(html.length / 1024).toFixed(1)} KB; text ${(t2 - t1).toFixed(1)} ms, ${text.length} chars`,
    );
    expect(html.length).toBeLessThan(200 * 1024);
    expect(html.match(/×40</g)).toHaveLength(50);
    expect(text.match(/ x40 /g)).toHaveLength(50);
    expect(html).not.toContain("not drawn");
  });
});
