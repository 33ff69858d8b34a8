// The task timeline in JupyterLab: a cell with `await Promise.all([sleep(300), sleep(300)])` shows its timeline
// (an HTML display) with bars; a timer the cell left behind keeps it updating after the cell finished, until it
// shows everything done; and after save, close and reopen from disk the timeline still renders — also when the
// notebook comes back untrusted and JupyterLab's sanitizer cleans the HTML.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Notebook } from "./helpers/lab-page.js";
import { labMissing, useLab } from "./helpers/session.js";

const CELL = `await Promise.all([sleep(300), sleep(300)]);
setTimeout(() => {}, 1500);`;

/** The timeline's HTML output in cell 0. */
function timeline(nb: Notebook): Locator {
  return nb.cell(0).locator(".jp-OutputArea-output.jp-RenderedHTMLCommon").filter({ hasText: "async timeline" });
}

/**
 * What the timeline draws: its task rows (an element whose tooltip names the task: "sleep(300) — setTimeout…"),
 * which of them have a bar (an absolutely placed box with a percentage width, inline styles only), and its text.
 */
async function drawing(view: Locator): Promise<{ rows: string[]; barred: string[]; text: string }> {
  return view.evaluate((root: unknown) => {
    interface El {
      textContent: string;
      getAttribute(n: string): string | null;
      querySelectorAll(s: string): ArrayLike<El>;
    }
    const el = root as El;
    const isBar = (e: El) => /position:\s*absolute/.test(e.getAttribute("style") ?? "") && /width:\s*[\d.]*[1-9][\d.]*%/.test(e.getAttribute("style") ?? "");
    const rows = Array.from(el.querySelectorAll("[title]")).filter((e) => / — /.test(e.getAttribute("title") ?? ""));
    const label = (e: El) => (e.getAttribute("title") ?? "").split(" — ")[0] ?? "";
    return {
      rows: rows.map((e) => e.getAttribute("title") ?? ""),
      barred: rows.filter((e) => Array.from(e.querySelectorAll("[style]")).some(isBar)).map(label),
      text: el.textContent,
    };
  });
}

/**
 * From now on, records in the page the order in which cell 0's prompt showed its number (the cell's reply came)
 * and its timeline showed everything done (the timer fired): the order of the kernel's messages, whatever the
 * machine's load, unlike a look at the page at some moment. Returns a reader of that order.
 */
async function recordOrder(nb: Notebook): Promise<() => Promise<string[]>> {
  const cell = nb.cell(0);
  await cell.evaluate((root: unknown) => {
    interface El {
      textContent: string | null;
      querySelector(s: string): El | null;
      querySelectorAll(s: string): ArrayLike<El>;
    }
    type Observer = new (callback: () => void) => { observe(target: unknown, options: Record<string, boolean>): void };
    const el = root as El & { tsloopOrder?: string[] };
    const order: string[] = [];
    el.tsloopOrder = order;
    const note = () => {
      const prompt = el.querySelector(".jp-InputArea-prompt")?.textContent ?? "";
      if (!order.includes("reply") && /^\s*\[\d+\]:\s*$/.test(prompt)) order.push("reply");
      const outputs = Array.from(el.querySelectorAll(".jp-OutputArea-output.jp-RenderedHTMLCommon")).map((e) => e.textContent ?? "");
      if (!order.includes("timer fired") && outputs.some((t) => t.includes("async timeline") && t.includes("0 pending, 0 rejected"))) order.push("timer fired");
    };
    const { MutationObserver } = globalThis as unknown as { MutationObserver: Observer };
    new MutationObserver(note).observe(root, { subtree: true, childList: true, characterData: true });
  });
  return () => cell.evaluate((root: unknown) => (root as { tsloopOrder?: string[] }).tsloopOrder ?? []);
}

