// Layout rules of the drawing, checked on the generated HTML with a fixed-width text measure (CHAR_PX per character,
// the renderer's own assumption, which layout-chromium.test.ts checks against real text in Chromium): no note is
// drawn over any bar, wait line or late mark of its row; every gridline has a label; the axis end is labelled; axis
// labels do not collide. Checked on the narrowest track the drawing is laid out for and on a wide one.
// The text renderer: every `+` on the ruler has its label above it, and the end label ends at the ruler's end.

import { describe, expect, it } from "vitest";
import { formatMs } from "../../../src/timeline/format";
import type { TimelineModel } from "../../../src/timeline/model";
import { CHAR_PX, TRACK_MIN_PX, renderHtml } from "../../../src/timeline/render-html";
import { renderText } from "../../../src/timeline/render-text";
import { timelineFacts } from "../../../src/timeline/summary";
import { blockedTimers, gatheredAwaits, manyTasks, pendingAfterCell, rejectedTask, sequentialAwaits } from "./scenarios";
import { deadlockedGather, gatherFailingEarly, gatherOfThree, interruptedSleep, lateRejection, nineSeconds, semaphoreOfTwo } from "./truth-scenarios";

const models: Record<string, TimelineModel> = {
  sequential: sequentialAwaits(),
  gathered: gatheredAwaits(),
  blocked: blockedTimers(),
  pending: pendingAfterCell().model,
  rejected: rejectedTask(),
  many: manyTasks(300, 40),
  gatherOfThree: gatherOfThree(),
  semaphore: semaphoreOfTwo(),
  failingEarly: gatherFailingEarly(),
  deadlock: deadlockedGather(),
  interrupted: interruptedSleep(),
  lateRejection: lateRejection(),
  nineSeconds: nineSeconds(),
};

interface El {
  tag: string;
  style: Record<string, string>;
  text: string;
  children: El[];
}

/** A tree of the renderer's own markup (div/span/details/summary with quoted attributes). */
function parse(html: string): El {
  const root: El = { tag: "root", style: {}, text: "", children: [] };
  const stack = [root];
  for (const m of html.matchAll(/<(\/?)([a-z]+)([^>]*)>|([^<]+)/g)) {
    const top = stack[stack.length - 1] as El;
    if (m[4] !== undefined) {
      for (const el of stack) el.text += m[4];
      continue;
    }
    if (m[1] === "/") {
      stack.pop();
      continue;
    }
    const style: Record<string, string> = {};
    for (const decl of (/style="([^"]*)"/.exec(m[3] ?? "")?.[1] ?? "").split(";")) {
      const i = decl.indexOf(":");
      if (i > 0) style[decl.slice(0, i)] = decl.slice(i + 1);
    }
    const el: El = { tag: m[2] as string, style, text: "", children: [] };
    top.children.push(el);
    stack.push(el);
  }
  return root;
}

function all(el: El, pred: (e: El) => boolean, out: El[] = []): El[] {
  if (pred(el)) out.push(el);
  for (const c of el.children) all(c, pred, out);
  return out;
}

const px = (v: string | undefined, track: number): number => {
  if (v === undefined) return 0;
  return v.endsWith("%") ? (parseFloat(v) / 100) * track : parseFloat(v);
};
const decode = (s: string): string => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
const textPx = (s: string): number => decode(s).length * CHAR_PX;

/** [x0, x1] of an element on a track `track` px wide, borders and padding included. */
function box(el: El, track: number): [number, number] {
  const border = (v: string | undefined): number => (v === undefined ? 0 : parseFloat(v) || 0);
  const pad = el.style.padding !== undefined ? parseFloat(el.style.padding.split(" ")[1] ?? "0") * 2 : 0;
  const extra = border(el.style["border-left"] ?? el.style.border) + border(el.style["border-right"] ?? el.style.border) + pad;
  const width = el.style.width !== undefined ? px(el.style.width, track) + extra : textPx(el.text) + extra;
  if (el.style.left !== undefined) {
    const x0 = px(el.style.left, track) + px(el.style["margin-left"], track);
    return [x0, x0 + width];
  }
  const x1 = track - px(el.style.right, track) - px(el.style["margin-right"], track);
  return [x1 - width, x1];
}

const isTrack = (e: El): boolean => e.style["margin-left"] === "276px" && e.style.height === "18px";

describe.each([TRACK_MIN_PX, 900])("HTML layout on a %i px track", (track) => {
  it.each(Object.keys(models))("%s: no note overlaps a bar, wait line or late mark of its row", (name) => {
    const root = parse(renderHtml(models[name] as TimelineModel));
    const overlaps: string[] = [];
    for (const row of all(root, isTrack)) {
      const notes = row.children.filter((c) => c.tag === "span");
      const marks = row.children.filter((c) => c.tag === "div");
      for (const n of notes) {
        const [a0, a1] = box(n, track);
        if (a0 < -0.5) overlaps.push(`note "${decode(n.text)}" starts left of the track (${a0.toFixed(1)} px)`);
        for (const m of marks) {
          const [b0, b1] = box(m, track);
          if (a0 < b1 - 0.5 && b0 < a1 - 0.5) overlaps.push(`note "${decode(n.text)}" [${a0.toFixed(1)}, ${a1.toFixed(1)}] over [${b0.toFixed(1)}, ${b1.toFixed(1)}]`);
        }
      }
    }
    expect(overlaps).toEqual([]);
  });

  it.each(Object.keys(models))("%s: every gridline has a label, the axis end is labelled, labels do not collide", (name) => {
    const model = models[name] as TimelineModel;
    const root = parse(renderHtml(model));
    const grid = all(root, (e) => e.style["margin-left"] === "276px" && e.style.height === "0")[0] as El;
    const gridLefts = grid.children.filter((c) => c.style["border-left"] === "1px solid #eaeef2").map((c) => c.style.left);
    const axis = all(root, (e) => e.style["margin-left"] === "276px" && e.style["border-bottom"] !== undefined)[0] as El;
    const labels = axis.children;
    for (const left of gridLefts) expect(labels.some((l) => l.style.left === left && l.text !== "")).toBe(true);
    const f = timelineFacts(model, model.snapshotAt);
    const end = labels.find((l) => l.style.right === "0");
    expect(end?.text).toBe(formatMs(f.axisEnd - f.axisStart));
    const boxes = labels.map((l) => box(l, track)).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < boxes.length; i++) expect((boxes[i] as [number, number])[0]).toBeGreaterThanOrEqual((boxes[i - 1] as [number, number])[1]);
  });
});

describe("text layout", () => {
  it.each(Object.keys(models))("%s: every ruler mark has its label, and the end label ends at the ruler's end", (name) => {
    const model = models[name] as TimelineModel;
    const lines = renderText(model).split("\n");
    const rulerAt = lines.findIndex((l) => /^ {34}\|[-+]*\|$/.test(l));
    expect(rulerAt).toBeGreaterThan(0);
    const ruler = lines[rulerAt] as string;
    const labels = (lines[rulerAt - 1] as string).padEnd(ruler.length);
    for (let c = 0; c < ruler.length; c++) {
      if (ruler[c] === "+" || c === 34) expect(labels[c], `column ${c}`).toMatch(/\d/);
    }
    const f = timelineFacts(model, model.snapshotAt);
    expect(labels.trimEnd().endsWith(formatMs(f.axisEnd - f.axisStart).replace(" ", ""))).toBe(true);
    expect(labels.trimEnd().length).toBe(ruler.length);
  });
});
