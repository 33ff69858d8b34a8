// Widget attributes ("traits"): their kind, default and wire name, and the validation that turns a value set
// from a cell or received from the frontend into the kernel's value — or explains why it cannot be one.
import { REF_PREFIX } from "./protocol.js";

export type TraitKind = "int" | "float" | "bool" | "string" | "json" | "widget" | "widgets";

export interface Trait {
  readonly kind: TraitKind;
  readonly default: unknown;
  readonly nullable?: boolean;
  /** allowed values of a string trait */
  readonly values?: readonly string[];
  /** the state key on the wire, when it is not the snake_case of the attribute name */
  readonly wire?: string;
  /** not settable from cells (e.g. Output's `outputs`, synced by the frontend) */
  readonly readOnly?: boolean;
}

export type TraitTable = Readonly<Record<string, Trait>>;

/** Trait constructors: `t.int(0)`, `t.choice(["a", "b"], "a")`, `t.nullable("string")`. */
export const t = {
  int: (d: number): Trait => ({ kind: "int", default: d }),
  float: (d: number): Trait => ({ kind: "float", default: d }),
  bool: (d: boolean): Trait => ({ kind: "bool", default: d }),
  string: (d: string): Trait => ({ kind: "string", default: d }),
  choice: (values: readonly string[], d: string): Trait => ({ kind: "string", default: d, values }),
  nullable: (kind: "int" | "float" | "bool" | "string"): Trait => ({ kind, default: null, nullable: true }),
  json: (d: unknown, wire?: string): Trait => ({ kind: "json", default: d, ...(wire ? { wire } : {}) }),
  widget: (): Trait => ({ kind: "widget", default: null }),
  widgets: (): Trait => ({ kind: "widgets", default: [] }),
};

/** `descriptionAllowHtml` → `description_allow_html`. */
export function wireName(name: string, trait: Trait): string {
  return trait.wire ?? name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** What validation needs to know about widgets: a Widget instance check and lookup by model id. */
export interface WidgetRefs<W> {
  isWidget(value: unknown): value is W;
  byId(modelId: string): W | undefined;
  idOf(widget: W): string;
}

export type Checked = { ok: true; value: unknown } | { ok: false; reason: string };

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  return typeof value;
}

/** Checks a value for a trait; `fromWire` accepts `IPY_MODEL_` references where widgets are expected. */
export function check<W>(trait: Trait, value: unknown, refs: WidgetRefs<W>, fromWire = false): Checked {
  if (trait.kind === "json") return { ok: true, value: value ?? null };
  if (value === null || value === undefined) {
    return trait.nullable ? { ok: true, value: null } : { ok: false, reason: `expected ${expected(trait)}, received ${describe(value)}` };
  }
  const fail = (): Checked => ({ ok: false, reason: `expected ${expected(trait)}, received ${describe(value)}` });
  switch (trait.kind) {
    case "int":
      return typeof value === "number" && Number.isSafeInteger(value) ? { ok: true, value } : fail();
    case "float":
      return typeof value === "number" && Number.isFinite(value) ? { ok: true, value } : fail();
    case "bool":
      return typeof value === "boolean" ? { ok: true, value } : fail();
    case "string":
      if (typeof value !== "string") return fail();
      if (trait.values && !trait.values.includes(value)) return { ok: false, reason: `expected one of ${trait.values.map((v) => JSON.stringify(v)).join(", ")}, received ${describe(value)}` };
      return { ok: true, value };
    case "widget": {
      const w = resolve(value, refs, fromWire);
      return w === undefined ? fail() : { ok: true, value: w };
    }
    case "widgets": {
      if (!Array.isArray(value)) return fail();
      const out: W[] = [];
      for (const item of value) {
        const w = resolve(item, refs, fromWire);
        if (w === undefined) return { ok: false, reason: `expected an array of widgets, received an array containing ${describe(item)}` };
        out.push(w);
      }
      return { ok: true, value: out };
    }
  }
}

function resolve<W>(value: unknown, refs: WidgetRefs<W>, fromWire: boolean): W | undefined {
  if (refs.isWidget(value)) return value;
  if (fromWire && typeof value === "string" && value.startsWith(REF_PREFIX)) return refs.byId(value.slice(REF_PREFIX.length));
  return undefined;
}

function expected(trait: Trait): string {
  const base = { int: "an integer", float: "a finite number", bool: "a boolean", string: "a string", json: "a JSON value", widget: "a widget", widgets: "an array of widgets" }[trait.kind];
  return trait.nullable ? `${base} or null` : base;
}

/** The wire form of a kernel value: widgets become `IPY_MODEL_<id>` references. */
export function toWire<W>(trait: Trait, value: unknown, refs: WidgetRefs<W>): unknown {
  if (trait.kind === "widget") return value === null ? null : REF_PREFIX + refs.idOf(value as W);
  if (trait.kind === "widgets") return (value as W[]).map((w) => REF_PREFIX + refs.idOf(w));
  return value;
}

/** Whether two trait values are the same (so setting one sends nothing). */
export function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null && !(a instanceof Uint8Array) && !(b instanceof Uint8Array)) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
}