describe.skipIf(labMissing("timeline.spec.ts"))("JupyterLab: the task timeline", () => {
  const session = useLab("timeline");

  it("renders with bars, updates to done after the cell finished, and renders again from disk", async () => {
    const { lab, jupyter } = session();
    const nb = await lab.newNotebook();
    // Right after the cell: the gather and its two sleeps are drawn, the 1.5 s timer is still pending (watched
    // from before the run, so a slow machine cannot make the test miss that state).
    const pending = timeline(nb).filter({ hasText: /1 pending/ }).waitFor({ timeout: 30_000 });
    const order = await recordOrder(nb);
    await nb.run(0, CELL);
    await pending;
    const live = await drawing(timeline(nb));
    expect(live.text).toContain("Promise.all [2]");
    expect(live.rows.filter((r) => r.startsWith("sleep(300)"))).toHaveLength(2);
    await lab.screenshot("timeline-pending");
    expect(live.barred.slice(0, 3)).toEqual(["Promise.all [2]", "sleep(300)", "sleep(300)"]);
    expect(live.rows.some((r) => r.startsWith("setTimeout 1500ms"))).toBe(true);
    expect(await nb.waitExecuted(0)).toBe("[1]:");

    // The timer fires 1.5 s later: the same output updates in place to everything done.
    await timeline(nb).filter({ hasText: /0 pending, 0 rejected/ }).waitFor({ timeout: 10_000 });
    // The cell finished (its prompt showed its number) while its timer was still pending: the reply came first.
    // (Checked in the page's own order of changes: on a loaded machine the 1.5 s can pass before the test looks.)
    expect(await order()).toEqual(["reply", "timer fired"]);
    const done = await drawing(timeline(nb));
    expect(done.rows.find((r) => r.startsWith("setTimeout 1500ms"))).toMatch(/fulfilled at/);
    expect(done.barred).toEqual(["Promise.all [2]", "sleep(300)", "sleep(300)", "setTimeout 1500ms"]);
    expect(done.text).not.toMatch(/so far/);
    expect(await nb.cell(0).locator(".jp-OutputArea-output.jp-RenderedHTMLCommon").count()).toBe(1);
    await lab.screenshot("timeline");
    await lab.screenshotOf(nb.panel, "timeline-notebook", nb.cell(0));

    // Save, close, reopen from the file browser: the saved output renders again.
    await nb.save("timeline");
    await nb.close();
    const reopened = await lab.openFromFileBrowser("timeline.ipynb");
    await timeline(reopened).waitFor({ timeout: 10_000 });
    const again = await drawing(timeline(reopened));
    expect(again.text).toContain("0 pending, 0 rejected");
    expect(again.barred).toEqual(done.barred);
    const trustedAfterSave = (await timeline(reopened).getAttribute("class"))?.includes("jp-mod-trusted");
    process.stdout.write(`timeline.spec.ts: reopened after saving from JupyterLab: ${trustedAfterSave ? "trusted" : "untrusted"}\n`);
    await reopened.close();

    // The same notebook as it arrives from someone else (edited on disk, so its signature no longer matches):
    // untrusted, sanitized — and the timeline, plain divs and spans with inline styles, still draws.
    const file = join(jupyter.work, "timeline.ipynb");
    const saved = JSON.parse(readFileSync(file, "utf8")) as { metadata: Record<string, unknown> };
    saved.metadata.edited_elsewhere = true;
    writeFileSync(file, JSON.stringify(saved, null, 1));
    const untrusted = await lab.openFromFileBrowser("timeline.ipynb");
    await timeline(untrusted).waitFor({ timeout: 10_000 });
    expect(await timeline(untrusted).getAttribute("class")).not.toContain("jp-mod-trusted");
    const sanitized = await drawing(timeline(untrusted));
    expect(sanitized.text).toContain("Promise.all [2]");
    expect(sanitized.rows).toEqual(done.rows);
    expect(sanitized.barred).toEqual(done.barred);
    await lab.screenshot("timeline-untrusted");
  });
});
