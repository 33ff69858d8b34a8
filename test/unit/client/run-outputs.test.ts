// iopub messages → saved nbformat outputs, as JupyterLab's output area builds them.
import { describe, expect, it } from "vitest";
import type { NotebookCell } from "../../../src/cli/run-notebook.js";
import { OutputRecorder } from "../../../src/cli/run-outputs.js";

const cell = (): NotebookCell => ({ id: "c", cell_type: "code", source: "", metadata: {}, outputs: [], execution_count: null });
const stream = (text: string, name = "stdout") => ({ msgType: "stream", content: { name, text } });
const display = (plain: string, displayId?: string) => ({
  msgType: "display_data",
  content: { data: { "text/plain": plain }, metadata: {}, ...(displayId ? { transient: { display_id: displayId } } : {}) },
});

describe("OutputRecorder", () => {
  it("merges consecutive stream text of the same name only", () => {
    const c = cell();
    const r = new OutputRecorder();
    for (const m of [stream("a"), stream("b\n"), stream("err", "stderr"), stream("c")]) r.apply(c, m);
    expect(c.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "ab\n" },
      { output_type: "stream", name: "stderr", text: "err" },
      { output_type: "stream", name: "stdout", text: "c" },
    ]);
  });

  it("saves display_data, execute_result and error in nbformat's shapes, without transient", () => {
    const c = cell();
    const r = new OutputRecorder();
    r.apply(c, display("<HTML>", "d1"));
    r.apply(c, { msgType: "execute_result", content: { execution_count: 3, data: { "text/plain": "42" }, metadata: { m: 1 } } });
    r.apply(c, { msgType: "error", content: { ename: "TypeError", evalue: "x", traceback: ["t1", "t2"] } });
    expect(c.outputs).toEqual([
      { output_type: "display_data", data: { "text/plain": "<HTML>" }, metadata: {} },
      { output_type: "execute_result", execution_count: 3, data: { "text/plain": "42" }, metadata: { m: 1 } },
      { output_type: "error", ename: "TypeError", evalue: "x", traceback: ["t1", "t2"] },
    ]);
  });

  it("applies update_display_data to every saved output with that display_id, in any cell", () => {
    const a = cell();
    const b = cell();
    const r = new OutputRecorder();
    r.apply(a, display("0%", "progress"));
    r.apply(b, display("also 0%", "progress"));
    r.apply(b, display("other", "other"));
    expect(r.apply(b, { msgType: "update_display_data", content: { data: { "text/plain": "100%" }, metadata: {}, transient: { display_id: "progress" } } })).toBe(true);
    expect(a.outputs?.[0]).toEqual({ output_type: "display_data", data: { "text/plain": "100%" }, metadata: {} });
    expect(b.outputs?.map((o) => (o as { data: Record<string, unknown> }).data["text/plain"])).toEqual(["100%", "other"]);
    expect(r.apply(a, { msgType: "update_display_data", content: { data: {}, metadata: {}, transient: { display_id: "unknown" } } })).toBe(false);
  });

  it("clear_output empties at once, or with wait at the next output", () => {
    const c = cell();
    const r = new OutputRecorder();
    r.apply(c, stream("a"));
    r.apply(c, { msgType: "clear_output", content: { wait: false } });
    expect(c.outputs).toEqual([]);
    r.apply(c, stream("b"));
    r.apply(c, { msgType: "clear_output", content: { wait: true } });
    expect(c.outputs).toHaveLength(1);
    r.apply(c, stream("c"));
    expect(c.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "c" }]);
  });

  it("ignores messages that are not outputs, and reset empties a cell", () => {
    const c = cell();
    const r = new OutputRecorder();
    expect(r.apply(c, { msgType: "status", content: { execution_state: "idle" } })).toBe(false);
    r.apply(c, stream("x"));
    c.execution_count = 4;
    r.reset(c);
    expect(c).toMatchObject({ outputs: [], execution_count: null });
  });
});
