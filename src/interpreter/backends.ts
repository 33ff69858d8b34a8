// The two halves the session interpreter drives: the language side (compile, check, complete — in a worker
// thread in the kernel process) and the runtime (runs cells on the main thread). Async interfaces, so the
// same interpreter works in-process (tests) and across threads (the kernel).
import type { CellRunId } from "../compiler/plan.js";
import type { CellDiagnostic, CompiledCell } from "../compiler/types.js";
import type { ExecuteOutcome } from "../kernel/interpreter.js";
import type { CompleteReplyOk, Header, InspectReplyOk, IsCompleteReply, JSONObject } from "../protocol/messages.js";
import type { RunRequest } from "../runtime/runtime.js";

/** A problem worth telling the user that does not stop the cell (a lost update, a forgotten await…). */
export interface CellWarning {
  line: number;
  column: number;
  message: string;
  /** what found it, for the timeline's warning count (absent: another type-checker warning) */
  kind?: "floating-promise" | "lost-update";
}

export type PrepareResult =
  | { ok: true; cell: CompiledCell; warnings: CellWarning[] }
  | { ok: false; kind: "syntax" | "type"; diagnostics: CellDiagnostic[] };

export interface PrepareOptions {
  /** the session's setting (off: TSLOOP_TYPECHECK=off); the cell's plan decides the rest (`checksTypes`) */
  typecheck: boolean;
}

/** The language of a session's cells: `tsloop` kernels take TypeScript, `tsloop-js` kernels JavaScript. */
export type CellLanguage = "typescript" | "javascript";

export interface LanguageBackend {
  /** the language of the cells it compiles (default typescript; the tsloop-js kernelspec asks for javascript) */
  readonly cellLanguage?: CellLanguage;
  /** `fileName`: the script's name for the runtime (`cellScriptName(run)` in the notebook's folder) */
  prepare(code: string, fileName: string, run: CellRunId, options: PrepareOptions): Promise<PrepareResult>;
  /** the cell ran: its declarations join the session's types, except `dropped` (names whose initialiser never ran) */
  commit(code: string, run: CellRunId, dropped?: readonly string[]): Promise<void>;
  complete(code: string, cursor: number): Promise<CompleteReplyOk>;
  inspect(code: string, cursor: number, detailLevel: 0 | 1): Promise<InspectReplyOk>;
  isComplete(code: string): Promise<IsCompleteReply>;
}

/** A comm message from the frontend, for the runtime's comm manager. */
export type CommEvent =
  | { kind: "open"; commId: string; targetName: string; data: JSONObject; buffers: Uint8Array[] }
  | { kind: "msg"; commId: string; data: JSONObject; buffers: Uint8Array[]; parent: Header }
  | { kind: "close"; commId: string; data: JSONObject };

/** What running a cell gave: the kernel's outcome, and for a failed cell the declared names it did not define. */
export type RunOutcome = ExecuteOutcome & { dropped?: string[] };

export interface RuntimeBackend {
  run(request: RunRequest): Promise<RunOutcome>;
  /** resolves to false when the comm (or, for open, the target) is unknown */
  comm(event: CommEvent): Promise<boolean>;
  /** must not wait for the runtime's thread: it may be spinning */
  interrupt(): void;
}
