// The two halves the session interpreter drives: the language side (compile, check, complete — in a worker
// thread in the kernel process) and the runtime (runs cells on the main thread). Async interfaces, so the
// same interpreter works in-process (tests) and across threads (the kernel). The calls themselves are the
// threads' contract (src/session/contract.ts); this adds what stays on the interpreter's own thread.
import type { CellLanguage, LanguageApi, RuntimeApi } from "../session/contract.js";

export type { CellLanguage, CellWarning, CommEvent, PrepareOptions, PrepareResult, RunOutcome } from "../session/contract.js";

export interface LanguageBackend extends LanguageApi {
  /** the language of the cells it compiles (default typescript; the tsloop-js kernelspec asks for javascript) */
  readonly cellLanguage?: CellLanguage;
}

export interface RuntimeBackend extends RuntimeApi {
  /** must not wait for the runtime's thread: it may be spinning */
  interrupt(): void;
}
