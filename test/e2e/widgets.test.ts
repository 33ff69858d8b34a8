// Jupyter widgets through the real kernel, with this test as the frontend: kernel-opened widget comms carry
// states that validate against @jupyter-widgets/schema's model spec and the installed controls/base versions;
// frontend `update`s change `.value`, are echoed, and fire change handlers in the cell that registered them;
// clicks, request_state, the control comm, Output capture and progress() work as ipywidgets 8 does.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KernelClient, kernelBuilt, parentId, plain, type Received } from "../helpers/kernel-client.js";
import { controlsDefines, installedVersions, validateState } from "../unit/widgets/widget-schema.js";

const VIEW_MIME = "application/vnd.jupyter.widget-view+json";
type State = Record<string, unknown>;

describe.runIf(kernelBuilt())("widgets through the real kernel", () => {
  let kernel: KernelClient;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsloop-widgets-"));
    kernel = await KernelClient.start({ cwd: dir, env: { JUPYTER_DATA_DIR: join(dir, "data") } });
  });

  afterAll(async () => {
    await kernel?.close();
  });

  /** Every widget state the kernel opened so far, by model id (what a frontend's manager would hold). */
  const opened = (): Map<string, State> =>
    new Map(
      kernel.messages
        .filter((m) => m.header.msg_type === "comm_open" && m.content.target_name === "jupyter.widget")
        .map((m) => [String(m.content.comm_id), (m.content.data as { state: State }).state]),
    );

  /** The model id of the widget a cell displayed (its first widget-view display or result). */
  const modelIdShown = (messages: Received[]): string => {
    const shown = messages.find((m) => (m.content.data as Record<string, unknown> | undefined)?.[VIEW_MIME] !== undefined);
    return String(((shown?.content.data as Record<string, unknown>)[VIEW_MIME] as { model_id: string }).model_id);
  };

  const commMsgs = (commId: string, method: string, since = 0): Received[] =>
    kernel.messages.slice(since).filter((m) => m.header.msg_type === "comm_msg" && m.content.comm_id === commId && (m.content.data as { method?: string }).method === method);

  const frontendUpdate = (commId: string, state: State) => kernel.send("shell", "comm_msg", { comm_id: commId, data: { method: "update", state, buffer_paths: [] } });

  it("opens every core control with a state that validates against the installed widget schema", async () => {
    const cell = await kernel.execute(
      [
        "const all = [",
        "  new widgets.IntSlider({ value: 3, min: 1, max: 10, description: 'limit' }),",
        "  new widgets.FloatSlider({ value: 0.5, max: 1, step: 0.05 }),",
        "  new widgets.IntProgress({ value: 2, max: 5, barStyle: 'info' }),",
        "  new widgets.FloatProgress({ value: 0.25, max: 1 }),",
        "  new widgets.Button({ description: 'go', buttonStyle: 'primary', layout: { width: '120px' } }),",
        "  new widgets.Checkbox({ value: true, description: 'on' }),",
        "  new widgets.Text({ value: 'hi', placeholder: 'type' }),",
        "  new widgets.HTML({ value: '<b>bold</b>' }),",
        "  new widgets.Dropdown({ options: [['one', 1], ['two', 2]], value: 2 }),",
        "  new widgets.Output(),",
        "];",
        "display(new widgets.VBox([new widgets.HBox(all.slice(0, 5)), new widgets.HBox(all.slice(5))]));",
      ].join("\n"),
    );
    expect(cell.reply.content.status).toBe("ok");
    const opens = cell.iopub.filter((m) => m.header.msg_type === "comm_open");
    expect(opens.length).toBeGreaterThanOrEqual(12 + 10 + 9);
    const versions = installedVersions();
    expect(versions.protocol).toBe("2.1.0");
    const seen = new Map<string, State>();
    const models = new Set<string>();
    for (const open of opens) {
      expect(open.content.target_name).toBe("jupyter.widget");
      expect(open.metadata).toEqual({ version: versions.protocol });
      const data = open.content.data as { state: State; buffer_paths: unknown };
      expect(data.buffer_paths).toEqual([]);
      const state = data.state;
      expect(validateState(state, seen)).toEqual([]);
      const module = String(state._model_module);
      const expected = module === "@jupyter-widgets/controls" ? versions.controls : module === "@jupyter-widgets/base" ? versions.base : versions.output;
      expect(state._model_module_version).toBe(expected);
      if (module === "@jupyter-widgets/controls") expect(controlsDefines(String(state._model_name), state._view_name as string | null)).toBe(true);
      seen.set(String(open.content.comm_id), state);
      models.add(String(state._model_name));
    }
    for (const name of ["IntSlider", "FloatSlider", "IntProgress", "FloatProgress", "Button", "Checkbox", "Text", "HTML", "Dropdown", "Output", "HBox", "VBox", "Layout"]) {
      expect(models).toContain(`${name}Model`);
    }
    const slider = [...seen.values()].find((s) => s._model_name === "IntSliderModel");
    expect(slider).toMatchObject({ value: 3, min: 1, max: 10, description: "limit" });
    expect([...seen.values()].find((s) => s._model_name === "DropdownModel")).toMatchObject({ _options_labels: ["one", "two"], index: 1 });
    const shown = cell.outputs.displays[0]?.content.data as Record<string, unknown>;
    expect(shown[VIEW_MIME]).toEqual({ model_id: expect.any(String), version_major: 2, version_minor: 0 });
    expect(String(shown["text/plain"])).toMatch(/^VBox\(/);
    expect(seen.get((shown[VIEW_MIME] as { model_id: string }).model_id)?._model_name).toBe("VBoxModel");
    expect(kernel.violations).toEqual([]);
  });

  it("applies a frontend update to .value, echoes it, and runs the change handler in its cell", async () => {
    const made = await kernel.execute("const s = new widgets.IntSlider({ value: 3, min: 1, max: 10 });\ns");
    const id = modelIdShown(made.outputs.results);
    const listen = await kernel.execute("s.on('change', (value, old, info) => console.log(`limit ${old} -> ${value} (${info.source})`));");
    const mark = kernel.messages.length;
    const update = frontendUpdate(id, { value: 7 });
    const printed = await kernel.waitFor((m) => m.header.msg_type === "stream" && String(m.content.text).includes("limit 3 -> 7 (frontend)"));
    expect(parentId(printed)).toBe(listen.request.msg_id);
    await kernel.idle(update.msg_id);
    const echo = commMsgs(id, "echo_update", mark);
    expect(echo.map((m) => (m.content.data as { state: State }).state)).toEqual([{ value: 7 }]);
    expect(commMsgs(id, "update", mark)).toEqual([]);
    expect(plain((await kernel.execute("s.value")).outputs.results[0])).toBe("7");
  });

  it("sends a cell's assignment as an update parented to that cell, and fires the handler with source kernel", async () => {
    const mark = kernel.messages.length;
    const cell = await kernel.execute("s.value = 9;");
    const [update] = commMsgs(modelIdShown((await kernel.execute("s")).outputs.results), "update", mark);
    expect((update?.content.data as { state: State }).state).toEqual({ value: 9 });
    expect(parentId(update as Received)).toBe(cell.request.msg_id);
    expect(cell.outputs.stdout).toContain("limit 7 -> 9 (kernel)");
  });

  it("clamps an out-of-range frontend value and sends the kernel's value back", async () => {
    const id = modelIdShown((await kernel.execute("s")).outputs.results);
    const mark = kernel.messages.length;
    const update = frontendUpdate(id, { value: 50 });
    await kernel.idle(update.msg_id);
    await kernel.waitFor((m) => m.header.msg_type === "comm_msg" && (m.content.data as { method?: string }).method === "update" && m.content.comm_id === id);
    expect(commMsgs(id, "update", mark).map((m) => (m.content.data as { state: State }).state)).toEqual([{ value: 10 }]);
    expect(plain((await kernel.execute("s.value")).outputs.results[0])).toBe("10");
  });

  it("answers request_state with the full state", async () => {
    const id = modelIdShown((await kernel.execute("s")).outputs.results);
    const mark = kernel.messages.length;
    kernel.send("shell", "comm_msg", { comm_id: id, data: { method: "request_state" } });
    const reply = await kernel.waitFor((m) => kernel.messages.indexOf(m) >= mark && m.header.msg_type === "comm_msg" && m.content.comm_id === id && (m.content.data as { method?: string }).method === "update");
    const state = (reply.content.data as { state: State }).state;
    expect(state).toMatchObject({ _model_name: "IntSliderModel", value: 10, min: 1, max: 10 });
    expect(validateState(state, opened())).toEqual([]);
  });

  it("fires on('click') for a button's custom click message, in the registering cell", async () => {
    const cell = await kernel.execute("let clicks = 0;\nconst b = new widgets.Button({ description: 'go' });\nb.on('click', () => console.log(`click ${++clicks}`));\nb");
    const id = modelIdShown(cell.outputs.results);
    kernel.send("shell", "comm_msg", { comm_id: id, data: { method: "custom", content: { event: "click" } } });
    const printed = await kernel.waitFor((m) => m.header.msg_type === "stream" && String(m.content.text).includes("click 1"));
    expect(parentId(printed)).toBe(cell.request.msg_id);
  });

  it("streams frontend changes through changes() in a task the cell does not await", async () => {
    const cell = await kernel.execute(
      "const t = new widgets.Text({ value: '' });\nconst seenText: string[] = [];\nvoid (async () => { for await (const v of t.changes()) { seenText.push(v); if (v === 'c') break; } console.log('texts', seenText.join(',')); })();\nt",
    );
    const id = modelIdShown(cell.outputs.results);
    for (const value of ["a", "b", "c"]) frontendUpdate(id, { value });
    const printed = await kernel.waitFor((m) => m.header.msg_type === "stream" && String(m.content.text).includes("texts"));
    expect(String(printed.content.text)).toContain("texts a,b,c");
    expect(parentId(printed)).toBe(cell.request.msg_id);
  });

  it("captures output into an Output widget by setting its msg_id to the cell's", async () => {
    const cell = await kernel.execute("const out = new widgets.Output();\ndisplay(out);\nout.capture(() => console.log('inside'));\nconsole.log('outside');");
    const id = modelIdShown(cell.outputs.displays);
    const seq = cell.iopub.filter((m) => (m.header.msg_type === "comm_msg" && m.content.comm_id === id) || m.header.msg_type === "stream");
    const shape = seq.map((m) => (m.header.msg_type === "stream" ? `stream:${String(m.content.text).trim()}` : `msg_id=${String((m.content.data as { state: State }).state.msg_id)}`));
    expect(shape).toEqual([`msg_id=${cell.request.msg_id}`, "stream:inside", "msg_id=", "stream:outside"]);
  });

  it("shows progress() as an IntProgress widget with a text fallback updated in place", async () => {
    const cell = await kernel.execute("const doubled = await progress([1, 2, 3].map(async (x) => { await sleep(5 * x); return x * 2; }), { label: 'double' });\ndoubled");
    expect(cell.reply.content.status).toBe("ok");
    expect(plain(cell.outputs.results[0])).toBe("[ 2, 4, 6 ]");
    const first = cell.outputs.displays[0];
    const displayId = (first?.content.transient as { display_id: string }).display_id;
    const data = first?.content.data as Record<string, unknown>;
    expect(data[VIEW_MIME]).toMatchObject({ version_major: 2, version_minor: 0 });
    expect(String(data["text/plain"])).toMatch(/^double: 0\/3 \[-+\] 0%/);
    const last = cell.outputs.updates.filter((m) => (m.content.transient as { display_id?: string }).display_id === displayId).at(-1);
    expect(String((last?.content.data as Record<string, unknown>)["text/plain"])).toMatch(/^double: 3\/3 \[#+\] 100% done in/);
    const barId = (data[VIEW_MIME] as { model_id: string }).model_id;
    const bar = opened().get(barId);
    expect(validateState(bar as State, opened())).toEqual([]);
    const final = commMsgs(barId, "update").at(-1);
    expect((final?.content.data as { state: State }).state).toMatchObject({ value: 3, bar_style: "success" });
  });

  it("answers request_states on the jupyter.widget.control comm with every live widget", async () => {
    const commId = randomUUID();
    kernel.send("shell", "comm_open", { comm_id: commId, target_name: "jupyter.widget.control", data: {} }, { version: "1.0.0" });
    kernel.send("shell", "comm_msg", { comm_id: commId, data: { method: "request_states" } });
    const reply = await kernel.waitFor((m) => m.header.msg_type === "comm_msg" && m.content.comm_id === commId);
    const data = reply.content.data as { method: string; states: Record<string, State>; buffer_paths: unknown[] };
    expect(data.method).toBe("update_states");
    const sliderId = modelIdShown((await kernel.execute("s")).outputs.results);
    expect(data.states[sliderId]).toMatchObject({ _model_name: "IntSliderModel", value: 10 });
    expect(data.buffer_paths).toEqual([]);
  });

  it("shows a change handler's error in the cell that registered it, and keeps the widget working", async () => {
    const cell = await kernel.execute("const c = new widgets.Checkbox();\nc.on('change', (v) => { if (v) throw new Error('handler failed'); });\nc");
    const id = modelIdShown(cell.outputs.results);
    frontendUpdate(id, { value: true });
    const error = await kernel.waitFor((m) => m.header.msg_type === "error" && String(m.content.evalue).includes("handler failed"));
    expect(parentId(error)).toBe(cell.request.msg_id);
    expect(plain((await kernel.execute("c.value")).outputs.results[0])).toBe("true");
  });

  it("closes a widget the frontend closes, ending its change iterators", async () => {
    const cell = await kernel.execute("const h = new widgets.HTML({ value: 'x' });\nvoid (async () => { for await (const _ of h.changes()) {} console.log('iterator ended'); })();\nh");
    const id = modelIdShown(cell.outputs.results);
    kernel.send("shell", "comm_close", { comm_id: id, data: {} });
    await kernel.waitFor((m) => m.header.msg_type === "stream" && String(m.content.text).includes("iterator ended"));
    expect(plain((await kernel.execute("h.isClosed")).outputs.results[0])).toBe("true");
  });

  it("rejects invalid values with an error that says what was expected", async () => {
    const cell = await kernel.execute("// @ts-nocheck\ns.value = 2.5");
    expect(cell.reply.content.status).toBe("error");
    expect(String(cell.reply.content.evalue)).toContain("IntSlider.value: expected an integer, received number 2.5");
  });
});
