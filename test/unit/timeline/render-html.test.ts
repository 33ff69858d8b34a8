// The HTML must render the same in untrusted notebooks: JupyterLab's sanitizer drops <svg>, <style>, <script>,
// CSS variables, and filters inline styles property by property against value patterns. These tests keep the
// renderer within plain tags, a short list of properties, and values of the simple shapes those patterns accept.

import { describe, expect, it } from "vitest";
import { CELL_TASK } from "../../../src/timeline/model";
import { TimelineRecorder } from "../../../src/timeline/recorder";
import { renderHtml } from "../../../src/timeline/render-html";
import { FakeClock, blockedTimers, gatheredAwaits, manyTasks, pendingAfterCell, rejectedTask, sequentialAwaits } from "./scenarios";

const samples = {
  sequential: renderHtml(sequentialAwaits()),
  gathered: renderHtml(gatheredAwaits()),
  blocked: renderHtml(blockedTimers()),
  pending: renderHtml(pendingAfterCell().model),
  rejected: renderHtml(rejectedTask()),
  many: renderHtml(manyTasks(2000, 50)),
};

const LENGTH = /^(0|\d+(\.\d+)?(px|%))$/;
const COLOUR = /^(#[0-9a-f]{3,8}|transparent)$/i;
const GRADIENT = /^linear-gradient\(\d+deg(, #[0-9a-f]{6}( \d+%)?)+\)$/i;
const BORDER = /^(0|\d+px (solid|dashed) #[0-9a-f]{6})$/i;

/** Allowed properties and a check of their values. */
const PROPERTIES: Record<string, (v: string) => boolean> = {
  position: (v) => v === "relative" || v === "absolute",
  left: (v) => LENGTH.test(v),
  right: (v) => LENGTH.test(v),
  top: (v) => LENGTH.test(v),
  width: (v) => LENGTH.test(v),
  height: (v) => LENGTH.test(v),
  "line-height": (v) => LENGTH.test(v) || /^\d+(\.\d+)?$/.test(v),
  margin: (v) => v.split(" ").every((p) => LENGTH.test(p)),
  "margin-left": (v) => LENGTH.test(v),
  "margin-right": (v) => LENGTH.test(v),
  "margin-top": (v) => LENGTH.test(v),
  "margin-bottom": (v) => LENGTH.test(v),
  padding: (v) => v.split(" ").every((p) => LENGTH.test(p)),
  "padding-left": (v) => LENGTH.test(v),
  "padding-right": (v) => LENGTH.test(v),
  "padding-top": (v) => LENGTH.test(v),
  background: (v) => COLOUR.test(v) || GRADIENT.test(v),
  "background-color": (v) => COLOUR.test(v),
  "background-size": (v) => LENGTH.test(v),
  border: (v) => BORDER.test(v),
  "border-left": (v) => BORDER.test(v),
  "border-right": (v) => BORDER.test(v),
  "border-top": (v) => BORDER.test(v),
  "border-bottom": (v) => BORDER.test(v),
  "border-radius": (v) => LENGTH.test(v),
  color: (v) => COLOUR.test(v),
  "font-family": (v) => /^[a-z][a-z0-9 -]*(, -?[a-z][a-z0-9 -]*)*$/i.test(v),
  "font-size": (v) => LENGTH.test(v),
  "font-weight": (v) => /^(\d00|bold|normal)$/.test(v),
  "white-space": (v) => v === "nowrap",
  overflow: (v) => v === "hidden",
  "text-overflow": (v) => v === "ellipsis",
  "text-align": (v) => v === "right" || v === "left",
  display: (v) => v === "inline-block" || v === "block",
  opacity: (v) => /^(0(\.\d+)?|1)$/.test(v),
  cursor: (v) => v === "pointer",
};

describe("timeline HTML", () => {
  it.each(Object.entries(samples))("%s: has no <svg>, <style>, <script>, CSS variables, ids or classes", (_name, html) => {
    for (const banned of ["<svg", "<style", "<script", "var(--", " id=", " class=", "calc(", "url("]) expect(html).not.toContain(banned);
  });

  it.each(Object.entries(samples))("%s: uses only div/span/details/summary with style, title and open", (_name, html) => {
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1] as string));
    expect([...tags].filter((t) => !["details", "div", "span", "summary"].includes(t))).toEqual([]);
    const attrs = new Set([...html.matchAll(/<[a-z]+((\s+[a-z-]+(="[^"]*")?)*)\s*>/g)].flatMap((m) => [...(m[1] as string).matchAll(/([a-z-]+)(="[^"]*")?/g)].map((a) => a[1] as string)));
    expect([...attrs].filter((a) => !["style", "title", "open"].includes(a))).toEqual([]);
  });

  it.each(Object.entries(samples))("%s: uses only inline style properties and values the sanitizer keeps", (_name, html) => {
    const bad: string[] = [];
    for (const m of html.matchAll(/style="([^"]*)"/g)) {
      for (const decl of (m[1] as string).split(";")) {
        if (decl === "") continue;
        const i = decl.indexOf(":");
        const prop = decl.slice(0, i);
        const value = decl.slice(i + 1);
        const ok = PROPERTIES[prop];
        if (ok === undefined || !ok(value)) bad.push(decl);
      }
    }
    expect([...new Set(bad)]).toEqual([]);
  });

  it("escapes labels, errors and values that come from user code", () => {
    const clock = new FakeClock();
    const rec = new TimelineRecorder({ cell: 1, now: clock.now });
    const id = rec.taskCreated("user", `<b>bold</b> & "quoted" <script>alert(1)</script>`, { at: 0, parentId: CELL_TASK });
    rec.taskSettled(id, "rejected", new Error(`<img src=x onerror=alert(1)>`), 100);
    rec.cellEnded(100);
    const html = renderHtml(rec.snapshot(100));
    expect(html).not.toContain("<b>");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("stays under 200 KB even when nothing folds (2,000 distinct labels)", () => {
    const html = renderHtml(manyTasks(2000, 2000));
    console.log(`[timeline] 2,000 distinct tasks: ${(html.length / 1024).toFixed(0)} KB of HTML`);
    expect(html.length).toBeLessThan(200 * 1024);
    expect(html).toMatch(/\d+ more tasks not drawn/);
  });
});
