// The teaching scenarios, recorded with a fake clock: what the model holds and what both renderers draw.
// Snapshots of the HTML and text are committed in __snapshots__/ (review them when the drawing changes).

import { describe, expect, it } from "vitest";
import { renderHtml } from "../../../src/timeline/render-html";
import { renderText } from "../../../src/timeline/render-text";
import { blockedTimers, gatheredAwaits, pendingAfterCell, rejectedTask, sequentialAwaits } from "./scenarios";

const TEXT_BAR_COL = 34; // label 24 + space + duration 8 + space

/** The [left%, width%] of each ordinary (non-gather) task bar in the HTML, in row order. */
function htmlBars(html: string): [number, number][] {
  return [...html.matchAll(/left:([\d.]+)%;width:([\d.]+)%;top:3px/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

function textRow(text: string, label: string): string {
  const line = text.split("\n").find((l) => l.trimStart().startsWith(label));
  if (line === undefined) throw new Error(`no row ${label} in\n${text}`);
  return line;
}

describe("(a) three sequential 300 ms awaits", () => {
  const model = sequentialAwaits();
  const html = renderHtml(model);
  const text = renderText(model);

  it("records a staircase: each task starts when the previous one settled", () => {
    const [a, b, c] = model.tasks;
    expect(b?.createdAt).toBe(a?.settledAt);
    expect(c?.createdAt).toBe(b?.settledAt);
    expect(model.counters.peakConcurrency).toBe(1);
  });

  it("draws each bar where the previous one ended, and says 900 ms with nothing saved", () => {
    const bars = htmlBars(html);
    expect(bars).toHaveLength(3);
    for (let i = 1; i < 3; i++) {
      const [left] = bars[i] as [number, number];
      const [prevLeft, prevWidth] = bars[i - 1] as [number, number];
      expect(left).toBeCloseTo(prevLeft + prevWidth, 1);
    }
    expect(html).toContain("wall 900 ms");
    expect(html).not.toContain("concurrency saved");
    const cols = [1, 2, 3].map((i) => {
      const row = textRow(text, `fetchUser(${i})`);
      return [row.indexOf("["), row.indexOf("]")];
    });
    expect(cols[1]?.[0]).toBe(cols[0]?.[1]);
    expect(cols[2]?.[0]).toBe(cols[1]?.[1]);
    expect(text.split("\n")[0]).toContain("wall 900 ms");
  });

  it("matches the snapshots", () => {
    expect(text).toMatchSnapshot();
    expect(html).toMatchSnapshot();
  });
});

describe("(b) the same three awaits under Promise.all", () => {
  const model = gatheredAwaits();
  const html = renderHtml(model);
  const text = renderText(model);

  it("records one gather over three overlapping tasks", () => {
    const gather = model.tasks.find((t) => t.kind === "all");
    expect(gather?.children).toEqual([1, 2, 3]);
    expect(model.tasks.filter((t) => t.gatheredBy === gather?.id)).toHaveLength(3);
    expect(model.counters.peakConcurrency).toBe(3);
  });

  it("draws the children overlapping, indented beneath the gather, and says ~600 ms saved", () => {
    const bars = htmlBars(html);
    expect(bars).toHaveLength(3);
    for (const [left, width] of bars) {
      expect(left).toBeLessThan(1);
      expect(width).toBeGreaterThan(95);
    }
    expect(html).toContain("concurrency saved ~600 ms");
    expect(text).toContain("concurrency saved ~600 ms");
    const lines = text.split("\n");
    const g = lines.findIndex((l) => l.startsWith("Promise.all [3]"));
    expect(lines.slice(g + 1, g + 4).map((l) => l.slice(0, 14))).toEqual(["  fetchUser(1)", "  fetchUser(2)", "  fetchUser(3)"]);
    expect(lines[g]?.slice(TEXT_BAR_COL, TEXT_BAR_COL + 1)).toBe("{");
  });

  it("matches the snapshots", () => {
    expect(text).toMatchSnapshot();
    expect(html).toMatchSnapshot();
  });
});

describe("(c) a 200 ms blocked stretch between two timers", () => {
  const model = blockedTimers();
  const html = renderHtml(model);
  const text = renderText(model);

  it("records the blocked stretch and the late timer", () => {
    expect(model.blocked).toEqual([{ start: 100, end: 300, line: 4, taskId: 1 }]);
    expect(model.lateTimers).toHaveLength(1);
    const late = model.lateTimers[0];
    expect((late?.firedAt ?? 0) - (late?.dueAt ?? 0)).toBeCloseTo(50, 5);
  });

  it("draws the blocked lane and marks the late timer", () => {
    expect(text).toContain("main thread blocked 200 ms");
    expect(text).toContain("1 late timer (up to +50 ms)");
    const lane = textRow(text, "main thread");
    expect(lane).toMatch(/#+ blocked 200 ms #+/);
    expect(textRow(text, "setTimeout 250ms")).toMatch(/~+\| fired \+50 ms late/);
    expect(html).toContain("fired +50 ms late");
    expect(html).toContain("background:#fb8500");
    expect(html).toContain("main thread blocked 200 ms at 100 ms, line 4");
  });

  it("matches the snapshots", () => {
    expect(text).toMatchSnapshot();
    expect(html).toMatchSnapshot();
  });
});

describe("(d) tasks still pending after the cell", () => {
  const { model, recorder } = pendingAfterCell();
  const html = renderHtml(model);
  const text = renderText(model);

  it("flags them and keeps the recorder unsettled", () => {
    expect(model.tasks.map((t) => [t.label, t.state, t.flags])).toEqual([
      ["watchQueue()", "pending", { outlived: true, neverAwaited: true }],
      ["setInterval 200ms", "pending", { outlived: true }],
      ["GET /reports/2024", "pending", { outlived: true, neverAwaited: true }],
    ]);
    expect(recorder.isSettled()).toBe(false);
    expect(recorder.hasActivity(50)).toBe(true);
  });

  it("draws pending bars to now, with the pending look", () => {
    for (const label of ["watchQueue()", "GET /reports/2024"]) {
      const row = textRow(text, label);
      expect(row.indexOf(">")).toBe(TEXT_BAR_COL + 55);
    }
    expect(html).toContain("border:1px dashed #0969da;border-radius:2px;border-right:0");
    expect(html).toContain("wall 950 ms so far");
    expect(html).toContain("still pending after the cell finished");
  });

  it("draws to a later now when given one", () => {
    expect(renderText(model, 1500).split("\n")[0]).toContain("wall 1.5 s so far");
  });

  it("matches the snapshots", () => {
    expect(text).toMatchSnapshot();
    expect(html).toMatchSnapshot();
  });
});

describe("(e) a rejected task", () => {
  const model = rejectedTask();
  const html = renderHtml(model);
  const text = renderText(model);

  it("keeps the error, and flags the unhandled, never-awaited one", () => {
    const load = model.tasks.find((t) => t.label === "loadConfig()");
    const save = model.tasks.find((t) => t.label === "saveLog()");
    expect(load).toMatchObject({ state: "rejected", error: "TypeError: Cannot read properties of undefined (reading 'port')", settledAt: 120 });
    expect(save?.flags).toEqual({ unhandled: true, neverAwaited: true });
  });

  it("draws the error at the bar and lists the problems", () => {
    expect(textRow(text, "loadConfig()").trimEnd().endsWith("!")).toBe(true);
    expect(text).toContain("loadConfig() (line 2): rejected: TypeError: Cannot read properties of undefined (reading 'port')");
    expect(html).toContain("✗ TypeError: Cannot read properties of undefined (reading &#39;port&#39;)");
    expect(html).toContain("<details open");
    expect(html).toContain("2 problems");
  });

  it("matches the snapshots", () => {
    expect(text).toMatchSnapshot();
    expect(html).toMatchSnapshot();
  });
});
