// The cell API as the type checker sees it: every global a cell can use (display and its helpers, input, sleep,
// the `tsloop` namespace, widgets, progress, runInWorker). The runtime's implementation (../cell-api.ts)
// `satisfies` these declarations, so a changed signature on either side is a compile error. `npm run build`
// turns this module into the global declarations the language service adds to every cell (./generated.ts,
// by scripts/declarations.mjs with tsc's declaration emit); a unit test checks that the generated file is current.

export type MimeBundle = { [mime: string]: unknown };
export interface Displayable { [Symbol.toPrimitive]?: never }
export interface DisplayHandle {
  /** the transient display_id of this output */
  readonly displayId: string;
  /** replace the output in place (update_display_data) */
  update(value: unknown): void;
  /** empty the output in place */
  clear(): void;
}
/** Show a value as a rich output now; returns a handle to update it later (not echoed as the cell's value). */
export declare function display(value: unknown, options?: { displayId?: string }): DisplayHandle;
/** Clear the cell's output; with wait, only when the next output arrives. */
export declare function clearOutput(options?: { wait?: boolean }): void;
/** Ask the frontend for a line of text (Jupyter's stdin channel). */
export declare function input(prompt?: string, options?: { password?: boolean }): Promise<string>;
/** Resolve after ms milliseconds (rejects when the cell is interrupted). */
export declare function sleep<T = undefined>(ms: number, value?: T): Promise<T>;
/** HTML markup as a displayable value. */
export declare function html(markup: string): object;
/** Markdown text as a displayable value. */
export declare function markdown(text: string): object;
/** SVG markup as a displayable value. */
export declare function svg(markup: string): object;
/** PNG bytes or base64 text as a displayable value. */
export declare function png(data: Uint8Array | ArrayBuffer | string): object;
/** JPEG bytes or base64 text as a displayable value. */
export declare function jpeg(data: Uint8Array | ArrayBuffer | string): object;
/** A JSON value shown as a tree. */
export declare function json(value: unknown): object;
/** LaTeX math as a displayable value. */
export declare function latex(text: string): object;
/** A pending task of some cell, as tsloop.tasks() lists it. */
export interface LiveTask {
  cell: number;
  id: number;
  kind: "async" | "await" | "promise" | "timeout" | "interval" | "immediate" | "all" | "allSettled" | "race" | "any" | "io" | "worker" | "user";
  label: string;
  state: string;
  ageMs: number;
  line?: number;
  cancellable: boolean;
}
export type CommData = { [key: string]: unknown };
/** A Jupyter comm: messages both ways with the frontend. */
export interface Comm {
  readonly commId: string;
  readonly targetName: string;
  readonly isClosed: boolean;
  send(data?: CommData, buffers?: Uint8Array[]): void;
  close(data?: CommData): void;
  onMessage(handler: (data: CommData, buffers: Uint8Array[]) => void | Promise<void>): Comm;
  onClose(handler: (data: CommData) => void): Comm;
}
/** Run a self-contained function on a pool of worker threads (CPU work in parallel, like concurrent.futures).
 *  The function travels as source text: it cannot use the cell's variables; pass what it needs as arguments. */
export declare function runInWorker<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<Awaited<R>>;
/** The kernel's own API. */
export declare const tsloop: {
  /** AbortSignal of the running cell: aborted when the cell is interrupted. */
  readonly signal: AbortSignal;
  /** execution count of the cell whose code is running */
  readonly cell: number | undefined;
  /** Like asyncio.all_tasks(): the pending tasks of every cell. */
  tasks(): LiveTask[];
  /** Cancel a live task (clears its timer or interval); returns whether it was found. */
  cancel(task: LiveTask): boolean;
  cancel(cell: number, id: number): boolean;
  /** Show the timeline of a cell (by execution count), or of every recent cell run. */
  timeline(cell?: number): void;
  /** Turn runtime warnings (blocked event loop, …) on or off for the rest of the session; per cell: `// @warnings off`. */
  warnings(enabled: boolean): void;
  /** Run fn under a timeline of its own; the returned timeline displays (e.g. `handle.update(timeline)`). */
  record<T>(fn: () => T | Promise<T>): Promise<{ value: T; timeline: object }>;
  /** Turn timelines on or off for the rest of the session. */
  timelines(enabled: boolean): void;
  /** Write recent timelines as a Chrome trace JSON file (Perfetto opens it); returns its path. */
  exportTrace(path?: string): string;
  /** Jupyter comms: accept comms the frontend opens, or open your own. */
  readonly comms: {
    registerTarget(targetName: string, handler: (comm: Comm, data: CommData, buffers: Uint8Array[]) => void | Promise<void>): void;
    unregisterTarget(targetName: string): void;
    open(targetName: string, data?: CommData, options?: { buffers?: Uint8Array[]; metadata?: CommData; commId?: string }): Comm;
  };
};
/** The value type of a widget (its `value` attribute), for change handlers. */
export type WidgetValue<W> = W extends { value: infer V } ? V : unknown;
/**
 * Jupyter widgets (widget protocol 2.1, the models of @jupyter-widgets/controls 2.0.0 as in ipywidgets 8).
 * `const s = new widgets.IntSlider({ value: 3, min: 1, max: 10, description: "limit" }); display(s);`
 * Attribute names are camelCase here (snake_case on the wire). Handlers run in the cell that registered them.
 */
