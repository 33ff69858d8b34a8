// The core controls of @jupyter-widgets/controls 2.0.0 (ipywidgets 8): sliders, progress bars, button,
// checkbox, text, HTML, dropdown and boxes. Attribute names are camelCase in cells, snake_case on the wire;
// defaults are the ones in @jupyter-widgets/schema's jupyterwidgetmodels.latest.json.
import { CONTROLS } from "./protocol.js";
import { parts, type StyleName } from "./layout-style.js";
import { t, type TraitTable } from "./traits.js";
import { type ChangeSource, defineAccessors, type ModelSpec, Widget } from "./widget.js";

const STYLES_ALL = ["success", "info", "warning", "danger", ""] as const;

/** Every DOM widget: `_dom_classes`, `layout`, `tabbable`, `tooltip`. */
const dom: TraitTable = { domClasses: t.json([], "_dom_classes"), layout: t.widget(), tabbable: t.nullable("bool"), tooltip: t.nullable("string") };
/** Controls with a description label and a style. */
const described: TraitTable = { ...dom, description: t.string(""), descriptionAllowHtml: t.bool(false), style: t.widget() };
const slider: TraitTable = {
  ...described,
  behavior: t.choice(["drag-tap", "drag-snap", "tap", "drag", "snap"], "drag-tap"),
  continuousUpdate: t.bool(true),
  disabled: t.bool(false),
  orientation: t.choice(["horizontal", "vertical"], "horizontal"),
  readout: t.bool(true),
};
const progress: TraitTable = { ...described, barStyle: { ...t.choice(STYLES_ALL, ""), nullable: true }, orientation: t.choice(["horizontal", "vertical"], "horizontal") };

function spec(name: string, traits: TraitTable, style?: StyleName, view = `${name}View`): ModelSpec {
  return { name, model: `${name}Model`, view, module: CONTROLS, traits, parts: parts(style) };
}

/** Keeps `value` within [min, max] (as ipywidgets' bounded traits do); min above max is an error. */
function clamp(next: Record<string, unknown>): void {
  const min = next.min as number;
  const max = next.max as number;
  if (min > max) throw new RangeError(`min (${min}) must not be greater than max (${max})`);
  next.value = Math.min(Math.max(next.value as number, min), max);
}

/** A widget with bounds: its value is clamped into [min, max]. */
class Bounded extends Widget {
  protected override coerce(next: Record<string, unknown>): void {
    clamp(next);
  }
}

function control<T extends new (options?: Record<string, unknown>) => Widget>(spec: ModelSpec, base: typeof Widget = Widget): T {
  const cls = class extends base {
    constructor(options: Record<string, unknown> = {}) {
      super(spec, options);
    }
  };
  Object.defineProperty(cls, "name", { value: spec.name });
  defineAccessors(cls, spec.traits);
  return cls as unknown as T;
}

type Control = new (options?: Record<string, unknown>) => Widget;

export const INT_SLIDER = spec("IntSlider", { ...slider, max: t.int(100), min: t.int(0), readoutFormat: t.string("d"), step: t.int(1), value: t.int(0) }, "SliderStyle");
export const FLOAT_SLIDER = spec(
  "FloatSlider",
  { ...slider, max: t.float(100), min: t.float(0), readoutFormat: t.string(".2f"), step: { ...t.float(0.1), nullable: true }, value: t.float(0) },
  "SliderStyle",
);
export const INT_PROGRESS = spec("IntProgress", { ...progress, max: t.int(100), min: t.int(0), value: t.int(0) }, "ProgressStyle", "ProgressView");
export const FLOAT_PROGRESS = spec("FloatProgress", { ...progress, max: t.float(100), min: t.float(0), value: t.float(0) }, "ProgressStyle", "ProgressView");
export const CHECKBOX = spec("Checkbox", { ...described, disabled: t.bool(false), indent: t.bool(true), value: t.bool(false) }, "CheckboxStyle");
export const TEXT = spec("Text", { ...described, continuousUpdate: t.bool(true), disabled: t.bool(false), placeholder: t.string("\u200b"), value: t.string("") }, "TextStyle");
export const HTML_SPEC = spec("HTML", { ...described, placeholder: t.string("\u200b"), value: t.string("") }, "HTMLStyle");
export const BUTTON = spec(
  "Button",
  { ...dom, buttonStyle: t.choice(["primary", ...STYLES_ALL], ""), description: t.string(""), disabled: t.bool(false), icon: t.string(""), style: t.widget() },
  "ButtonStyle",
);
export const DROPDOWN = spec("Dropdown", { ...described, optionsLabels: { ...t.json([], "_options_labels"), readOnly: true }, disabled: t.bool(false), index: t.nullable("int") }, "DescriptionStyle");
const box = (name: string) => spec(name, { ...dom, boxStyle: t.choice(STYLES_ALL, ""), children: t.widgets() });
export const HBOX = box("HBox");
export const VBOX = box("VBox");

export const IntSlider: Control = control(INT_SLIDER, Bounded);
export const FloatSlider: Control = control(FLOAT_SLIDER, Bounded);
export const IntProgress: Control = control(INT_PROGRESS, Bounded);
export const FloatProgress: Control = control(FLOAT_PROGRESS, Bounded);
export const Checkbox: Control = control(CHECKBOX);
export const HTML: Control = control(HTML_SPEC);

/** A text field; `on("submit", (text) => …)` fires when the user presses Enter. */
export class Text extends Widget {
  constructor(options: Record<string, unknown> = {}) {
    super(TEXT, options);
  }
  protected override custom(content: unknown, buffers: Uint8Array[]): void {
    super.custom(content, buffers);
    if ((content as { event?: unknown } | null)?.event === "submit") this.emit("submit", [this], false);
  }
}
defineAccessors(Text, TEXT.traits);

