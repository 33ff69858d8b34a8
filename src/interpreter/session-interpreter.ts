// The Interpreter the kernel talks to: for each cell, check and compile it on the language side, run it
// on the runtime, and — when it ran — add its declarations to the session's types.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CellRequest, ExecuteOutcome, Interpreter, KernelIdentityInfo } from "../kernel/interpreter.js";
import type { CompleteReplyOk, Header, InspectReplyOk, IsCompleteReply, JSONObject } from "../protocol/messages.js";
import { log } from "../wire/log.js";
import { addsToSessionTypes, cellScriptName, type CellRunId } from "../session/plan.js";
import type { CellLanguage, LanguageBackend, RuntimeBackend } from "./backends.js";
import { diagnosticsError } from "./diagnostics.js";

export interface SessionOptions {
  cwd: string;
  /** TSLOOP_TYPECHECK=off: run cells without type checking, session-wide */
  typecheck: boolean;
}

const INTERRUPTED = Symbol("interrupted");

/** One cell in flight: whether it was interrupted, and a promise that settles when it is. */
class Flight {
  interrupted = false;
  private wake: (value: typeof INTERRUPTED) => void = () => undefined;
  readonly interruptedWhilePending = new Promise<typeof INTERRUPTED>((resolve) => (this.wake = resolve));

  interrupt(): void {
    this.interrupted = true;
    this.wake(INTERRUPTED);
  }
}

export class SessionInterpreter implements Interpreter {
  /** the last cell run's identity (see CellRunId) */
  private lastRun = 0;
  /** The cell being prepared or run; an interrupt before it reaches the runtime stops it from running. */
  private inFlight: Flight | undefined;

  constructor(
    private readonly language: LanguageBackend,
    private readonly runtime: RuntimeBackend,
    private readonly options: SessionOptions,
  ) {}

  info(): KernelIdentityInfo {
    return kernelIdentity(this.language.cellLanguage);
  }

  async execute(req: CellRequest): Promise<ExecuteOutcome> {
    if (req.code.trim() === "") return { status: "ok", userExpressions: {} };
    const run = ++this.lastRun;
    const fileName = join(this.options.cwd, cellScriptName(run, this.language.cellLanguage ?? "typescript"));
    const flight = new Flight();
    this.inFlight = flight;
    try {
      return await this.prepareAndRun(req, fileName, run, flight);
    } finally {
      this.inFlight = undefined;
    }
  }

  private async prepareAndRun(req: CellRequest, fileName: string, run: CellRunId, flight: Flight): Promise<ExecuteOutcome> {
    // An interrupt during the check (the first one builds the program: a second or more) answers at once; the
    // language worker finishes that check in the background and the next cell's request queues behind it.
    // The language side reads the cell's plan and decides from it (and the session's setting) whether to check.
    const preparing = this.language.prepare(req.code, fileName, run, { typecheck: this.options.typecheck });
    const prepared = await Promise.race([preparing, flight.interruptedWhilePending]);
    if (prepared === INTERRUPTED) preparing.catch((err: unknown) => log.error("the interrupted cell's check failed:", err));
    if (prepared === INTERRUPTED || flight.interrupted) {
      return { status: "error", ename: "Interrupted", evalue: "the kernel was interrupted before the cell started; nothing ran", traceback: ["Interrupted: the kernel was interrupted before the cell started; nothing ran"] };
    }
    if (!prepared.ok) return { status: "error", ...diagnosticsError(prepared.kind, prepared.diagnostics, req.code, req.executionCount) };
    const { dropped, ...outcome } = await this.runtime.run({
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
    // A cell that ran keeps what it defined, also when it failed later (the runtime says which names never got
    // their value): those declarations join the session's types.
    if (addsToSessionTypes(prepared.cell.plan)) {
      this.language.commit(req.code, run, dropped ?? []).catch((err: unknown) => log.error("could not add the cell's declarations to the session types:", err));
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
    this.inFlight?.interrupt();
    this.runtime.interrupt();
  }

  async shutdown(_restart: boolean): Promise<void> {
    // The process owner ends the threads; the runtime's timers die with the process.
  }
}

const identities = new Map<CellLanguage, KernelIdentityInfo>();

/** kernel_info without loading the compiler: versions are read from package.json files. */
export function kernelIdentity(language: CellLanguage = "typescript"): KernelIdentityInfo {
  const known = identities.get(language);
  if (known) return known;
  const version = (path: string) => {
    try {
      return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
    } catch {
      return "unknown";
    }
  };
  const tsVersion = version(require.resolve("typescript/package.json"));
  const ownVersion = version(join(__dirname, "..", "..", "package.json"));
  const javascript = language === "javascript";
  const identity: KernelIdentityInfo = {
    implementation: "tsloop",
    implementationVersion: ownVersion,
    languageInfo: javascript
      ? {
          name: "javascript",
          version: process.versions.node,
          mimetype: "application/javascript",
          file_extension: ".js",
          codemirror_mode: "javascript",
          pygments_lexer: "javascript",
          nbconvert_exporter: "script",
        }
      : {
          name: "typescript",
          version: tsVersion,
          mimetype: "text/typescript",
          file_extension: ".ts",
          codemirror_mode: "typescript",
          pygments_lexer: "typescript",
          nbconvert_exporter: "script",
        },
    banner: javascript
      ? `tsloop ${ownVersion} — JavaScript on Node.js ${process.versions.node} (types from TypeScript ${tsVersion}), one persistent event loop`
      : `tsloop ${ownVersion} — TypeScript ${tsVersion} on Node.js ${process.versions.node}, one persistent event loop`,
    helpLinks: [
      { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
      { text: "Node.js API", url: "https://nodejs.org/api/" },
    ],
  };
  identities.set(language, identity);
  return identity;
}
