// The `tslab` module as the type checker sees it when a cell imports "tslab" and no real tslab package is
// installed: tslab 1.0.22's public surface, as tsloop provides it. The runtime's implementation
// (../compat/tslab.ts) `satisfies` it; scripts/declarations.mjs emits it as the module's .d.ts into ./generated.ts.

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