export declare namespace widgets {
  interface ChangeInfo {
    /** the attribute that changed */
    name: string;
    /** who changed it: a cell ("kernel") or the user in a frontend ("frontend") */
    source: "kernel" | "frontend";
    widget: Widget;
  }
  type ChangeHandler<T> = (value: T, old: T, info: ChangeInfo) => unknown;
  /** Base of every widget: a model synced with the frontend over one comm. */
  class Widget {
    /** the comm id, which is the model id the frontend knows the widget by */
    readonly modelId: string;
    readonly isClosed: boolean;
    /** resolves when the widget is closed (by close() or by the frontend) */
    readonly closed: Promise<void>;
    /** an attribute by name */
    get(name: string): unknown;
    /** several attributes at once: one update message to the frontend, then change events */
    set(changes: { [name: string]: unknown }): this;
    /** the value changed (from a cell or from the frontend) */
    on(event: "change", handler: ChangeHandler<WidgetValue<this>>): this;
    /** an attribute changed */
    on<K extends keyof this & string>(event: `change:${K}`, handler: ChangeHandler<this[K]>): this;
    /** a custom message from the frontend (method "custom") */
    on(event: "custom", handler: (content: unknown, buffers: Uint8Array[]) => unknown): this;
    on(event: string, handler: (...args: any[]) => unknown): this;
    off(event: string, handler?: (...args: any[]) => unknown): this;
    /**
     * The values an attribute (default `value`) takes from now on. Ends when the widget closes; rejects when
     * `signal` aborts (default: the running cell's, so an interrupt stops the loop). Iterate it in a task the cell
     * does not await: frontend updates are handled after the cell finishes, as in ipykernel.
     */
    changes(): AsyncIterableIterator<WidgetValue<this>>;
    changes<K extends keyof this & string>(name: K, options?: { signal?: AbortSignal }): AsyncIterableIterator<this[K]>;
    /** sends a custom message (method "custom") to the frontend's model */
    send(content: { [key: string]: unknown }, buffers?: Uint8Array[]): void;
    /** closes the comm: the frontend removes the model and its views */
    close(): void;
  }
  interface LayoutAttrs {
    alignContent: string | null; alignItems: string | null; alignSelf: string | null; borderBottom: string | null;
    borderLeft: string | null; borderRight: string | null; borderTop: string | null; bottom: string | null;
    display: string | null; flex: string | null; flexFlow: string | null; gridArea: string | null;
    gridAutoColumns: string | null; gridAutoFlow: string | null; gridAutoRows: string | null; gridColumn: string | null;
    gridGap: string | null; gridRow: string | null; gridTemplateAreas: string | null; gridTemplateColumns: string | null;
    gridTemplateRows: string | null; height: string | null; justifyContent: string | null; justifyItems: string | null;
    left: string | null; margin: string | null; maxHeight: string | null; maxWidth: string | null; minHeight: string | null;
    minWidth: string | null; objectFit: string | null; objectPosition: string | null; order: string | null;
    overflow: string | null; padding: string | null; right: string | null; top: string | null; visibility: string | null;
    width: string | null;
  }
  /** CSS layout of a widget: `w.layout.width = "300px"`. */
  interface Layout extends LayoutAttrs {}
  class Layout extends Widget {
    constructor(options?: Partial<LayoutAttrs>);
  }
  interface DescriptionStyleAttrs { descriptionWidth: string }
  interface SliderStyleAttrs extends DescriptionStyleAttrs { handleColor: string | null }
  interface ProgressStyleAttrs extends DescriptionStyleAttrs { barColor: string | null }
  interface CheckboxStyleAttrs extends DescriptionStyleAttrs { background: string | null }
  interface TextStyleAttrs extends DescriptionStyleAttrs { background: string | null; fontSize: string | null; textColor: string | null }
  interface ButtonStyleAttrs {
    buttonColor: string | null; fontFamily: string | null; fontSize: string | null; fontStyle: string | null;
    fontVariant: string | null; fontWeight: string | null; textColor: string | null; textDecoration: string | null;
  }
  type Style<S> = Widget & S;
  interface DOMAttrs {
    readonly layout: Layout;
    tooltip: string | null;
    tabbable: boolean | null;
    domClasses: string[];
  }
  interface DescriptionAttrs<S> extends DOMAttrs {
    description: string;
    descriptionAllowHtml: boolean;
    readonly style: Style<S>;
  }
  /** Constructor options: any attribute; `layout` and `style` also as plain objects. */
  type Options<A, S = {}> = Partial<Omit<A, "layout" | "style">> & { layout?: Layout | Partial<LayoutAttrs>; style?: Style<S> | Partial<S> };
  type BarStyle = "success" | "info" | "warning" | "danger" | "";
  interface SliderAttrs<S> extends DescriptionAttrs<S> {
    value: number; min: number; max: number; step: number;
    behavior: "drag-tap" | "drag-snap" | "tap" | "drag" | "snap";
    continuousUpdate: boolean; disabled: boolean; orientation: "horizontal" | "vertical";
    readout: boolean; readoutFormat: string;
  }
  interface ProgressAttrs<S> extends DescriptionAttrs<S> {
    value: number; min: number; max: number; barStyle: BarStyle | null; orientation: "horizontal" | "vertical";
  }
  /** An integer slider; the value is kept within [min, max]. */
  interface IntSlider extends SliderAttrs<SliderStyleAttrs> {}
  class IntSlider extends Widget { constructor(options?: Options<SliderAttrs<SliderStyleAttrs>, SliderStyleAttrs>); }
  /** A float slider; the value is kept within [min, max]. */
  interface FloatSlider extends SliderAttrs<SliderStyleAttrs> {}
  class FloatSlider extends Widget { constructor(options?: Options<SliderAttrs<SliderStyleAttrs>, SliderStyleAttrs>); }
  interface IntProgress extends ProgressAttrs<ProgressStyleAttrs> {}
  class IntProgress extends Widget { constructor(options?: Options<ProgressAttrs<ProgressStyleAttrs>, ProgressStyleAttrs>); }
  interface FloatProgress extends ProgressAttrs<ProgressStyleAttrs> {}
  class FloatProgress extends Widget { constructor(options?: Options<ProgressAttrs<ProgressStyleAttrs>, ProgressStyleAttrs>); }
  interface CheckboxAttrs extends DescriptionAttrs<CheckboxStyleAttrs> { value: boolean; disabled: boolean; indent: boolean }
  interface Checkbox extends CheckboxAttrs {}
  class Checkbox extends Widget { constructor(options?: Options<CheckboxAttrs, CheckboxStyleAttrs>); }
  interface TextAttrs extends DescriptionAttrs<TextStyleAttrs> { value: string; placeholder: string; disabled: boolean; continuousUpdate: boolean }
  /** A text field; `on("submit", (text) => …)` fires when the user presses Enter. */
  interface Text extends TextAttrs {}
  class Text extends Widget {
    constructor(options?: Options<TextAttrs, TextStyleAttrs>);
    on(event: "submit", handler: (text: Text) => unknown): this;
    on(event: "change", handler: ChangeHandler<string>): this;
    on<K extends keyof this & string>(event: `change:${K}`, handler: ChangeHandler<this[K]>): this;
    on(event: string, handler: (...args: any[]) => unknown): this;
  }
  interface HTMLAttrs extends DescriptionAttrs<TextStyleAttrs> { value: string; placeholder: string }
  /** HTML markup shown as a widget (`value` is the markup). */
  interface HTML extends HTMLAttrs {}
  class HTML extends Widget { constructor(options?: Options<HTMLAttrs, TextStyleAttrs>); }
  interface ButtonAttrs extends DOMAttrs {
    description: string; disabled: boolean; icon: string;
    buttonStyle: "primary" | "success" | "info" | "warning" | "danger" | "";
    readonly style: Style<ButtonStyleAttrs>;
  }
  /** A button: `b.on("click", () => …)`. */
  interface Button extends ButtonAttrs {}
  class Button extends Widget {
    constructor(options?: Options<ButtonAttrs, ButtonStyleAttrs>);
    on(event: "click", handler: (button: Button) => unknown): this;
    on<K extends keyof this & string>(event: `change:${K}`, handler: ChangeHandler<this[K]>): this;
    on(event: string, handler: (...args: any[]) => unknown): this;
    /** fires the click handlers as if the button had been clicked */
    click(): void;
  }
  type DropdownOption<T> = string | number | boolean | null | readonly [label: string, value: T];
  interface DropdownAttrs extends DescriptionAttrs<DescriptionStyleAttrs> { disabled: boolean; index: number | null }
  /**
   * A dropdown of options: labels (strings), `[label, value]` pairs, or a `{ label: value }` object. The frontend
   * syncs `index`; `value` and `label` are the selected option's.
   */
  interface Dropdown<T = unknown> extends DropdownAttrs {}
  class Dropdown<T = unknown> extends Widget {
    constructor(options?: Options<DropdownAttrs, DescriptionStyleAttrs> & { options?: readonly DropdownOption<T>[] | { [label: string]: T }; value?: T; label?: string });
    get options(): { label: string; value: T }[];
    set options(options: readonly DropdownOption<T>[] | { [label: string]: T });
    get value(): T | null;
    set value(value: T);
    get label(): string | null;
    set label(label: string);
  }
  interface OutputAttrs extends DOMAttrs { msgId: string; readonly outputs: { [key: string]: unknown }[] }
  /** Captures a cell's output into a widget (like ipywidgets' `with out:`). */
  interface Output extends OutputAttrs {}
  class Output extends Widget {
    constructor(options?: Options<OutputAttrs>);
    /** runs fn with the running cell's output going into this widget (for a promise, until it settles) */
    capture<T>(fn: () => T): T;
    /** clears the widget's outputs (with wait: when the next output arrives) */
    clear(options?: { wait?: boolean }): void;
    appendStdout(text: string): void;
    appendStderr(text: string): void;
    /** appends a rich display of a value */
    appendDisplay(value: unknown): void;
  }
  interface BoxAttrs extends DOMAttrs { children: Widget[]; boxStyle: BarStyle }
  /** Lays children out in a row. */
  interface HBox extends BoxAttrs {}
  class HBox extends Widget { constructor(children?: Widget[] | Options<BoxAttrs>, options?: Options<BoxAttrs>); }
  /** Lays children out in a column. */
  interface VBox extends BoxAttrs {}
  class VBox extends Widget { constructor(children?: Widget[] | Options<BoxAttrs>, options?: Options<BoxAttrs>); }
  interface AnyWidgetOptions<S> extends Options<DOMAttrs> {
    /** the widget's ES module, as source text or a URL: `export default { render({ model, el }) { … } }` */
    esm: string;
    /** CSS text or URL */
    css?: string;
    /** the widget's own state (JSON values or Uint8Array), synced both ways: `model.get("count")` in the ESM */
    state?: S;
    /** identifies the widget's code (its CSS is replaced in place by id); default: a hash of esm */
    anywidgetId?: string;
    /** semver range of the anywidget front-end module; default ">=0.9.0" */
    moduleVersion?: string;
  }
  interface AnyWidget extends Widget, DOMAttrs {
    esm: string;
    css: string;
    readonly anywidgetId: string;
  }
  /**
   * An anywidget-style custom widget (model AnyModel of the `anywidget` front-end module, which must be installed in
   * the frontend): the view imports `esm` and calls its render({ model, el }). Each key of `state` becomes a typed,
   * synced attribute: `new widgets.AnyWidget({ esm, state: { count: 0 } }).count`.
   */
  const AnyWidget: new <S extends { [key: string]: unknown } = {}>(options: AnyWidgetOptions<S>) => AnyWidget & S;
  /** the live widgets of the session */
  function all(): Widget[];
  /** whether state a frontend changed is echoed to every frontend (`echo_update`); default on */
  let echo: boolean;
}
/**
 * Awaits promises (or drains an async iterable) with a live progress bar — an IntProgress widget, and a text
 * line updated in place for frontends without widgets. Resolves with the results in order, like Promise.all.
 */
export declare function progress<T>(items: Iterable<T> | AsyncIterable<T>, options?: { label?: string; total?: number }): Promise<Awaited<T>[]>;
