// The kernel side of widget models, in process: states at the schema's defaults, sync both ways without
// bouncing, echo_update, coercion, events in the right cell, iterators, Dropdown's index/value, Output capture.
import { describe, expect, it } from "vitest";
import { cell, widgetSession } from "./harness.js";
import { specFor } from "./widget-schema.js";

type W = Record<string, unknown> & {
  modelId: string;
  on(event: string, fn: (...a: never[]) => unknown): W;
  set(c: Record<string, unknown>): W;
  get(n: string): unknown;
  changes(name?: string, o?: { signal?: AbortSignal }): AsyncIterableIterator<unknown>;
  close(): void;
  send(c: Record<string, unknown>, b?: Uint8Array[]): void;
  isClosed: boolean;
};

const openState = (s: ReturnType<typeof widgetSession>, id: string) => {
  const open = s.sent.find((m) => m.msgType === "comm_open" && m.content.comm_id === id);
  return (open?.content.data as { state: Record<string, unknown> }).state;
};

describe("widget models", () => {
  it("open with every attribute at the default the schema gives", () => {
    const s = widgetSession();
    const classes = ["IntSlider", "FloatSlider", "IntProgress", "FloatProgress", "Button", "Checkbox", "Text", "HTML", "Dropdown", "Output", "HBox", "VBox", "Layout"] as const;
    for (const name of classes) {
      const w = s.run(() => new (s.widgets[name] as unknown as new () => W)());
      const state = openState(s, w.modelId);
      const spec = specFor(String(state._model_name), String(state._model_module));
      expect(spec, name).toBeDefined();
      for (const attr of spec?.attributes ?? []) {
        if (attr.type === "reference") expect(String(state[attr.name]), `${name}.${attr.name}`).toMatch(/^IPY_MODEL_[0-9a-f]{32}$/);
        else expect(state[attr.name], `${name}.${attr.name}`).toEqual(attr.default);
      }
    }
  });

  it("sends one update with only what changed, and nothing for an unchanged value", () => {
    const s = widgetSession();
    const w = s.run(() => new s.widgets.IntSlider({ value: 3 }) as unknown as W);
    const mark = s.sent.length;
    s.run(() => w.set({ value: 4, description: "n", max: 100 }));
    s.run(() => w.set({ value: 4 }));
    expect(s.commData(w.modelId, mark)).toEqual([{ method: "update", state: { value: 4, description: "n" }, buffer_paths: [] }]);
  });

  it("parents an update to the cell whose code made the change", () => {
    const s = widgetSession();
    const w = s.run(() => new s.widgets.Checkbox() as unknown as W);
    const other = cell();
    const mark = s.sent.length;
    s.run(() => (w.value = true), other);
    s.output.flush();
    const update = s.sent.slice(mark).find((m) => m.msgType === "comm_msg");
    expect(update && s.parentOf(update)).toBe(other.parent.msg_id);
  });

  it("applies a frontend update without sending it back, echoing it first when echo is on", async () => {
    for (const echo of [true, false]) {
      const s = widgetSession({ echo });
      const w = s.run(() => new s.widgets.Text() as unknown as W);
      const mark = s.sent.length;
      await s.frontend(w.modelId, { method: "update", state: { value: "typed" }, buffer_paths: [] });
      expect(w.value).toBe("typed");
      expect(s.commData(w.modelId, mark)).toEqual(echo ? [{ method: "echo_update", state: { value: "typed" }, buffer_paths: [] }] : []);
    }
  });

  it("sends the kernel's value back when a frontend value is invalid or clamped", async () => {
    const s = widgetSession({ echo: false });
    const w = s.run(() => new s.widgets.IntSlider({ value: 5, max: 10 }) as unknown as W);
    let mark = s.sent.length;
    await s.frontend(w.modelId, { method: "update", state: { value: "x" } });
    expect(w.value).toBe(5);
    expect(s.commData(w.modelId, mark)).toEqual([{ method: "update", state: { value: 5 }, buffer_paths: [] }]);
    mark = s.sent.length;
    await s.frontend(w.modelId, { method: "update", state: { value: 99 } });
    expect(w.value).toBe(10);
    expect(s.commData(w.modelId, mark)).toEqual([{ method: "update", state: { value: 10 }, buffer_paths: [] }]);
    mark = s.sent.length;
    await s.frontend(w.modelId, { method: "update", state: { max: 8 } });
    expect(w.value).toBe(8);
    expect(s.commData(w.modelId, mark)).toEqual([{ method: "update", state: { value: 8 }, buffer_paths: [] }]);
  });

  it("clamps kernel values into [min, max] and refuses min above max", () => {
    const s = widgetSession();
    const w = s.run(() => new s.widgets.FloatSlider({ value: 0.5, max: 1 }) as unknown as W);
    s.run(() => (w.value = 7));
    expect(w.value).toBe(1);
    expect(() => s.run(() => w.set({ min: 2 }))).toThrow("min (2) must not be greater than max (1)");
  });

  it("explains unknown and invalid options", () => {
    const s = widgetSession();
    expect(() => s.run(() => new s.widgets.IntSlider({ valu: 3 }))).toThrow(/IntSlider has no attribute "valu"; it has .*value/);
    expect(() => s.run(() => new s.widgets.Button({ buttonStyle: "loud" }))).toThrow('Button.buttonStyle: expected one of "primary", "success", "info", "warning", "danger", "", received "loud"');
    expect(() => new s.widgets.Checkbox()).toThrow("can only be called from code a cell started");
  });

  it("runs handlers of frontend changes in the registering cell, and of kernel changes in the running cell", async () => {
    const s = widgetSession();
    const w = s.run(() => new s.widgets.IntSlider() as unknown as W);
    const registering = cell();
    const calls: [unknown, unknown, string, number | undefined][] = [];
    const { currentCell } = await import("../../../src/runtime/context.js");
    s.run(() => w.on("change", ((v: unknown, old: unknown, info: { source: string }) => calls.push([v, old, info.source, currentCell()?.executionCount])) as never), registering);
    await s.frontend(w.modelId, { method: "update", state: { value: 4 } });
    const running = cell();
    s.run(() => (w.value = 6), running);
    expect(calls).toEqual([
      [4, 0, "frontend", registering.executionCount],
      [6, 4, "kernel", running.executionCount],
    ]);
  });

  it("reports a handler's error with the cell that registered it, and goes on", async () => {
    const s = widgetSession();
    const w = s.run(() => new s.widgets.Checkbox() as unknown as W);
    const registering = cell();
    s.run(() => w.on("change", (() => Promise.reject(new Error("async boom"))) as never), registering);
    s.run(() => w.on("change", (() => {
      throw new Error("boom");
    }) as never), registering);
    await s.frontend(w.modelId, { method: "update", state: { value: true } });
    await new Promise((r) => setImmediate(r));
    expect(s.errors.map((e) => [e.cell?.executionCount, (e.error as Error).message]).sort()).toEqual([
      [registering.executionCount, "async boom"],
      [registering.executionCount, "boom"],
    ]);
    expect(w.value).toBe(true);
  });

  it("answers request_state with the full state", async () => {
    const s = widgetSession();
    const w = s.run(() => new s.widgets.HTML({ value: "<i>x</i>" }) as unknown as W);
    const mark = s.sent.length;
    await s.frontend(w.modelId, { method: "request_state" });
    const [reply] = s.commData(w.modelId, mark);
    expect(reply?.method).toBe("update");
    expect(reply?.state).toEqual(openState(s, w.modelId));
  });

  it("delivers custom messages both ways, with buffers; a click message fires on('click')", async () => {
    const s = widgetSession();
    const b = s.run(() => new s.widgets.Button() as unknown as W);
    const got: unknown[] = [];
    s.run(() => b.on("custom", ((content: unknown, buffers: Uint8Array[]) => got.push(content, buffers.length)) as never));
    s.run(() => b.on("click", ((button: W) => got.push(button === b ? "clicked" : "other")) as never));
    await s.frontend(b.modelId, { method: "custom", content: { event: "click" } }, [Buffer.from([1])]);
    expect(got).toEqual([{ event: "click" }, 1, "clicked"]);
    const mark = s.sent.length;
    s.run(() => b.send({ hello: 1 }, [new Uint8Array([7, 8])]));
    const msg = s.sent.slice(mark).find((m) => m.msgType === "comm_msg");
    expect(msg?.content.data).toEqual({ method: "custom", content: { hello: 1 } });
    expect(msg?.buffers.map((x) => [...x])).toEqual([[7, 8]]);
  });

  it("keeps a Dropdown's value and label in step with the index the frontend syncs", async () => {
    const s = widgetSession();
    const d = s.run(() => new s.widgets.Dropdown({ options: [["one", 1], ["two", 2], ["three", 3]], value: 2 }) as unknown as W);
    expect(openState(s, d.modelId)).toMatchObject({ _options_labels: ["one", "two", "three"], index: 1 });
    const changes: unknown[] = [];
    s.run(() => d.on("change", ((v: unknown, old: unknown) => changes.push([v, old])) as never));
    await s.frontend(d.modelId, { method: "update", state: { index: 2 } });
    expect([d.value, d.label, changes]).toEqual([3, "three", [[3, 2]]]);
    const mark = s.sent.length;
    s.run(() => (d.value = 1));
    expect(s.commData(d.modelId, mark)).toEqual([{ method: "update", state: { index: 0 }, buffer_paths: [] }]);
    s.run(() => (d.options = ["zero", "one"]));
    expect([d.index, d.value, d.label]).toEqual([1, "one", "one"]);
    expect(() => s.run(() => (d.value = 42))).toThrow("Dropdown: no option has value 42");
    await s.frontend(d.modelId, { method: "update", state: { index: 9 } });
    expect(d.index).toBe(1);
  });

  it("iterates changes, ends when the widget closes, and rejects when the signal aborts", async () => {
    const s = widgetSession();
    const w = s.run(() => new s.widgets.IntSlider() as unknown as W);
    const it1 = s.run(() => w.changes());
    await s.frontend(w.modelId, { method: "update", state: { value: 1 } });
    await s.frontend(w.modelId, { method: "update", state: { value: 2 } });
    const abort = new AbortController();
    const it2 = s.run(() => w.changes("max", { signal: abort.signal }));
    const pending = it2.next();
    abort.abort(new Error("stopped"));
    await expect(pending).rejects.toThrow("stopped");
    expect([(await it1.next()).value, (await it1.next()).value]).toEqual([1, 2]);
    const waiting = it1.next();
    await s.frontendClose(w.modelId);
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(w.isClosed).toBe(true);
  });

  it("refers to layout, style and children as IPY_MODEL_ references opened before the widget", () => {
    const s = widgetSession();
    const a = s.run(() => new s.widgets.Checkbox({ layout: { width: "50px" }, style: { descriptionWidth: "initial" } }) as unknown as W);
    const box = s.run(() => new s.widgets.HBox([a as never]) as unknown as W);
    const opens = s.sent.filter((m) => m.msgType === "comm_open").map((m) => String(m.content.comm_id));
    const state = openState(s, a.modelId);
    const layoutId = String(state.layout).replace("IPY_MODEL_", "");
    expect(opens.indexOf(layoutId)).toBeLessThan(opens.indexOf(a.modelId));
    expect(openState(s, layoutId)).toMatchObject({ _model_name: "LayoutModel", width: "50px" });
    expect(openState(s, String(state.style).replace("IPY_MODEL_", ""))).toMatchObject({ _model_name: "CheckboxStyleModel", description_width: "initial" });
    expect(openState(s, box.modelId).children).toEqual([`IPY_MODEL_${a.modelId}`]);
    const layout = a.layout as W;
    const mark = s.sent.length;
    s.run(() => (layout.height = "20px"));
    expect(s.commData(layout.modelId, mark)).toEqual([{ method: "update", state: { height: "20px" }, buffer_paths: [] }]);
  });

  it("displays as the widget-view mime with a text/plain fallback", () => {
    const s = widgetSession();
    const w = s.run(() => new s.widgets.IntSlider({ value: 3, min: 1, description: "limit" }) as unknown as W);
    const bundle = (w as unknown as Record<symbol, () => Record<string, unknown>>)[Symbol.for("Jupyter.display")]?.();
    expect(bundle).toEqual({
      "application/vnd.jupyter.widget-view+json": { model_id: w.modelId, version_major: 2, version_minor: 0 },
      "text/plain": 'IntSlider(description: "limit", min: 1, value: 3)',
    });
    s.run(() => w.close());
    expect(s.sent.at(-1)?.msgType).toBe("comm_close");
  });

  it("captures output into an Output widget until a promise settles", async () => {
    const s = widgetSession();
    const out = s.run(() => new s.widgets.Output() as unknown as W & { capture<T>(fn: () => T): T });
    const mark = s.sent.length;
    let release: () => void = () => {};
    const done = s.run(() => out.capture(() => new Promise<void>((r) => (release = r))));
    expect(out.msgId).toBe(s.cell.parent.msg_id);
    release();
    await done;
    expect(out.msgId).toBe("");
    expect(s.commData(out.modelId, mark).map((d) => (d.state as { msg_id: string }).msg_id)).toEqual([s.cell.parent.msg_id, ""]);
    expect(() => s.run(() => (out.outputs = []))).toThrow("Output.outputs is read-only");
  });
});
