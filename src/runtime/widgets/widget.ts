// The kernel side of one widget model: its state (validated traits), its comm, the sync both ways (`update`
// to the frontend; `update` from it applied without bouncing back, echoed as `echo_update`; `request_state`;
// `custom`), change events and iterators, and how it displays (the widget-view mime plus a text fallback). The
// state's checks and wire form are pure functions in model-state.ts.
import { inspect } from "node:util";
import type { Comm } from "../comms.js";
import { type CellContext, currentCell } from "../context.js";
import { DISPLAY_SYMBOL, NO_ECHO } from "../display.js";

const CHAINING: ReadonlySet<string> = new Set(["set", "on", "off"]);
import type { Header, MimeBundle } from "../../protocol/messages.js";
import { Listeners, type Listener, pushIterator } from "./events.js";
import { widgetHost, type WidgetHost } from "./host.js";
import { decodeUpdate, encode, reprOf, type StateSpec, validate, wireState } from "./model-state.js";
import { putBuffers, VIEW_MIME, VIEW_VERSION } from "./protocol.js";
import { same, type TraitTable, type WidgetRefs, wireName } from "./traits.js";

export interface ModelSpec extends StateSpec {
  /** how to make a sub-widget trait (layout, style) from plain options */
  readonly parts?: Readonly<Record<string, (options: Record<string, unknown>) => Widget>>;
}

export type ChangeSource = "kernel" | "frontend";
export interface ChangeInfo {
  name: string;
  source: ChangeSource;
  widget: Widget;
}

const refs: WidgetRefs<Widget> = {
  isWidget: (v): v is Widget => v instanceof Widget,
  byId: (id) => {
    const w = widgetHost().widgets.get(id);
    return w instanceof Widget ? w : undefined;
  },
  idOf: (w) => w.modelId,
};

export class Widget {
  readonly modelId: string;
  /** resolves when the widget is closed, from either side */
  readonly closed: Promise<void>;
  protected readonly spec: ModelSpec;
  private readonly values = new Map<string, unknown>();
  private readonly wireNames = new Map<string, string>();
  private readonly listeners: Listeners;
  private readonly host: WidgetHost;
  private readonly owner: CellContext;
  private readonly comm: Comm;
  private markClosed!: () => void;
  private isClosedFlag = false;

  constructor(spec: ModelSpec, options: Record<string, unknown> = {}) {
    const owner = currentCell();
    if (!owner) throw new Error(`new widgets.${spec.name}() can only be called from code a cell started`);
    if (typeof options !== "object" || options === null) throw new TypeError(`new widgets.${spec.name}(options): expected an options object, received ${options === null ? "null" : typeof options}`);
    this.spec = spec;
    this.owner = owner;
    this.host = widgetHost();
    this.listeners = new Listeners(() => this.host.report);
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
    for (const [name, trait] of Object.entries(spec.traits)) {
      this.wireNames.set(wireName(name, trait), name);
      this.values.set(name, Array.isArray(trait.default) ? [...(trait.default as unknown[])] : trait.default);
    }
    const initial = validate(this.spec, options, refs, { initial: true });
    for (const [name, make] of Object.entries(spec.parts ?? {})) {
      if (!(initial[name] instanceof Widget)) initial[name] = make({});
    }
    const next = this.merged(initial);
    this.coerce(next);
    for (const [name, value] of Object.entries(next)) this.values.set(name, value);
    this.comm = this.host.open(this.wireState());
    this.modelId = this.comm.commId;
    this.host.widgets.set(this.modelId, this);
    // A third argument, the frontend's comm_msg header, is used when the comm layer passes it (for echo_update).
    this.comm.onMessage((data, buffers, ...rest: unknown[]) => this.receive(data, buffers, incomingHeader(rest[0])));
    this.comm.onClose(() => this.forget());
  }