/** A button; `on("click", (button) => …)` fires on the frontend's `{event: "click"}` custom message. */
export class Button extends Widget {
  constructor(options: Record<string, unknown> = {}) {
    super(BUTTON, options);
  }
  /** Acts as if the button was clicked: fires the click handlers, here in the running cell. */
  click(): void {
    this.emit("click", [this], true);
  }
  protected override custom(content: unknown, buffers: Uint8Array[]): void {
    super.custom(content, buffers);
    if ((content as { event?: unknown } | null)?.event === "click") this.emit("click", [this], false);
  }
}
defineAccessors(Button, BUTTON.traits);

/** HBox/VBox: `new widgets.HBox([a, b])` or `new widgets.HBox({ children: [a, b] })`. */
function boxClass(boxSpec: ModelSpec) {
  const cls = class extends Widget {
    constructor(children: Widget[] | Record<string, unknown> = [], options: Record<string, unknown> = {}) {
      super(boxSpec, Array.isArray(children) ? { ...options, children } : children);
    }
  };
  Object.defineProperty(cls, "name", { value: boxSpec.name });
  defineAccessors(cls, boxSpec.traits);
  return cls;
}
export const HBox = boxClass(HBOX);
export const VBox = boxClass(VBOX);

type Option = string | number | boolean | null | readonly [string, unknown];

function parseOptions(options: unknown): { label: string; value: unknown }[] {
  if (options === undefined) return [];
  const list: unknown[] = Array.isArray(options) ? options : typeof options === "object" && options !== null ? Object.entries(options) : [];
  if (!Array.isArray(options) && (typeof options !== "object" || options === null)) {
    throw new TypeError(`Dropdown.options: expected an array of labels or [label, value] pairs, received ${typeof options}`);
  }
  return list.map((o) => (Array.isArray(o) && o.length === 2 && typeof o[0] === "string" ? { label: o[0], value: o[1] as unknown } : { label: String(o), value: o }));
}

/**
 * A dropdown. The frontend knows only the labels (`_options_labels`) and the selected `index`; `value` and
 * `label` are the kernel's view of the selected option.
 */
export class Dropdown extends Widget {
  private choices: { label: string; value: unknown }[];

  constructor(options: Record<string, unknown> & { options?: readonly Option[] | Record<string, unknown> } = {}) {
    const { options: opts, value, label, index, ...rest } = options;
    const choices = parseOptions(opts);
    let selected = (index as number | null | undefined) ?? (choices.length > 0 ? 0 : null);
    if (value !== undefined) selected = indexOf(choices, (c) => c.value === value, `value ${String(value)}`);
    if (label !== undefined) selected = indexOf(choices, (c) => c.label === label, `label ${JSON.stringify(label)}`);
    super(DROPDOWN, { ...rest, optionsLabels: choices.map((c) => c.label), index: selected });
    this.choices = choices;
  }

  get options(): { label: string; value: unknown }[] {
    return this.choices.map((c) => ({ ...c }));
  }
  set options(options: readonly Option[] | Record<string, unknown>) {
    const oldIndex = this.index;
    const oldValue = this.value;
    const oldLabel = this.label;
    this.choices = parseOptions(options);
    const keep = this.choices.findIndex((c) => c.label === oldLabel);
    this.assign({ optionsLabels: this.choices.map((c) => c.label), index: keep >= 0 ? keep : this.choices.length > 0 ? 0 : null });
    // Same index, another option there: the value changed all the same.
    if (this.index === oldIndex && this.value !== oldValue) super.changed("value", this.value, oldValue, "kernel");
  }

  get value(): unknown {
    return this.at(this.index)?.value ?? null;
  }
  set value(value: unknown) {
    this.set({ index: indexOf(this.choices, (c) => c.value === value, `value ${String(value)}`) });
  }

  get label(): string | null {
    return this.at(this.index)?.label ?? null;
  }
  set label(label: string) {
    this.set({ index: indexOf(this.choices, (c) => c.label === label, `label ${JSON.stringify(label)}`) });
  }

  get index(): number | null {
    return this.get("index") as number | null;
  }
  set index(index: number | null) {
    this.set({ index });
  }

  override get(name: string): unknown {
    if (name === "value") return this.value;
    if (name === "label") return this.label;
    return super.get(name);
  }

  protected override coerce(next: Record<string, unknown>): void {
    const index = next.index as number | null;
    const count = (next.optionsLabels as unknown[]).length;
    if (index !== null && (index < 0 || index >= count)) throw new RangeError(`Dropdown.index: expected null or 0…${count - 1}, received ${index}`);
  }

  protected override changed(name: string, value: unknown, old: unknown, source: ChangeSource): void {
    super.changed(name, value, old, source);
    if (name !== "index" || !this.choices) return;
    const before = this.at(old as number | null);
    super.changed("value", this.value, before?.value ?? null, source);
    super.changed("label", this.label, before?.label ?? null, source);
  }

  protected override repr(): string {
    return `Dropdown(value: ${JSON.stringify(this.value) ?? String(this.value)}, options: ${JSON.stringify(this.choices.map((c) => c.label))})`;
  }

  private at(index: number | null): { label: string; value: unknown } | undefined {
    return index === null ? undefined : this.choices?.[index];
  }
}
defineAccessors(Dropdown, DROPDOWN.traits, ["optionsLabels"]);

function indexOf<T>(list: T[], match: (item: T) => boolean, what: string): number {
  const i = list.findIndex(match);
  if (i < 0) throw new RangeError(`Dropdown: no option has ${what}`);
  return i;
}
