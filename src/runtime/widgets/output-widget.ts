// The Output widget (@jupyter-widgets/output 1.0.0): captures a cell's output into the widget the way
// ipywidgets' `with out:` does — its `msg_id` state is set to the capturing cell's execute_request msg_id, and
// the frontend diverts every iopub output with that parent into the widget until `msg_id` is set back to "".
import { currentCell } from "../context.js";
import { render } from "../display.js";
import type { OutputSink } from "../output.js";
import { OUTPUT } from "./protocol.js";
import { parts } from "./layout-style.js";
import { t, type TraitTable } from "./traits.js";
import { defineAccessors, type ModelSpec, Widget } from "./widget.js";

const TRAITS: TraitTable = {
  domClasses: t.json([], "_dom_classes"),
  layout: t.widget(),
  msgId: t.string(""),
  outputs: { ...t.json([]), readOnly: true },
  tabbable: t.nullable("bool"),
  tooltip: t.nullable("string"),
};
export const OUTPUT_SPEC: ModelSpec = { name: "Output", model: "OutputModel", view: "OutputView", module: OUTPUT, traits: TRAITS, parts: parts() };

let sink: OutputSink | undefined;
/** The runtime's output sink, for `clear()` (set when the widget API is installed). */
export function setOutputWidgetSink(output: OutputSink): void {
  sink = output;
}

export class Output extends Widget {
  private depth = 0;

  constructor(options: Record<string, unknown> = {}) {
    super(OUTPUT_SPEC, options);
  }

  /**
   * Runs `fn` with the running cell's output going into this widget (sync or async: for a promise, until it
   * settles). Everything the cell prints meanwhile — from any of its tasks — is captured. Errors propagate.
   */
  capture<T>(fn: () => T): T {
    const ctx = currentCell();
    if (!ctx) throw new Error("Output.capture() can only be called from code a cell started");
    const previous = this.get("msgId");
    this.depth++;
    this.set({ msgId: ctx.parent.msg_id });
    const restore = () => {
      this.depth--;
      this.set({ msgId: this.depth === 0 ? "" : previous });
    };
    let result: T;
    try {
      result = fn();
    } catch (err) {
      restore();
      throw err;
    }
    if (result instanceof Promise) return result.finally(restore) as T;
    restore();
    return result;
  }

  /** Clears the widget (a `clear_output` sent while capturing, as ipywidgets does); with wait, when the next output arrives. */
  clear(options: { wait?: boolean } = {}): void {
    this.capture(() => {
      const ctx = currentCell();
      if (ctx && sink) sink.publish(ctx.parent, "clear_output", { wait: options.wait === true });
    });
  }

  /** Appends text to the widget as stdout, without capturing (ipywidgets' `append_stdout`). */
  appendStdout(text: string): void {
    this.append({ output_type: "stream", name: "stdout", text: String(text) });
  }

  appendStderr(text: string): void {
    this.append({ output_type: "stream", name: "stderr", text: String(text) });
  }

  /** Appends a rich display of `value` to the widget (ipywidgets' `append_display_data`). */
  appendDisplay(value: unknown): void {
    const { data, metadata } = render(value);
    this.append({ output_type: "display_data", data, metadata });
  }

  private append(output: Record<string, unknown>): void {
    this.assign({ outputs: [...(this.get("outputs") as unknown[]), output] });
  }
}
defineAccessors(Output, TRAITS);
