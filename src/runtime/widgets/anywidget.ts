// anywidget-style custom widgets: models of the `anywidget` front-end module (AnyModel/AnyView). The view imports
// the widget's ES module from the `_esm` state (source text or URL), adds `_css`, and calls its `render({ model, el })`;
// every other state key is the widget's own, synced both ways like any trait.
import { createHash } from "node:crypto";
import { parts } from "./layout-style.js";
import { t, type Trait, type TraitTable } from "./traits.js";
import { Widget } from "./widget.js";

export interface AnyWidgetOptions {
  /** the ES module: source text, or a URL the browser can import */
  esm: string;
  /** CSS text or URL */
  css?: string;
  /** the widget's own state: JSON values or binary (Uint8Array) */
  state?: Record<string, unknown>;
  /** identifies the widget's code (CSS is replaced in place by id); default: a hash of `esm` */
  anywidgetId?: string;
  /** the semver range of the anywidget front end; default ">=0.9.0" (any current extension) */
  moduleVersion?: string;
  [option: string]: unknown;
}

const DOM: TraitTable = { domClasses: t.json([], "_dom_classes"), layout: t.widget(), tabbable: t.nullable("bool"), tooltip: t.nullable("string") };
const wire = (trait: Trait, name: string): Trait => ({ ...trait, wire: name });
const OWN: TraitTable = { esm: wire(t.string(""), "_esm"), css: wire(t.string(""), "_css"), anywidgetId: wire(t.string(""), "_anywidget_id") };

export class AnyWidget extends Widget {
  private readonly own: string[];

  constructor(options: AnyWidgetOptions) {
    if (typeof options !== "object" || options === null || typeof options.esm !== "string" || options.esm.trim() === "") {
      throw new TypeError("new widgets.AnyWidget(options): expected options.esm, the widget's ES module (source text or URL), as a non-empty string");
    }
    const { esm, css = "", state = {}, anywidgetId, moduleVersion = ">=0.9.0", ...rest } = options;
    if (typeof state !== "object" || state === null) throw new TypeError(`AnyWidget state: expected an object, received ${typeof state}`);
    const own: Record<string, Trait> = {};
    for (const key of Object.keys(state)) {
      if (Object.hasOwn(DOM, key) || Object.hasOwn(OWN, key) || key.startsWith("_") || key in Widget.prototype) {
        throw new TypeError(`AnyWidget state: ${JSON.stringify(key)} is reserved; choose another name`);
      }
      own[key] = t.json(null, key);
    }
    const module = { module: "anywidget", version: moduleVersion };
    const spec = { name: "AnyWidget", model: "AnyModel", view: "AnyView", module, traits: { ...DOM, ...OWN, ...own }, parts: parts() };
    const id = anywidgetId ?? `tsloop-${createHash("sha1").update(esm).digest("hex").slice(0, 12)}`;
    super(spec, { ...rest, ...state, esm, css: String(css), anywidgetId: id });
    this.own = Object.keys(own);
    for (const name of [...Object.keys(DOM), ...Object.keys(OWN), ...Object.keys(own)]) {
      Object.defineProperty(this, name, { configurable: true, enumerable: Object.hasOwn(own, name), get: () => this.get(name), set: (v: unknown) => this.set({ [name]: v }) });
    }
  }

  /** `AnyWidget(count: 0, label: "x")`: the widget's own state, each value cut to 40 characters. */
  protected override repr(): string {
    const text = (v: unknown) => {
      const json = v instanceof Uint8Array ? `<${v.byteLength} bytes>` : (JSON.stringify(v) ?? String(v));
      return json.length > 40 ? `${json.slice(0, 39)}…` : json;
    };
    return `AnyWidget(${this.own.map((k) => `${k}: ${text(this.get(k))}`).join(", ")})`;
  }
}