  /** The value of a trait (by its camelCase name). */
  get(name: string): unknown {
    if (!Object.hasOwn(this.spec.traits, name)) throw new TypeError(`${this.spec.name} has no attribute ${JSON.stringify(name)}`);
    return this.values.get(name);
  }

  /** Sets several traits at once: one `update` message with what changed, then change events. */
  set(changes: Record<string, unknown>): this {
    const next = this.merged(validate(this.spec, changes, refs));
    this.coerce(next);
    this.apply(next, "kernel", Object.keys(next));
    return this;
  }

  get isClosed(): boolean {
    return this.isClosedFlag;
  }

  /**
   * Listens to `change` (the value: `(value, old, info)`), `change:<attribute>`, `custom` (a custom message from
   * the frontend: `(content, buffers)`), and a widget's own events (`click`, `submit`). A handler runs in the cell
   * that registered it for what the frontend does, and in the running cell for changes a cell makes.
   */
  on(event: string, handler: Listener): this {
    this.listeners.add(event, handler);
    return this;
  }

  off(event: string, handler?: Listener): this {
    this.listeners.remove(event, handler);
    return this;
  }

  /** The values an attribute takes from now on, as an async iterator; ends when the widget closes. */
  changes(name = "value", options: { signal?: AbortSignal } = {}): AsyncIterableIterator<unknown> {
    this.get(name);
    const signal = options.signal ?? currentCell()?.abort.signal;
    return pushIterator<unknown>(
      (push) => {
        const fn = (value: unknown) => push(value);
        this.listeners.add(`change:${name}`, fn);
        return () => this.listeners.remove(`change:${name}`, fn);
      },
      this.closed,
      signal,
    );
  }

  /** Sends a custom message (`method: "custom"`) to the frontend's model. */
  send(content: Record<string, unknown>, buffers: Uint8Array[] = []): void {
    this.host.send(this.comm, this.owner, { method: "custom", content }, buffers);
  }

  /** Closes the comm: the frontend removes the model and its views. */
  close(): void {
    if (this.isClosedFlag) return;
    this.comm.close();
    this.forget();
  }

  /** The full state on the wire (with the `_model_*`/`_view_*` keys), references as `IPY_MODEL_<id>`. */
  wireState(): Record<string, unknown> {
    return wireState(this.spec, this.values, refs);
  }

  /** `w.set(…)`, `w.on(…)`, `w.off(…)` return the widget for chaining: as a cell's value they display nothing. */
  get [NO_ECHO](): ReadonlySet<string> {
    return CHAINING;
  }

  [DISPLAY_SYMBOL](): MimeBundle {
    if (this.isClosedFlag) return { "text/plain": `${this.repr()} (closed)` };
    return { [VIEW_MIME]: { model_id: this.modelId, ...VIEW_VERSION }, "text/plain": this.repr() };
  }

  [inspect.custom](): string {
    return this.repr();
  }

  toString(): string {
    return this.repr();
  }

  /** `IntSlider(value: 3, min: 1, description: "limit")`: the value and the attributes not at their default. */
  protected repr(): string {
    return reprOf(this.spec, this.values);
  }

  /** Adjusts a candidate state in place (clamps a value into its bounds…); throws when it cannot be valid. */
  protected coerce(_next: Record<string, unknown>): void {}

  /** Emits the change events of one attribute. */
  protected changed(name: string, value: unknown, old: unknown, source: ChangeSource): void {
    const info: ChangeInfo = { name, source, widget: this };
    const here = source === "kernel";
    this.listeners.emit(`change:${name}`, [value, old, info], here);
    if (name === "value") this.listeners.emit("change", [value, old, info], here);
  }

  /** Like set(), and also for read-only attributes (for the subclasses that own them). */
  protected assign(changes: Record<string, unknown>): this {
    const next = this.merged(validate(this.spec, changes, refs, { readOnly: true }));
    this.coerce(next);
    this.apply(next, "kernel", Object.keys(next));
    return this;
  }

