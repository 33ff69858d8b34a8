// Rich display: values → mime bundles, and the display API cells use (display, html, markdown, svg, png,
// jpeg, json, latex, clearOutput). Objects implementing [Symbol.for("Jupyter.display")]() display richly —
// the same protocol as Deno's kernel, so objects written for one display in both.
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import type { JSONObject, MimeBundle } from "../protocol/messages.js";

export const DISPLAY_SYMBOL = Symbol.for("Jupyter.display");

/** On a value the cell API returns only for chaining: `true` — not echoed when it is a cell's value straight from a
 *  call (`display(x)`, as IPython returns nothing); a set of method names — not echoed when the cell's last
 *  expression calls one of them (`slider.on("change", f)`), while `slider` alone still displays. */
export const NO_ECHO = Symbol.for("tsloop.noEcho");

/** Whether a cell's value, computed by a call of `callee`, is a chaining return that is not echoed. */
export function isChainingReturn(value: unknown, callee: string | undefined): boolean {
  if (callee === undefined || (typeof value !== "object" && typeof value !== "function") || value === null) return false;
  try {
    const mark = (value as { [NO_ECHO]?: unknown })[NO_ECHO];
    return mark === true || (mark instanceof Set && mark.has(callee));
  } catch {
    return false;
  }
}

export interface Displayable {
  [DISPLAY_SYMBOL](): MimeBundle;
}

export interface Rendered {
  data: MimeBundle;
  metadata: JSONObject;
}

export function isDisplayable(value: unknown): value is Displayable {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as Displayable)[DISPLAY_SYMBOL] === "function";
}

/** The mime bundle of a value; `text/plain` is always present. Throws what a display method throws, and for a
 *  display method that returns a promise (allowed by Deno's protocol: use renderAsync). */
export function render(value: unknown): Rendered {
  if (isDisplayable(value)) {
    const bundle: unknown = value[DISPLAY_SYMBOL]();
    if (isThenable(bundle)) {
      throw new TypeError(`[Symbol.for("Jupyter.display")]() returned a promise; show such a value with \`await Deno.jupyter.display(value)\` or as a cell's last expression`);
    }
    return fromBundle(value, bundle);
  }
  return { data: { "text/plain": plainText(value) }, metadata: {} };
}

/** Like render, but awaits a display method that returns a promise of its bundle. */
export async function renderAsync(value: unknown): Promise<Rendered> {
  if (!isDisplayable(value)) return render(value);
  const bundle: unknown = await (value[DISPLAY_SYMBOL]() as unknown);
  return fromBundle(value, bundle);
}

/**
 * A cell's result whose display method is an `async` function (Deno's protocol allows a promise of the bundle):
 * the bundle awaited, as a displayable that shows it. Any other value is returned as it is, its method not called.
 * Boxed, so that a promise value stays a promise (shown as `Promise { 1 }`) instead of being adopted by this one.
 */
export async function settleAsyncDisplay(value: unknown): Promise<{ value: unknown }> {
  if (!isDisplayable(value) || !isAsyncFunction(value[DISPLAY_SYMBOL])) return { value };
  const bundle: unknown = await (value[DISPLAY_SYMBOL]() as unknown);
  const plain = plainText(value);
  return { value: { [DISPLAY_SYMBOL]: () => bundle, [inspect.custom]: () => plain } };
}

function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === "function" && Object.prototype.toString.call(fn) === "[object AsyncFunction]";
}

function fromBundle(value: unknown, bundle: unknown): Rendered {
  if (typeof bundle !== "object" || bundle === null) {
    throw new TypeError(`[Symbol.for("Jupyter.display")]() must return a mime bundle object, got ${bundle === null ? "null" : typeof bundle}`);
  }
  const data: MimeBundle = { ...(bundle as MimeBundle) };
  if (!("text/plain" in data)) data["text/plain"] = plainText(value);
  return { data, metadata: {} };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

export function plainText(value: unknown): string {
  if (typeof value === "string") return inspect(value);
  hideAsyncBookkeeping(value);
  return inspect(value, { depth: 4, maxArrayLength: 100, maxStringLength: 10_000, breakLength: 100 });
}

/** Symbols Node's async context tracking puts on promises and timers; enumerable, so inspect would show the
 *  kernel's cell context inside a user's `Promise { 1 }` or Timeout. */
const BOOKKEEPING = new Set(["async_id_symbol", "trigger_async_id_symbol", "kResourceStore", "kHasPrimitive"]);
const MAX_WALK = 2000;

/** Makes those properties non-enumerable (Node reads them by key; enumerability is only for display). */
function hideAsyncBookkeeping(root: unknown): void {
  const seen = new Set<object>();
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0 && seen.size < MAX_WALK) {
    const [value, depth] = stack.pop() as [unknown, number];
    if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) continue;
    seen.add(value);
    let keys: (string | symbol)[];
    try {
      keys = Reflect.ownKeys(value);
    } catch {
      continue;
    }
    for (const key of keys) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (!descriptor) continue;
      if (typeof key === "symbol" && BOOKKEEPING.has(key.description ?? "") && descriptor.enumerable && descriptor.configurable) {
        Object.defineProperty(value, key, { enumerable: false });
      } else if (depth < 4 && "value" in descriptor && descriptor.enumerable) {
        stack.push([descriptor.value, depth + 1]);
      }
    }
  }
}

function bundle(data: MimeBundle, plain: string): Displayable {
  return {
    [DISPLAY_SYMBOL]: () => ({ "text/plain": plain, ...data }),
    [inspect.custom]: () => plain,
  } as Displayable;
}

export function html(markup: string): Displayable {
  return bundle({ "text/html": String(markup) }, "<HTML>");
}
export function markdown(text: string): Displayable {
  return bundle({ "text/markdown": String(text) }, String(text));
}
export function svg(markup: string): Displayable {
  return bundle({ "image/svg+xml": String(markup) }, "<SVG>");
}
export function latex(text: string): Displayable {
  return bundle({ "text/latex": String(text) }, String(text));
}
export function json(value: unknown): Displayable {
  return bundle({ "application/json": JSON.parse(JSON.stringify(value ?? null)) as unknown }, plainText(value));
}
function image(mime: string, name: string) {
  return (data: Uint8Array | ArrayBuffer | string): Displayable => {
    const base64 = typeof data === "string" ? data : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString("base64");
    return bundle({ [mime]: base64 }, `<${name} image>`);
  };
}
export const png = image("image/png", "PNG");
export const jpeg = image("image/jpeg", "JPEG");

export function newDisplayId(): string {
  return randomUUID();
}
