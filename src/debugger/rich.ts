// richInspectVariables: a variable's rich display, what `display(x)` would show, rendered on the main thread by
// the runtime's own renderer (reached through the main module's require cache, so it is the same instance).
import { join } from "node:path";
import type { Cdp, EvaluateResult } from "./cdp.js";
import { DapError } from "./dap.js";
import { type PausedState, checked } from "./frames.js";

const RENDERER = join(__dirname, "..", "runtime", "display.js");
const NAME = /^[\p{L}_$][\p{L}\p{N}_$]*(?:\.[\p{L}_$][\p{L}\p{N}_$]*)*$/u;

export async function richInspect(cdp: Cdp, variableName: string, paused: PausedState | undefined, frameId: unknown): Promise<Record<string, unknown>> {
  if (!NAME.test(variableName)) throw new DapError(`richInspectVariables: ${JSON.stringify(variableName)} is not a variable name`);
  const expression = `JSON.stringify(globalThis.process.mainModule.require(${JSON.stringify(RENDERER)}).render(${variableName}))`;
  const value = paused
    ? await paused.evaluate(expression, typeof frameId === "number" ? frameId : undefined, false)
    : checked(await cdp.post<EvaluateResult>("Runtime.evaluate", { expression }));
  if (typeof value.value !== "string") throw new DapError(`richInspectVariables: ${variableName} could not be rendered`);
  const rendered = JSON.parse(value.value) as { data?: unknown; metadata?: unknown };
  return { data: rendered.data ?? {}, metadata: rendered.metadata ?? {} };
}
