// Jupyter widgets from TypeScript through JupyterLab's own widget manager (@jupyter-widgets/jupyterlab-manager,
// protocol 2): a slider made in a cell renders as a real slider, and dragging its handle with the mouse changes
// the value that a later cell prints. Runs only when the kernel has widgets (`typeof widgets !== "undefined"`).
import { describe, expect, it } from "vitest";
import { labMissing, useLab } from "./helpers/session.js";

const SLIDER = `const slider = new widgets.IntSlider({ value: 3, min: 0, max: 100, description: "level" });
display(slider);`;

describe.skipIf(labMissing("widgets.spec.ts"))("JupyterLab: widgets", () => {
  const session = useLab("widgets");

  it("renders a slider made in TypeScript; dragging it changes the value a later cell prints", async (ctx) => {
    const { lab } = session();
    const page = lab.page;
    const nb = await lab.newNotebook();
    const has = await nb.runAndWait(0, '// @ts-nocheck\ntypeof widgets !== "undefined"');
    if (!has.includes("true")) {
      ctx.skip("this kernel has no `widgets` global yet");
      return;
    }

    await nb.run(1, SLIDER);
    await nb.waitExecuted(1);
    const view = nb.cell(1).locator(".jp-OutputArea-output .widget-slider");
    await view.waitFor({ timeout: 15_000 });
    expect(await view.locator(".widget-label").textContent()).toBe("level");
    const readout = view.locator(".widget-readout");
    expect((await readout.textContent())?.trim()).toBe("3");

    // Drag the handle about half way along the track.
    const handle = view.locator(".noUi-handle");
    const track = view.locator(".noUi-base, .noUi-target").first();
    const h = await handle.boundingBox();
    const t = await track.boundingBox();
    if (!h || !t) throw new Error("the slider has no layout box");
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
    await page.mouse.down();
    await page.mouse.move(t.x + t.width * 0.6, h.y + h.height / 2, { steps: 10 });
    await page.mouse.up();
    await expect.poll(async () => Number((await readout.textContent())?.trim())).toBeGreaterThan(30);
    const shown = Number((await readout.textContent())?.trim());

    // The kernel got the new value: a later cell prints it.
    const printed = await nb.runAndWait(2, "console.log(`value ${slider.value}`);");
    expect(printed).toContain(`value ${shown}`);
    await lab.screenshot("widgets-slider");
  });
});
