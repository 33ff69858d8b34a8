// Variables: DAP's variablesReference numbers stand for V8 remote objects (or a few of them merged, as a
// frame's block scopes are shown as one "Locals"). References live until the main thread resumes.
import type { Cdp, PropertyDescriptor, RemoteObject } from "./cdp.js";
import type { DapVariable } from "./dap.js";

/** What a reference expands to: the own properties of these objects, optionally only the listed names. */
interface Expansion {
  objectIds: string[];
  only?: Set<string>;
}

/** Properties of an object a user does not want to read in a variables panel. */
const MAX_PROPERTIES = 500;

export class VariableTable {
  private readonly refs = new Map<number, Expansion>();
  private next = 1;

  constructor(private readonly cdp: Cdp) {}

  /** A new reference (0 when there is nothing to expand). */
  add(objectIds: string[], only?: Set<string>): number {
    if (objectIds.length === 0) return 0;
    const ref = this.next++;
    this.refs.set(ref, only ? { objectIds, only } : { objectIds });
    return ref;
  }

  clear(): void {
    this.refs.clear();
  }

  async expand(ref: number): Promise<DapVariable[]> {
    const expansion = this.refs.get(ref);
    if (!expansion) return [];
    const out: DapVariable[] = [];
    for (const objectId of expansion.objectIds) {
      const props = await this.cdp.post<{ result: PropertyDescriptor[]; internalProperties?: PropertyDescriptor[] }>("Runtime.getProperties", {
        objectId,
        ownProperties: true,
        generatePreview: true,
      });
      for (const p of [...(props.internalProperties ?? []), ...props.result]) {
        if (expansion.only && !expansion.only.has(p.name)) continue;
        if (out.length >= MAX_PROPERTIES) return out;
        out.push(this.variable(p.name, p.value, p.get));
      }
    }
    return out;
  }

  /** A DAP variable. No `type`: JupyterLab's variables tree shows a variable's type *instead of* its value for
   *  every type name but Python's int/float/bool/str, so a JavaScript type there would hide every value. */
  variable(name: string, value: RemoteObject | undefined, getter?: RemoteObject): DapVariable {
    if (!value) return { name, value: getter ? "(getter)" : "undefined", variablesReference: 0, evaluateName: name };
    return { name, value: describe(value), variablesReference: this.refFor(value), evaluateName: name };
  }

  refFor(value: RemoteObject): number {
    return value.objectId !== undefined && value.type === "object" && value.subtype !== "null" ? this.add([value.objectId]) : 0;
  }
}

/** A value in one line, as a JavaScript developer writes it. */
export function describe(value: RemoteObject): string {
  if (value.type === "string") return JSON.stringify(value.value);
  if (value.unserializableValue !== undefined) return value.unserializableValue;
  if (value.type === "undefined") return "undefined";
  if (value.type === "object" && value.subtype === "null") return "null";
  if (value.type === "object" && value.subtype === undefined && value.preview) return objectPreview(value);
  if (value.description !== undefined) return value.description;
  return String(value.value);
}

/** `{x: 3, y: 4}` or `Point {x: 3, y: 4}`: a plain object or class instance with its first properties. */
function objectPreview(value: RemoteObject): string {
  const preview = value.preview!;
  const props = preview.properties.map((p) => `${p.name}: ${p.type === "string" ? JSON.stringify(p.value ?? "") : (p.value ?? p.type)}`);
  const body = `{${props.join(", ")}${preview.overflow ? ", …" : ""}}`;
  return value.className && value.className !== "Object" ? `${value.className} ${body}` : body;
}
