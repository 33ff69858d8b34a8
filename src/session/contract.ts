// The contract between the kernel's three threads, in one place and as types only: what the I/O worker asks of
// the language worker (`LanguageApi`) and of the main thread (`RuntimeApi`), what the main thread asks of the I/O
// worker (`IoApi`), and the events each side sends (`IoEvents`, `MainEvents`). `src/host/rpc.ts` turns these
// interfaces into typed calls, so a renamed method or a changed argument is a compile error on both sides.
// It also holds what crosses the compiler → runtime boundary (a compiled cell and its plan, ./plan.ts). Imports
// nothing but protocol types and the plan.
import type {
  CompleteReplyOk,
  ErrorContent,
  Header,
  InspectReplyOk,
  IsCompleteReply,
  JSONObject,
  MimeBundle,
  ParentRef,
  UserExpressionResult,
} from "../protocol/messages.js";
import type { CellPlan, CellRunId } from "./plan.js";

/** A diagnostic against the cell's own TypeScript source; line and column are 1-based, column in UTF-16 units. */
export interface CellDiagnostic {
  line: number;
  column: number;
  /** length of the span the caret should underline (at least 1) */
  length: number;
  message: string;
  /** TypeScript's diagnostic code (e.g. 2322), 0 when not from TypeScript */
  code: number;
  category: "error" | "warning";
  /** set by tsloop's own checks (a forgotten await), so that the timeline can count the warning */
  rule?: "floating-promise";
}

/**
 * A compiled cell: a JavaScript *script* (not a module) and the cell's plan. Evaluating `js` yields a Promise that
 * resolves to `{ value }` when `plan.hasResult` is true (the value of the cell's last expression) and to
 * `undefined` otherwise. Top-level declarations become assignments to globals named in `plan.declared`, which the
 * runtime creates before running; if the cell fails it rolls back those not yet marked by `__tsloop.defined(…)`,
 * emitted after each top-level declaration. The script uses only the `__tsloop` global described in
 * `./cell-globals.ts`.
 */
export interface CompiledCell {
  js: string;
  /** Source map v3 (JSON text) from `js` back to the cell's TypeScript source. */
  sourceMap: string;
  /** What every thread needs to know about the cell, read from the same parse (directives, names, result). */
  plan: CellPlan;
}

/** A problem worth telling the user that does not stop the cell (a lost update, a forgotten await…). */
export interface CellWarning {
  line: number;
  column: number;
  message: string;
  /** what found it, for the timeline's warning count (absent: another type-checker warning) */
  kind?: "floating-promise" | "lost-update";
}

/** The language of a session's cells: `tsloop` kernels take TypeScript, `tsloop-js` kernels JavaScript. */
export type CellLanguage = "typescript" | "javascript";

export interface PrepareOptions {
  /** the session's setting (off: TSLOOP_TYPECHECK=off); the cell's plan decides the rest (`checksTypes`) */
  typecheck: boolean;
}

export type PrepareResult =
  | { ok: true; cell: CompiledCell; warnings: CellWarning[] }
  | { ok: false; kind: "syntax" | "type"; diagnostics: CellDiagnostic[] };

/** What the language worker serves (compiler, type checker, completion): called by the I/O worker. */
export interface LanguageApi {
  /** `fileName`: the script's name for the runtime (`cellScriptName(run)` in the notebook's folder) */
  prepare(code: string, fileName: string, run: CellRunId, options: PrepareOptions): Promise<PrepareResult>;
  /** the cell ran: its declarations join the session's types, except `dropped` (names whose initialiser never ran) */
  commit(code: string, run: CellRunId, dropped?: readonly string[]): Promise<void>;
  complete(code: string, cursor: number): Promise<CompleteReplyOk>;
  inspect(code: string, cursor: number, detailLevel: 0 | 1): Promise<InspectReplyOk>;
  isComplete(code: string): Promise<IsCompleteReply>;
}

/** A cell for the runtime to run: the compiled script and what the kernel knows about the request. */
export interface RunRequest extends CompiledCell {
  /** static warnings for the cell (shown on stderr before it runs, unless silenced) */
  warnings?: CellWarning[];
  /** the cell's TypeScript source, for code frames */
  source: string;
  fileName: string;
  executionCount: number;
  parent: Header;
  silent: boolean;
  allowStdin: boolean;
  userExpressions: Record<string, string>;
  cellId?: string;
}

/** How a cell ended, as the kernel replies it. */
export type ExecuteOutcome =
  | { status: "ok"; result?: { data: MimeBundle; metadata: JSONObject }; userExpressions: Record<string, UserExpressionResult> }
  | ({ status: "error" } & ErrorContent);

/** What running a cell gave: the kernel's outcome, and for a failed cell the declared names it did not define. */
export type RunOutcome = ExecuteOutcome & { dropped?: string[] };

/** A comm message from the frontend, for the runtime's comm manager. */
export type CommEvent =
  | { kind: "open"; commId: string; targetName: string; data: JSONObject; buffers: Uint8Array[] }
  | { kind: "msg"; commId: string; data: JSONObject; buffers: Uint8Array[]; parent: Header }
  | { kind: "close"; commId: string; data: JSONObject };

/** What the main thread (the runtime) serves: called by the I/O worker. */
export interface RuntimeApi {
  run(request: RunRequest): Promise<RunOutcome>;
  /** resolves to false when the comm (or, for open, the target) is unknown */
  comm(event: CommEvent): Promise<boolean>;
}

/** What the I/O worker serves to the main thread. */
export interface IoApi {
  /** a line from the frontend (stdin channel); rejects when the request did not allow stdin */
  input(parent: Header, prompt: string, password: boolean): Promise<string>;
}

/** Events from the I/O worker to the main thread. */
export type IoEvents = {
  /** interrupt_request: stop the run numbered `run` (see src/session/interrupt-line.ts) */
  interrupt: [run: number];
  /** the I/O worker could not start (a port in use…): print the message and exit 1 */
  fatal: [message: string];
  /** shutdown_request handled: end the processes started from the kernel and exit */
  exit: [code: number];
  /** the debugger stopped the main thread from `startMs` to `endMs`, on the wall clock both threads share
   *  (`performance.timeOrigin + performance.now()`); sent as it resumes the thread, so the timeline can cut the
   *  pause from busy and blocked time and mark it */
  paused: [startMs: number, endMs: number];
};

/** Events from the main thread to the I/O worker. */
export type MainEvents = {
  /** a message for iopub, attributed to `parent` */
  publish: [parent: ParentRef, msgType: string, content: JSONObject, metadata?: JSONObject, buffers?: Uint8Array[]];
};
