// Short, cheap, side-effect-tolerant previews of settled values and errors for the timeline (`User {…}`,
// `Array(3)`, `TypeError: boom`). Never formats deeply and never keeps a reference to the value. Works across
// `vm` realms (no `instanceof`).

const MAX_PREVIEW = 60;
const MAX_ERROR = 200;

function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max - 1) + "…" : s;
}

/** A one-line preview of a fulfilled value; `undefined` for `undefined`. */
export function previewValue(v: unknown): string | undefined {
  try {
    switch (typeof v) {
      case "undefined":
        return undefined;
      case "string":
        return JSON.stringify(clip(v, MAX_PREVIEW - 2));
      case "number":
      case "boolean":
        return String(v);
      case "bigint":
        return `${v}n`;
      case "symbol":
        return clip(v.toString(), MAX_PREVIEW);
      case "function":
        return `[Function ${(v as { name?: unknown }).name || "(anonymous)"}]`;
      default:
        break;
    }
    if (v === null) return "null";
    if (Array.isArray(v)) return `Array(${v.length})`;
    const tag = Object.prototype.toString.call(v);
    if (tag === "[object Error]") return previewError(v);
    const ctor = (v as { constructor?: { name?: unknown } }).constructor;
    const name = typeof ctor?.name === "string" && ctor.name !== "Object" ? ctor.name + " " : "";
    if (tag === "[object Map]" || tag === "[object Set]") return `${name}(${(v as { size: number }).size})`;
    return clip(`${name}{…}`, MAX_PREVIEW);
  } catch {
    return "(unreadable)";
  }
}

/** `TypeError: boom` for error-like values, a value preview for anything else thrown. */
export function previewError(e: unknown): string {
  try {
    if (typeof e === "object" && e !== null) {
      const { name, message } = e as { name?: unknown; message?: unknown };
      if (typeof message === "string") {
        const n = typeof name === "string" && name ? name : "Error";
        return clip(message ? `${n}: ${message}` : n, MAX_ERROR);
      }
    }
    if (typeof e === "string") return clip(e, MAX_ERROR);
    return `thrown ${previewValue(e) ?? "undefined"}`;
  } catch {
    return "(unreadable error)";
  }
}
