// The drawing measured in a real browser (Debian's headless Chromium via playwright-core): on the narrowest output
// the layout is made for and on a wide one, no note's rendered box overlaps a bar, wait line or late mark of its
// row, every gridline has a label at it, axis labels do not collide, and the fixed-width text measure the
// renderer places notes with (CHAR_PX) is at least the real text width.

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, launchChromium } from "../../helpers/browser";
import { executable, npmPackage, shouldSkip } from "../../helpers/jupyter-env";
import type { TimelineModel } from "../../../src/timeline/model";
import { CHAR_PX, TRACK_MIN_PX, renderHtml } from "../../../src/timeline/render-html";
import { blockedTimers, manyTasks, pendingAfterCell, rejectedTask } from "./scenarios";
import { gatherFailingEarly, gatherOfThree, interruptedSleep, lateRejection, nineSeconds, semaphoreOfTwo } from "./truth-scenarios";

const skip = shouldSkip("layout-chromium.test.ts", [executable(CHROMIUM, "chromium"), npmPackage("playwright-core")]);

const models: Record<string, TimelineModel> = {
  blocked: blockedTimers(),
  pending: pendingAfterCell().model,
  rejected: rejectedTask(),
  many: manyTasks(300, 40),
  gatherOfThree: gatherOfThree(),
  semaphore: semaphoreOfTwo(),
  failingEarly: gatherFailingEarly(),
  interrupted: interruptedSleep(),
  lateRejection: lateRejection(),
  nineSeconds: nineSeconds(),
};

/** Runs in the page (as source text: the tests are compiled without the DOM types): the layout problems of
 *  every timeline card in it, and the widest note text per character. */
const MEASURE = `(charPx) => {
  const problems = [];
  let widest = 0;
  const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.width > 0 && b.width > 0;
  const tracks = [...document.querySelectorAll('div[style*="margin-left:276px;position:relative;height:18px"]')];
  for (const track of tracks) {
    const box = track.getBoundingClientRect();
    const kids = [...track.children];
    const marks = kids.filter((k) => k.tagName === "DIV").map((k) => k.getBoundingClientRect());
    for (const note of kids.filter((k) => k.tagName === "SPAN")) {
      const r = note.getBoundingClientRect();
      const text = note.textContent ?? "";
      if (r.left < box.left - 0.5) problems.push(\`"\${text}" starts left of its track\`);
      for (const m of marks) if (overlap(r, m)) problems.push(\`"\${text}" [\${r.left.toFixed(1)}, \${r.right.toFixed(1)}] over a mark [\${m.left.toFixed(1)}, \${m.right.toFixed(1)}]\`);
      if (!note.style.width) {
        const perChar = (r.width - 8) / Math.max(text.length, 1);
        widest = Math.max(widest, perChar);
        if (r.width - 8 > text.length * charPx + 0.5) problems.push(\`"\${text}" is \${r.width.toFixed(1)} px wide, more than estimated\`);
      }
    }
  }
  const axes = [...document.querySelectorAll('div[style*="margin-left:276px;position:relative;height:18px;border-bottom"]')];
  const grids = [...document.querySelectorAll('div[style*="position:relative;height:0;margin-left:276px"]')];
  axes.forEach((axis, i) => {
    const labels = [...axis.children].map((l) => ({ r: l.getBoundingClientRect(), text: l.textContent ?? "" }));
    for (const l of labels) if (l.text === "") problems.push("an axis mark without a label");
    const sorted = labels.map((l) => l.r).sort((a, b) => a.left - b.left);
    for (let j = 1; j < sorted.length; j++) if (overlap(sorted[j - 1], sorted[j])) problems.push(\`axis labels collide: \${labels.map((l) => l.text).join(", ")}\`);
    const lines = [...(grids[i]?.children ?? [])].filter((g) => g.style.borderLeft.includes("solid"));
    for (const g of lines) {
      const x = g.getBoundingClientRect().left;
      if (!labels.some((l) => Math.abs(l.r.left - x) < 1)) problems.push(\`gridline at \${x.toFixed(1)} has no label\`);
    }
    const end = labels.find((l) => Math.abs(l.r.right - axis.getBoundingClientRect().right) < 1);
    if (end === undefined) problems.push("the axis end has no label");
  });
  return { problems, widest };
}`;

describe.skipIf(skip)("timeline layout in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  // The card's chrome: 276 px of label and duration columns, 2 × 10 px padding, 2 × 1 px border.
  it.each([TRACK_MIN_PX + 276 + 22, 1200])("at %i px: notes clear of bars, every gridline labelled, text within its estimate", async (width) => {
    const page = await browser.newPage({ viewport: { width: width + 40, height: 800 } });
    try {
      const cards = Object.values(models).map((m) => renderHtml(m)).join("");
      await page.setContent(`<!doctype html><meta charset="utf-8"><body style="margin:0;padding:0 20px;width:${width}px">${cards}</body>`);
      const { problems, widest } = (await page.evaluate(`(${MEASURE})(${CHAR_PX})`)) as { problems: string[]; widest: number };
      console.log(`[timeline layout] ${width} px: widest note text ${widest.toFixed(2)} px per character (estimate ${CHAR_PX})`);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
