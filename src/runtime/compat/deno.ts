// The `Deno` global for notebooks written for Deno's kernel: `Deno.jupyter` (display, format, html, md, svg, image,
// broadcast, $display) mapped onto tsloop's display messages. Nothing else of Deno's runtime is pretended: cell code
// that reads any other member gets an error naming what is supported. Library code reads such members as absent
// (undefined), because packages that detect their runtime (`typeof Deno !== "undefined" && Deno.build != null`, as
// several SDKs do) must not fail inside a notebook. Types for the checker: DENO_DTS in ./types.ts.
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { isCellScript } from "../../session/plan.js";
import type { JSONObject, MimeBundle } from "../../protocol/messages.js";
import { DISPLAY_SYMBOL, html, jpeg, markdown, png, renderAsync, svg, type Displayable } from "../display.js";
import type { EmitDisplay } from "./tslab.js";

export interface DenoDeps {
  emit: EmitDisplay;
  /** publishes any iopub message for the running cell */
  broadcast: (msgType: string, content: JSONObject, metadata: JSONObject, buffers: Buffer[]) => void;
}

interface DisplayOptions {
  raw?: boolean;
  update?: boolean;
  display_id?: string;
}

export const DENO_JUPYTER_MEMBERS = ["display", "format", "html", "md", "svg", "image", "broadcast", "$display"] as const;
const SUPPORTED = `Deno.jupyter.${DENO_JUPYTER_MEMBERS.join(", Deno.jupyter.")}`;

/** `strings[0] + values[0] + strings[1] + …`, as Deno's tagged templates join them (undefined as ""). */
function joinTemplate(strings: TemplateStringsArray | readonly string[], values: unknown[]): string {
  if (!Array.isArray(strings)) throw new TypeError("use it as a tagged template: Deno.jupyter.html`<b>${x}</b>`");
  return strings.reduce((text: string, part: string, i: number) => text + part + (i < values.length && values[i] !== undefined ? String(values[i]) : ""), "");
}

/** PNG and JPEG by their first bytes (Deno's `image` accepts exactly these two). */
function imageOf(bytes: Uint8Array, what: string): Displayable {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return png(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpeg(bytes);
  throw new TypeError(`Deno.jupyter.image: ${what} is neither a PNG nor a JPEG image (the two formats it displays)`);
}

function createJupyter(deps: DenoDeps): Record<string, unknown> {
  const format = async (obj: unknown): Promise<MimeBundle> => (await renderAsync(obj)).data;
  return {
    $display: DISPLAY_SYMBOL,
    format,
    async display(obj: unknown, options: DisplayOptions = {}): Promise<void> {
      let data: MimeBundle;
      if (options.raw === true) {
        if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new TypeError(`Deno.jupyter.display(bundle, { raw: true }) expects a mime bundle object, got ${Array.isArray(obj) ? "an array" : typeof obj}`);
        data = { ...(obj as MimeBundle) };
      } else {
        data = await format(obj);
      }
      if (options.update === true && options.display_id === undefined) throw new TypeError("Deno.jupyter.display(…, { update: true }) needs the display_id of the output to update");
      deps.emit(data, options.display_id, options.update === true);
    },
    html: (strings: TemplateStringsArray, ...values: unknown[]) => html(joinTemplate(strings, values)),
    md: (strings: TemplateStringsArray, ...values: unknown[]) => markdown(joinTemplate(strings, values)),
    svg: (strings: TemplateStringsArray, ...values: unknown[]) => svg(joinTemplate(strings, values)),
    image(pathOrBytes: string | Uint8Array): Displayable {
      if (typeof pathOrBytes === "string") return imageOf(readFileSync(pathOrBytes), pathOrBytes);
      if (pathOrBytes instanceof Uint8Array) return imageOf(pathOrBytes, "the bytes given");
      throw new TypeError(`Deno.jupyter.image expects a file path or a Uint8Array, got ${typeof pathOrBytes}`);
    },
    async broadcast(msgType: string, content: Record<string, unknown>, extra: { metadata?: Record<string, unknown>; buffers?: Uint8Array[] } = {}): Promise<void> {
      if (typeof msgType !== "string" || msgType === "") throw new TypeError("Deno.jupyter.broadcast(msgType, content): msgType must be a message type such as \"comm_msg\"");
      const buffers = (extra.buffers ?? []).map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
      deps.broadcast(msgType, (content ?? {}) as JSONObject, (extra.metadata ?? {}) as JSONObject, buffers);
    },
  };
}

export class DenoUnsupportedError extends Error {
  override name = "DenoUnsupported";
}

/** Whether the code reading a member is a cell's own (its script file, or a user expression), not a library's. */
function readByCell(trap: (...args: never[]) => unknown): boolean {
  const original = Error.prepareStackTrace;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  try {
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.captureStackTrace(holder, trap);
    const file = holder.stack?.[0]?.getFileName() ?? "";
    return isCellScript(file) || file === "user_expression";
  } finally {
    Error.prepareStackTrace = original;
  }
}

/** Reads of `target`'s own members pass; any other string member throws for a cell and is absent for a library.
 *  Symbols (inspect, toStringTag) read through. */
function only(target: Record<string, unknown>, path: string): object {
  const get = (t: Record<string, unknown>, property: string | symbol, receiver: unknown): unknown => {
    if (typeof property === "symbol" || Object.hasOwn(t, property)) return Reflect.get(t, property, receiver) as unknown;
    if (!readByCell(get)) return undefined;
    throw new DenoUnsupportedError(
      `${path}.${property} is not available in tsloop: the Deno global exists only for Deno's Jupyter display API (${SUPPORTED}). ` +
        "tsloop runs on Node.js: use Node's APIs instead (node:fs, process.env, fetch…).",
    );
  };
  return new Proxy(target, {
    get,
    set(_t, property) {
      throw new DenoUnsupportedError(`cannot set ${path}.${String(property)}: the Deno global of tsloop is read-only`);
    },
  });
}

/** The `Deno` global: `{ jupyter }` and nothing else. */
export function createDeno(deps: DenoDeps): object {
  const jupyter = only(createJupyter(deps), "Deno.jupyter");
  return only({ jupyter, [inspect.custom]: () => `Deno { jupyter: { ${DENO_JUPYTER_MEMBERS.join(", ")} } } (tsloop: Deno's Jupyter display API only)` }, "Deno");
}
