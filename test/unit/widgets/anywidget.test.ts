// anywidget-style widgets: AnyModel/AnyView of the `anywidget` module, `_esm`/`_css`/`_anywidget_id`, the
// widget's own state as synced attributes (binary values as buffers), and reserved names refused.
import { describe, expect, it } from "vitest";
import { widgetSession } from "./harness.js";

type AW = Record<string, unknown> & { modelId: string; set(c: Record<string, unknown>): unknown };
const ESM = "export default { render({ model, el }) { el.textContent = model.get('count'); } }";

describe("AnyWidget", () => {
  it("opens an AnyModel with the ESM, CSS, id and its own state, binary values lifted into buffers", () => {
    const s = widgetSession();
    const w = s.run(() => new s.widgets.AnyWidget({ esm: ESM, css: ".x{}", state: { count: 1, bytes: new Uint8Array([1, 2, 3]) } }) as unknown as AW);
    const open = s.sent.find((m) => m.msgType === "comm_open" && m.content.comm_id === w.modelId);
    const data = open?.content.data as { state: Record<string, unknown>; buffer_paths: unknown };
    expect(data.state).toMatchObject({
      _model_module: "anywidget",
      _model_module_version: ">=0.9.0",
      _model_name: "AnyModel",
      _view_module: "anywidget",
      _view_name: "AnyView",
      _esm: ESM,
      _css: ".x{}",
      _anywidget_id: expect.stringMatching(/^tsloop-[0-9a-f]{12}$/),
      count: 1,
      layout: expect.stringMatching(/^IPY_MODEL_/),
    });
    expect("bytes" in data.state).toBe(false);
    expect(data.buffer_paths).toEqual([["bytes"]]);
    expect(open?.buffers.map((b) => [...b])).toEqual([[1, 2, 3]]);
    expect(String(w)).toBe("AnyWidget(count: 1, bytes: <3 bytes>)");
  });

  it("syncs its own state both ways through typed accessors", async () => {
    const s = widgetSession({ echo: false });
    const w = s.run(() => new s.widgets.AnyWidget({ esm: ESM, state: { count: 0 } }) as unknown as AW);
    const mark = s.sent.length;
    s.run(() => (w.count = 5));
    expect(s.commData(w.modelId, mark)).toEqual([{ method: "update", state: { count: 5 }, buffer_paths: [] }]);
    await s.frontend(w.modelId, { method: "update", state: { count: 6 }, buffer_paths: [] });
    expect(w.count).toBe(6);
    expect(Object.keys(w)).toContain("count");
  });

  it("refuses a missing ESM and reserved state names", () => {
    const s = widgetSession();
    expect(() => s.run(() => new s.widgets.AnyWidget({} as never))).toThrow("expected options.esm");
    for (const name of ["layout", "esm", "_private", "on", "set"]) {
      expect(() => s.run(() => new s.widgets.AnyWidget({ esm: ESM, state: { [name]: 1 } })), name).toThrow(`AnyWidget state: "${name}" is reserved`);
    }
  });
});
