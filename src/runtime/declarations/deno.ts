// The `Deno` global as the type checker sees it: only `Deno.jupyter`, as Deno's kernel defines it. The runtime's
// implementation (../compat/deno.ts) `satisfies` it; scripts/declarations.mjs emits it as a global declaration
// into ./generated.ts, appended to the cell API's globals.

/** Deno's Jupyter display API, for notebooks written for Deno's kernel. Nothing else of Deno's runtime exists here. */
export declare namespace Deno {
  namespace jupyter {
    /** A mime bundle: mime type → data (text, or JSON for the +json types). */
    interface MediaBundle {
      "text/plain"?: string;
      "text/html"?: string;
      "image/svg+xml"?: string;
      "text/markdown"?: string;
      "application/javascript"?: string;
      "image/png"?: string;
      "image/jpeg"?: string;
      "image/gif"?: string;
      "application/pdf"?: string;
      "text/latex"?: string;
      "application/json"?: object;
      [key: string]: unknown;
    }
    /** The display protocol's symbol, `Symbol.for("Jupyter.display")`. */
    const $display: unique symbol;
    /** A value that shows itself as a mime bundle. */
    interface Displayable {
      [$display](): MediaBundle | Promise<MediaBundle>;
    }
    interface DisplayOptions {
      /** `obj` is a mime bundle already (default: format it first) */
      raw?: boolean;
      /** replace the output shown earlier with `display_id` */
      update?: boolean;
      display_id?: string;
    }
    /** Shows `obj` as an output of the running cell. */
    function display(obj: unknown, options?: DisplayOptions): Promise<void>;
    /** The mime bundle `obj` displays as. */
    function format(obj: unknown): Promise<MediaBundle>;
    /** HTML as a displayable value: `Deno.jupyter.html\`<b>${x}</b>\``. */
    function html(strings: TemplateStringsArray, ...values: unknown[]): Displayable;
    /** Markdown as a displayable value. */
    function md(strings: TemplateStringsArray, ...values: unknown[]): Displayable;
    /** SVG markup as a displayable value. */
    function svg(strings: TemplateStringsArray, ...values: unknown[]): Displayable;
    /** A PNG or JPEG image from a file path or its bytes. */
    function image(path: string | Uint8Array): Displayable;
    /** Publishes a message of type `msgType` on the iopub channel, parented to the running cell. */
    function broadcast(msgType: string, content: Record<string, unknown>, extra?: { metadata?: Record<string, unknown>; buffers?: Uint8Array[] }): Promise<void>;
  }
}