  /** Emits a widget event; `here`: in the running cell (the cell caused it), else in each registering cell. */
  protected emit(event: string, args: unknown[], here: boolean): void {
    this.listeners.emit(event, args, here);
  }

  /** A custom message from the frontend. */
  protected custom(content: unknown, buffers: Uint8Array[]): void {
    this.listeners.emit("custom", [content, buffers]);
  }

  private merged(changes: Record<string, unknown>): Record<string, unknown> {
    return { ...Object.fromEntries(this.values), ...changes };
  }

  /** Stores what differs from the current state, sends it unless it came from the frontend, emits changes. */
  private apply(next: Record<string, unknown>, source: ChangeSource, names: string[], resend: string[] = []): void {
    const changed: [string, unknown, unknown][] = [];
    for (const name of names) {
      const old = this.values.get(name);
      const value = next[name];
      if (same(old, value)) continue;
      this.values.set(name, value);
      changed.push([name, value, old]);
    }
    const toSend = source === "kernel" ? changed.map(([n]) => n) : resend;
    if (toSend.length > 0 && !this.isClosedFlag) {
      this.host.sendState(this.comm, this.owner, "update", encode(this.spec.traits, this.values, new Set(toSend), refs));
    }
    for (const [name, value, old] of changed) this.changed(name, value, old, source);
  }

  private receive(data: Record<string, unknown>, buffers: Buffer[], incoming: Header | undefined): void {
    switch (data.method) {
      case "update":
        this.fromFrontend(data, buffers, incoming);
        return;
      case "request_state":
        this.host.sendState(this.comm, this.owner, "update", this.wireState());
        return;
      case "custom":
        this.custom(data.content, buffers);
        return;
    }
  }

  /**
   * An `update` from the frontend: echoed first (ipywidgets 8 order), then applied. Values the kernel could not
   * take as they are (invalid, or clamped) are sent back as an `update` with the kernel's value; the rest is not.
   */
  private fromFrontend(data: Record<string, unknown>, buffers: Buffer[], incoming: Header | undefined): void {
    const raw = typeof data.state === "object" && data.state !== null ? { ...(data.state as Record<string, unknown>) } : {};
    putBuffers(raw, data.buffer_paths, buffers);
    const { received, rejected, echo } = decodeUpdate(this.spec.traits, this.wireNames, raw, refs);
    // The frontend that sent the update recognises its own echo by the parent msg_id (protocol 2.1).
    if (this.host.echo && Object.keys(echo).length > 0) this.host.sendState(this.comm, this.owner, "echo_update", echo, incoming);
    let next = this.merged(received);
    try {
      this.coerce(next);
    } catch {
      rejected.push(...Object.keys(received));
      next = this.merged({});
    }
    const resend = [
      ...rejected,
      ...Object.keys(next).filter((n) => (Object.hasOwn(received, n) ? !same(next[n], received[n]) : !same(next[n], this.values.get(n)))),
    ];
    this.apply(next, "frontend", Object.keys(next), resend);
  }

  private forget(): void {
    if (this.isClosedFlag) return;
    this.isClosedFlag = true;
    this.host.widgets.delete(this.modelId);
    this.markClosed();
  }
}

function incomingHeader(value: unknown): Header | undefined {
  const header = value as Partial<Header> | undefined;
  return typeof header?.msg_id === "string" && typeof header.msg_type === "string" ? (header as Header) : undefined;
}

/** Defines `widget.<name>` accessors (get → `get(name)`, set → `set({ name })`) for each trait of a class. */
export function defineAccessors(cls: { prototype: Widget }, traits: TraitTable, skip: readonly string[] = []): void {
  for (const name of Object.keys(traits)) {
    if (skip.includes(name) || Object.hasOwn(cls.prototype, name)) continue;
    Object.defineProperty(cls.prototype, name, {
      configurable: true,
      enumerable: false,
      get(this: Widget) {
        return this.get(name);
      },
      set(this: Widget, value: unknown) {
        this.set({ [name]: value });
      },
    });
  }
}
