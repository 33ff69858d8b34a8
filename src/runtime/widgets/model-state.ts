// A widget model's state measured against its spec, as pure functions: changes from a cell validated trait by
// trait, trait values in their wire form (widget references as `IPY_MODEL_<id>`), an `update` from the frontend
// decoded, and the text a widget shows as (`IntSlider(value: 3, min: 1)`). widget.ts holds the values and the
// comm; nothing here sends or stores anything.
import type { ModuleRef } from "./protocol.js";
import { check, same, toWire, type Trait, type TraitTable, type WidgetRefs, wireName } from "./traits.js";

/** What the state of a widget class is checked against (`ModelSpec` in widget.ts is one). */
export interface StateSpec {
  /** the class name cells use, e.g. `IntSlider` */
  readonly name: string;
  readonly model: string;
  readonly view: string | null;
  readonly module: ModuleRef;
  readonly viewModule?: ModuleRef;
  readonly traits: TraitTable;
  /** how to make a sub-widget trait (layout, style) from plain options */
  readonly parts?: Readonly<Record<string, (options: Record<string, unknown>) => unknown>>;
}

/** Trait values for `changes`, each checked; throws a TypeError naming the attribute when one cannot be taken.
 *  `initial`: the constructor's options (undefined skipped, read-only allowed); `readOnly`: a subclass's own set. */
export function validate<W>(
  spec: StateSpec,
  changes: Record<string, unknown>,
  refs: WidgetRefs<W>,
  { initial = false, readOnly = false } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined && initial) continue;
    const trait: Trait | undefined = Object.hasOwn(spec.traits, name) ? spec.traits[name] : undefined;
    if (!trait) throw new TypeError(`${spec.name} has no attribute ${JSON.stringify(name)}; it has ${Object.keys(spec.traits).join(", ")}`);
    if (trait.readOnly && !initial && !readOnly) throw new TypeError(`${spec.name}.${name} is read-only`);
    const make = spec.parts?.[name];
    const candidate = make && typeof value === "object" && value !== null && !refs.isWidget(value) ? make(value as Record<string, unknown>) : value;
    const result = check(trait, candidate, refs);
    if (!result.ok) throw new TypeError(`${spec.name}.${name}: ${result.reason}`);
    out[name] = result.value;
  }
  return out;
}

/** The wire form of the traits `names` (each once). */
export function encode<W>(traits: TraitTable, values: ReadonlyMap<string, unknown>, names: Iterable<string>, refs: WidgetRefs<W>): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const name of names) {
    const trait = traits[name] as Trait;
    state[wireName(name, trait)] = toWire(trait, values.get(name), refs);
  }
  return state;
}

/** The full state on the wire: the `_model_*`/`_view_*` keys, then every trait. */
export function wireState<W>(spec: StateSpec, values: ReadonlyMap<string, unknown>, refs: WidgetRefs<W>): Record<string, unknown> {
  const view = spec.viewModule ?? spec.module;
  return {
    _model_module: spec.module.module,
    _model_module_version: spec.module.version,
    _model_name: spec.model,
    _view_module: view.module,
    _view_module_version: view.version,
    _view_name: spec.view,
    ...encode(spec.traits, values, Object.keys(spec.traits), refs),
  };
}

export interface DecodedUpdate {
  /** the values the kernel takes, by attribute name */
  received: Record<string, unknown>;
  /** attributes whose value failed its check */
  rejected: string[];
  /** every known key as it came (unknown wire keys dropped), for `echo_update` */
  echo: Record<string, unknown>;
}

/** Reads a frontend `update`'s state (buffers already put back): `wireNames` maps wire keys to attribute names. */
export function decodeUpdate<W>(traits: TraitTable, wireNames: ReadonlyMap<string, string>, raw: Record<string, unknown>, refs: WidgetRefs<W>): DecodedUpdate {
  const decoded: DecodedUpdate = { received: {}, rejected: [], echo: {} };
  for (const [wire, value] of Object.entries(raw)) {
    const name = wireNames.get(wire);
    if (name === undefined) continue;
    decoded.echo[wire] = value;
    const result = check(traits[name] as Trait, value, refs, true);
    if (result.ok) decoded.received[name] = result.value;
    else decoded.rejected.push(name);
  }
  return decoded;
}

/** `IntSlider(value: 3, min: 1, description: "limit")`: the value and the attributes not at their default. */
export function reprOf(spec: StateSpec, values: ReadonlyMap<string, unknown>): string {
  const parts: string[] = [];
  for (const [name, trait] of Object.entries(spec.traits)) {
    if (trait.kind === "widget" || trait.kind === "json" || trait.kind === "widgets") continue;
    const value = values.get(name);
    if (name === "value" || !same(value, trait.default)) parts.push(`${name}: ${JSON.stringify(value)}`);
  }
  const children = values.get("children");
  if (Array.isArray(children)) parts.push(`children: [${children.map((c) => String(c)).join(", ")}]`);
  return `${spec.name}(${parts.join(", ")})`;
}
