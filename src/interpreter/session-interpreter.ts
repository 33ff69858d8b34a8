// The Interpreter the kernel talks to: for each cell, check and compile it on the language side, run it
// on the runtime, and — when it ran — add its declarations to the session's types.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CellRequest, ExecuteOutcome, Interpreter, KernelIdentityInfo } from "../kernel/interpreter.js";
import type { CompleteReplyOk, Header, InspectReplyOk, IsCompleteReply, JSONObject } from "../protocol/messages.js";
import { log } from "../wire/log.js";
import type { LanguageBackend, RuntimeBackend } from "./backends.js";
import { diagnosticsError } from "./diagnostics.js";

export interface SessionOptions {
  cwd: string;
  /** TSLOOP_TYPECHECK=off: run cells without type checking, session-wide */
  typecheck: boolean;
}

/** Whether a cell can add anything to the session's types: runtime names, or a type-level declaration. Cells that
 *  declare nothing (`1 + 1`, `console.log(x)`) skip the language service's commit, which costs ~30 ms and memory. */
function declaresAnything(declared: readonly string[], code: string): boolean {
  return declared.length > 0 || /\b(interface|type|enum|namespace|module|declare|import|class|function)\b/.test(code);
}

/** Errors after which the runtime keeps the cell's declarations (see Runtime.run). */
const KEEPS_STATE = new Set(["Interrupted", "Deadlock"]);

const NOCHECK = /^\s*(\/\/[^\n]*\n\s*)*\/\/\s*@ts-nocheck\b/;

export class SessionInterpreter implements Interpreter {
  private seq = 0;
  /** The cell being prepared or run; an interrupt before it reaches the runtime stops it from running. */
  private inFlight: { interrupted: boolean } | undefined;

  constructor(
    private readonly language: LanguageBackend,
    private readonly runtime: RuntimeBackend,
    private readonly options: SessionOptions,
  ) {}

  info(): KernelIdentityInfo {
    return kernelIdentity();
  }

  async execute(req: CellRequest): Promise<ExecuteOutcome> {
    if (req.code.trim() === "") return { status: "ok", userExpressions: {} };
    const seq = ++this.seq;
    const fileName = join(this.options.cwd, `tsloop-cell-${seq}.ts`);
    const cellName = `cell_${seq}`;
    const typecheck = this.options.typecheck && !NOCHECK.test(req.code);
    const flight = { interrupted: false };
    this.inFlight = flight;
    try {
      return await this.prepareAndRun(req, fileName, cellName, typecheck, flight);
    } finally {
      this.inFlight = undefined;
    }
  }

  private async prepareAndRun(req: CellRequest, fileName: string, cellName: string, typecheck: boolean, flight: { interrupted: boolean }): Promise<ExecuteOutcome> {
    const prepared = await this.language.prepare(req.code, fileName, cellName, { typecheck });
    if (flight.interrupted) {
      return { status: "error", ename: "Interrupted", evalue: "the kernel was interrupted before the cell started; nothing ran", traceback: ["Interrupted: the kernel was interrupted before the cell started; nothing ran"] };
    }
    if (!prepared.ok) return { status: "error", ...diagnosticsError(prepared.kind, prepared.diagnostics, req.code, req.executionCount) };
    const outcome = await this.runtime.run({
      ...prepared.cell,
      warnings: prepared.warnings,
      source: req.code,
      fileName,
      executionCount: req.executionCount,
      parent: req.parent,
      silent: req.silent,
      allowStdin: req.allowStdin,
      userExpressions: req.userExpressions,
      ...(req.cellId === undefined ? {} : { cellId: req.cellId }),
    });
    // An interrupted (or deadlocked) cell keeps what it declared at run time, so its types join the session too.
    if ((outcome.status === "ok" || KEEPS_STATE.has(outcome.ename)) && declaresAnything(prepared.cell.declared, req.code)) {
      this.language.commit(req.code, cellName).catch((err: unknown) => log.error("could not add the cell's declarations to the session types:", err));
    }
    return outcome;
  }

  complete(code: string, cursorPos: number): Promise<CompleteReplyOk> {
    return this.language.complete(code, cursorPos);
  }

  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectReplyOk> {
    return this.language.inspect(code, cursorPos, detailLevel);
  }

  /** Answered here from TypeScript's parser alone (loaded on first use, ~0.2 s), not by the language worker:
   *  jupyter console waits only 1 s for the first answer, and the worker may still be warming up its checker. */
  async isComplete(code: string): Promise<IsCompleteReply> {
    const { isComplete } = await import("../language/is-complete.js");
    return isComplete(code);
  }

  commOpen(_parent: Header, commId: string, targetName: string, data: JSONObject, buffers: Buffer[]): Promise<boolean> {
    return this.runtime.comm({ kind: "open", commId, targetName, data, buffers });
  }

  commMsg(parent: Header, commId: string, data: JSONObject, buffers: Buffer[]): Promise<boolean> {
    return this.runtime.comm({ kind: "msg", commId, data, buffers, parent });
  }

  commClose(_parent: Header, commId: string, data: JSONObject): Promise<boolean> {
    return this.runtime.comm({ kind: "close", commId, data });
  }

  interrupt(): void {
    if (this.inFlight) this.inFlight.interrupted = true;
    this.runtime.interrupt();
  }

  async shutdown(_restart: boolean): Promise<void> {
    // The process owner ends the threads; the runtime's timers die with the process.
  }
}

let identity: KernelIdentityInfo | undefined;

/** kernel_info without loading the compiler: versions are read from package.json files. */
export function kernelIdentity(): KernelIdentityInfo {
  if (identity) return identity;
  const version = (path: string) => {
    try {
      return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
    } catch {
      return "unknown";
    }
  };
  const tsVersion = version(require.resolve("typescript/package.json"));
  const ownVersion = version(join(__dirname, "..", "..", "package.json"));
  identity = {
    implementation: "tsloop",
    implementationVersion: ownVersion,
    languageInfo: {
      name: "typescript",
      version: tsVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      codemirror_mode: "typescript",
      pygments_lexer: "typescript",
      nbconvert_exporter: "script",
    },
    banner: `tsloop ${ownVersion} — TypeScript ${tsVersion} on Node.js ${process.versions.node}, one persistent event loop`,
    helpLinks: [
      { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
      { text: "Node.js API", url: "https://nodejs.org/api/" },
    ],
  };
  return identity;
}
