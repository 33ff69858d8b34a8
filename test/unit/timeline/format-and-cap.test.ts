import { describe, expect, it } from "vitest";
import { mergeRuns } from "../../../src/timeline/cap";
import { axisTicks, escapeHtml, formatApproxMs, formatMs, oneLine } from "../../../src/timeline/format";
import { unionRuns } from "../../../src/timeline/summary";

describe("formatMs", () => {
  it.each([
    [0, "0 ms"],
    [0.4, "0.4 ms"],
    [2.45, "2.5 ms"],
    [12.4, "12 ms"],
    [900, "900 ms"],
    [1250, "1.25 s"],
    [1500, "1.5 s"],
    [12_340, "12.3 s"],
    [125_000, "2 min 5 s"],
  ])("%d ms → %s", (ms, text) => expect(formatMs(ms)).toBe(text));

  it.each([
    [598.3, "~600 ms"],
    [600, "~600 ms"],
    [1234, "~1.2 s"],
    [4.2, "~4.2 ms"],
  ])("approximately %d ms → %s", (ms, text) => expect(formatApproxMs(ms)).toBe(text));
});

describe("axisTicks", () => {
  it.each([
    [900, 6, [0, 200, 400, 600, 800]],
    [302, 8, [0, 50, 100, 150, 200, 250, 300]],
    [1, 4, [0, 0.25, 0.5, 0.75, 1]],
  ])("span %d, at most %d intervals", (span, max, ticks) => expect(axisTicks(span, max)).toEqual(ticks));
});

describe("text helpers", () => {
  it("escapes for content and attributes, keeping newlines in tooltips", () => {
    expect(escapeHtml(`<b a="1">'x' & y\nz</b>`)).toBe("&lt;b a=&quot;1&quot;&gt;&#39;x&#39; &amp; y&#10;z&lt;/b&gt;");
  });
  it("flattens and clips to one line", () => {
    expect(oneLine("a\n  b\tc", 10)).toBe("a b c");
    expect(oneLine("abcdefghij", 6, "...")).toBe("abc...");
  });
});

describe("runs", () => {
  it("union merges overlapping and touching intervals", () => {
    expect(unionRuns([[5, 6], [0, 2], [1, 3], [3, 4]])).toEqual([[0, 4], [5, 6]]);
  });
  it("mergeRuns closes the smallest gaps first", () => {
    const runs: [number, number][] = [[0, 1], [2, 3], [10, 11], [11.5, 12], [30, 31]];
    expect(mergeRuns(runs, 3)).toEqual([[0, 3], [10, 12], [30, 31]]);
    expect(mergeRuns(runs, 1)).toEqual([[0, 31]]);
    expect(mergeRuns(runs, 9)).toEqual(runs);
  });
});
