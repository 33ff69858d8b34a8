// Compatibility with notebooks written for other JavaScript kernels: the `tslab` module (used when no tslab package
// is installed in the notebook's folder) and the `Deno` global (Deno.jupyter only). Both publish through the
// runtime's OutputSink for the cell whose code is running.
import type { JSONObject } from "../../protocol/messages.js";
import { currentCell } from "../context.js";
import { newDisplayId, settleAsyncDisplay } from "../display.js";
import type { OutputSink } from "../output.js";
import { createDeno } from "./deno.js";
import { createTslabModule, type EmitDisplay } from "./tslab.js";
import { type PropertyPatch, defineValue } from "../patches/table.js";

function runningCell(what: string) {
  const ctx = currentCell();
  if (!ctx) throw new Error(`${what} can only be called from code a cell started`);
  return ctx;
}

/** display_data / update_display_data for the running cell, with the display id (if any) as transient data. */
function emitter(output: OutputSink, what: string): EmitDisplay {
  return (data, displayId, update) => {
    const ctx = runningCell(what);
    const transient = displayId === undefined ? {} : { display_id: displayId };
    output.publish(ctx.parent, update ? "update_display_data" : "display_data", { data, metadata: {}, transient } as JSONObject);
  };
}

/** Modules the kernel provides by bare name, for FallbackModules. */
export function compatModules(output: OutputSink): Record<string, () => unknown> {
  return { tslab: () => createTslabModule(emitter(output, "tslab's display"), newDisplayId) };
}

/** The patch that defines the `Deno` global (non-enumerable, replaceable by a cell's own declaration). */
export function denoGlobalPatch(output: OutputSink): PropertyPatch {
  const deno = createDeno({
    emit: emitter(output, "Deno.jupyter.display()"),
    broadcast: (msgType, content, metadata, buffers) => output.publish(runningCell("Deno.jupyter.broadcast()").parent, msgType, content, metadata, buffers),
  });
  return defineValue("globalThis.Deno", globalThis, "Deno", deno, { enumerable: false, writable: true });
}

/** A cell's completion value with an `async` display method (Deno's `$display` may be one) settled before rendering. */
export async function settleResult(completion: { value: unknown } | undefined): Promise<{ value: unknown } | undefined> {
  return completion === undefined ? undefined : settleAsyncDisplay(completion.value);
}
