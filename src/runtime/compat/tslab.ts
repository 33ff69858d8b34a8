// The `tslab` module a cell gets from `import * as tslab from "tslab"` (or `require("tslab")`) when no real tslab
// package is installed in the notebook's folder: tslab's public API (tslab 1.0.22's `public.d.ts`: `display`,
// `newDisplay`, `versions`) mapped onto tsloop's display messages, plus `isJupyterEnv()`. Its types for the checker
// are generated from ../declarations/tslab.ts (TSLAB_DTS), which createTslabModule satisfies.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { MimeBundle } from "../../protocol/messages.js";
import type * as TslabApi from "../declarations/tslab.js";

/** Publishes one display message for the running cell: `display_data`, or `update_display_data` when `update`. */
export type EmitDisplay = (data: MimeBundle, displayId: string | undefined, update: boolean) => void;

/** The methods of tslab's `Display`: one mime type per call (declared, with the module, in ../declarations/tslab.ts). */
export type TslabDisplay = TslabApi.Display;

/** The module's values exactly as the checker declares them: the implementation below satisfies this. */
export type TslabModule = typeof TslabApi;

/** Text mime types by method name; the binary ones take bytes and are sent base64-encoded, as tslab does. */
const TEXT_METHODS = { javascript: "text/javascript", html: "text/html", markdown: "text/markdown", latex: "text/latex", svg: "image/svg+xml", text: "text/plain" } as const;
const BYTE_METHODS = { png: "image/png", jpeg: "image/jpeg", gif: "image/gif", pdf: "application/pdf" } as const;

/** Jupyter's JSON mime types carry JSON values, not text: tslab's users pass `JSON.stringify(…)` to raw(). */
const JSON_MIME = /^application\/(.+\+)?json$/;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // not JSON after all: sent as the text it is, as tslab would
  }
}

/** A Display; with a `displayId`, the first call shows an output and every later call replaces it in place. */
function makeDisplay(emit: EmitDisplay, displayId: string | undefined): TslabDisplay {
  let shown = false;
  const raw = (contentType: string, b: string | Uint8Array): void => {
    if (typeof contentType !== "string" || contentType === "") throw new TypeError(`tslab display.raw(contentType, data): contentType must be a mime type string, got ${String(contentType)}`);
    let value: unknown;
    if (typeof b === "string") value = JSON_MIME.test(contentType) ? parseJson(b) : b;
    else if (b instanceof Uint8Array) value = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64");
    else throw new TypeError(`tslab display.raw(${JSON.stringify(contentType)}, data): data must be a string or a Uint8Array/Buffer, got ${typeof b}`);
    emit({ [contentType]: value }, displayId, displayId !== undefined && shown);
    if (displayId !== undefined) shown = true;
  };
  const display: Partial<TslabDisplay> = { raw };
  for (const [method, mime] of Object.entries(TEXT_METHODS)) {
    (display as Record<string, unknown>)[method] = (s: string) => raw(mime, String(s));
  }
  for (const [method, mime] of Object.entries(BYTE_METHODS)) {
    (display as Record<string, unknown>)[method] = (b: Uint8Array) => {
      if (!(b instanceof Uint8Array)) throw new TypeError(`tslab display.${method}(bytes) expects a Uint8Array or Buffer, got ${typeof b}`);
      raw(mime, b);
    };
  }
  return display as TslabDisplay;
}

/** The shim module. `newId` makes display ids; versions are read once, when first asked for. */
export function createTslabModule(emit: EmitDisplay, newId: () => string): TslabModule {
  let versions: TslabModule["versions"] | undefined;
  return {
    display: makeDisplay(emit, undefined),
    newDisplay: () => makeDisplay(emit, newId()),
    get versions() {
      versions ??= { tslab: packageVersion(join(__dirname, "..", "..", "..", "package.json")), typescript: packageVersion(require.resolve("typescript/package.json")), node: process.version };
      return versions;
    },
    isJupyterEnv: () => true,
  } satisfies TslabModule;
}

function packageVersion(path: string): string {
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
