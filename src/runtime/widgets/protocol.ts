// The Jupyter widget message protocol, version 2.1 (ipywidgets 8, @jupyter-widgets/base 6, controls 5): comm
// target names, module names and versions, the display mime type, and the buffer-path codec that lifts binary
// values out of a state object (and puts them back) as `buffer_paths` + comm buffers.

export const WIDGET_TARGET = "jupyter.widget";
/** Optional target a frontend opens to fetch every widget's state in one message (`request_states`). */
export const CONTROL_TARGET = "jupyter.widget.control";
/** Sent as the `version` metadata of every widget `comm_open`. */
export const PROTOCOL_VERSION = "2.1.0";
export const VIEW_MIME = "application/vnd.jupyter.widget-view+json";
export const VIEW_VERSION = { version_major: 2, version_minor: 0 } as const;
/** How a state value refers to another widget: `IPY_MODEL_<model id>`. */
export const REF_PREFIX = "IPY_MODEL_";

export interface ModuleRef {
  readonly module: string;
  readonly version: string;
}
export const CONTROLS: ModuleRef = { module: "@jupyter-widgets/controls", version: "2.0.0" };
export const BASE: ModuleRef = { module: "@jupyter-widgets/base", version: "2.0.0" };
export const OUTPUT: ModuleRef = { module: "@jupyter-widgets/output", version: "1.0.0" };

export type BufferPath = (string | number)[];

function isBinary(value: unknown): value is Uint8Array | ArrayBuffer | DataView {
  return value instanceof Uint8Array || value instanceof ArrayBuffer || value instanceof DataView;
}

function toBytes(value: Uint8Array | ArrayBuffer | DataView): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * Lifts binary values out of `state`: a buffer under an object key is removed, one in an array is replaced by
 * null, and its path is listed (ipywidgets' `_remove_buffers`). The input is not modified.
 */
export function removeBuffers(state: Record<string, unknown>): { state: Record<string, unknown>; bufferPaths: BufferPath[]; buffers: Uint8Array[] } {
  const bufferPaths: BufferPath[] = [];
  const buffers: Uint8Array[] = [];
  const walk = (value: unknown, path: BufferPath): unknown => {
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, i) => {
        if (isBinary(item)) {
          copy ??= [...value];
          copy[i] = null;
          bufferPaths.push([...path, i]);
          buffers.push(toBytes(item));
        } else {
          const next = walk(item, [...path, i]);
          if (next !== item) (copy ??= [...value])[i] = next;
        }
      });
      return copy ?? value;
    }
    if (typeof value === "object" && value !== null && !isBinary(value)) {
      let copy: Record<string, unknown> | undefined;
      for (const [key, item] of Object.entries(value)) {
        if (isBinary(item)) {
          copy ??= { ...(value as Record<string, unknown>) };
          delete copy[key];
          bufferPaths.push([...path, key]);
          buffers.push(toBytes(item));
        } else {
          const next = walk(item, [...path, key]);
          if (next !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
        }
      }
      return copy ?? value;
    }
    return value;
  };
  return { state: walk(state, []) as Record<string, unknown>, bufferPaths, buffers };
}

/** Puts buffers back at their paths in `state` (modifies it; ipywidgets' `_put_buffers`). */
export function putBuffers(state: Record<string, unknown>, bufferPaths: unknown, buffers: readonly Uint8Array[]): void {
  if (!Array.isArray(bufferPaths)) return;
  bufferPaths.forEach((path: unknown, i) => {
    const buffer = buffers[i];
    if (!Array.isArray(path) || path.length === 0 || buffer === undefined) return;
    let target: unknown = state;
    for (const step of path.slice(0, -1)) {
      if (typeof target !== "object" || target === null) return;
      target = (target as Record<string | number, unknown>)[step as string | number];
    }
    if (typeof target === "object" && target !== null) (target as Record<string | number, unknown>)[path[path.length - 1] as string | number] = buffer;
  });
}
