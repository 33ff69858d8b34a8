// Declarations of the cell API for the type checker: every cell sees these globals.
export const CELL_API_DTS = `
type MimeBundle = { [mime: string]: unknown };
interface Displayable { [Symbol.toPrimitive]?: never }
interface DisplayHandle {
  /** the transient display_id of this output */
  readonly displayId: string;
  /** replace the output in place (update_display_data) */
  update(value: unknown): void;
  /** empty the output in place */
  clear(): void;
}
/** Show a value as a rich output now; returns a handle to update it later. */
declare function display(value: unknown, options?: { displayId?: string }): DisplayHandle;
/** Clear the cell's output; with wait, only when the next output arrives. */
declare function clearOutput(options?: { wait?: boolean }): void;
/** Ask the frontend for a line of text (Jupyter's stdin channel). */
declare function input(prompt?: string, options?: { password?: boolean }): Promise<string>;
/** Resolve after ms milliseconds (rejects when the cell is interrupted). */
declare function sleep<T = undefined>(ms: number, value?: T): Promise<T>;
/** HTML markup as a displayable value. */
declare function html(markup: string): object;
/** Markdown text as a displayable value. */
declare function markdown(text: string): object;
/** SVG markup as a displayable value. */
declare function svg(markup: string): object;
/** PNG bytes or base64 text as a displayable value. */
declare function png(data: Uint8Array | ArrayBuffer | string): object;
/** JPEG bytes or base64 text as a displayable value. */
declare function jpeg(data: Uint8Array | ArrayBuffer | string): object;
/** A JSON value shown as a tree. */
declare function json(value: unknown): object;
/** LaTeX math as a displayable value. */
declare function latex(text: string): object;
/** A pending task of some cell, as tsloop.tasks() lists it. */
interface LiveTask {
  cell: number;
  id: number;
  kind: "async" | "await" | "promise" | "timeout" | "interval" | "immediate" | "all" | "allSettled" | "race" | "any" | "io" | "worker" | "user";
  label: string;
  state: string;
  ageMs: number;
  line?: number;
  cancellable: boolean;
}
type CommData = { [key: string]: unknown };
/** A Jupyter comm: messages both ways with the frontend. */
interface Comm {
  readonly commId: string;
  readonly targetName: string;
  readonly isClosed: boolean;
  send(data?: CommData, buffers?: Uint8Array[]): void;
  close(data?: CommData): void;
  onMessage(handler: (data: CommData, buffers: Uint8Array[]) => void | Promise<void>): Comm;
  onClose(handler: (data: CommData) => void): Comm;
}
/** The kernel's own API. */
declare const tsloop: {
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
`;
