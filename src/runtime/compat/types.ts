// Declarations for the checker of what ./tslab.ts and ./deno.ts provide at run time. TSLAB_DTS is the module a
// cell's `import … from "tslab"` resolves to when no real tslab package is installed (see the language host's
// fallback modules); DENO_DTS is appended to the cell API's globals. Unit tests tie both to the implementations.

/** The text of the fallback `tslab` module: tslab 1.0.22's public surface, as tsloop provides it. */
export const TSLAB_DTS = `
/** One rich output per call; a display from newDisplay() replaces its one output in place on every later call. */
export interface Display {
  /** text/javascript */
  javascript(s: string): void;
  /** text/html */
  html(s: string): void;
  /** text/markdown */
  markdown(s: string): void;
  /** text/latex */
  latex(s: string): void;
  /** image/svg+xml */
  svg(s: string): void;
  /** image/png, from the image's bytes (e.g. fs.readFileSync("plot.png")) */
  png(b: Uint8Array): void;
  /** image/jpeg, from the image's bytes */
  jpeg(b: Uint8Array): void;
  /** image/gif, from the image's bytes */
  gif(b: Uint8Array): void;
  /** application/pdf, from the document's bytes */
  pdf(b: Uint8Array): void;
  /** text/plain */
  text(s: string): void;
  /** any mime type: text as it is, bytes base64-encoded */
  raw(contentType: string, b: string | Uint8Array): void;
}
interface Versions {
  /** tsloop's version (tsloop stands in for tslab) */
  tslab: string;
  typescript: string;
  /** process.version, e.g. "v20.19.0" */
  node: string;
}
/** The version strings of the kernel and its dependencies. */
export declare const versions: Versions;
/** Utility functions to display rich contents; each call adds an output. */
export declare const display: Display;
/** A Display that shows a single output and overwrites it on each call (progress bars, live status). */
export declare function newDisplay(): Display;
/** True: the code runs inside a Jupyter kernel. */
export declare function isJupyterEnv(): boolean;
`;

/** The \`Deno\` global: only \`Deno.jupyter\`, as Deno's kernel defines it. */
export const DENO_DTS = `
/** Deno's Jupyter display API, for notebooks written for Deno's kernel. Nothing else of Deno's runtime exists here. */
declare namespace Deno {
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
    /** The display protocol's symbol, \`Symbol.for("Jupyter.display")\`. */
    const $display: unique symbol;
    /** A value that shows itself as a mime bundle. */
    interface Displayable {
      [$display](): MediaBundle | Promise<MediaBundle>;
    }
    interface DisplayOptions {
      /** \`obj\` is a mime bundle already (default: format it first) */
      raw?: boolean;
      /** replace the output shown earlier with \`display_id\` */
      update?: boolean;
      display_id?: string;
    }
    /** Shows \`obj\` as an output of the running cell. */
    function display(obj: unknown, options?: DisplayOptions): Promise<void>;
    /** The mime bundle \`obj\` displays as. */
    function format(obj: unknown): Promise<MediaBundle>;
    /** HTML as a displayable value: \`Deno.jupyter.html\\\`<b>\${x}</b>\\\`\`. */
    function html(strings: TemplateStringsArray, ...values: unknown[]): Displayable;
    /** Markdown as a displayable value. */
    function md(strings: TemplateStringsArray, ...values: unknown[]): Displayable;
    /** SVG markup as a displayable value. */
    function svg(strings: TemplateStringsArray, ...values: unknown[]): Displayable;
    /** A PNG or JPEG image from a file path or its bytes. */
    function image(path: string | Uint8Array): Displayable;
    /** Publishes a message of type \`msgType\` on the iopub channel, parented to the running cell. */
    function broadcast(msgType: string, content: Record<string, unknown>, extra?: { metadata?: Record<string, unknown>; buffers?: Uint8Array[] }): Promise<void>;
  }
}
`;
