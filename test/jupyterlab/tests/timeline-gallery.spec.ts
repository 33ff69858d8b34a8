// Five teaching timelines as JupyterLab draws them (test/helpers/timeline-gallery.ts), saved as screenshots for a
// reviewer to look at (test-artifacts/jupyterlab/timeline-<name>.png), each checked for the header figure its
// lesson is about.
import { describe, expect, it } from "vitest";
import { TIMELINE_GALLERY } from "../../helpers/timeline-gallery.js";
import { labMissing, useLab } from "./helpers/session.js";

describe.skipIf(labMissing("timeline-gallery.spec.ts"))("JupyterLab: five teaching timelines", () => {
  const session = useLab("timeline-gallery");

  it("draws a gather, a semaphore, a blocked loop, fetches and worker jobs, each saved as a screenshot", async () => {
    const { lab } = session();
    // Tall enough for the tallest timeline (the semaphore's ~25 rows) to be photographed whole.
    await lab.page.setViewportSize({ width: 1280, height: 1400 });
    const nb = await lab.newNotebook();
    for (const [i, cell] of TIMELINE_GALLERY.entries()) {
      await nb.runAndWait(i, cell.code, 60_000);
      const view = nb.cell(i).locator(".jp-OutputArea-output.jp-RenderedHTMLCommon").filter({ hasText: "async timeline" });
      // The final drawing: nothing pending any more (the same output is updated in place until then).
      await view.filter({ hasText: /0 pending/ }).waitFor({ timeout: 30_000 });
      expect(await view.textContent()).toMatch(cell.shows);
      await view.scrollIntoViewIfNeeded();
      await lab.screenshotOf(view, `timeline-${cell.name}`);
    }
  });
});
