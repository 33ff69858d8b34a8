// The language process as the I/O worker drives it: a child process started at once (TypeScript loads while the
// kernel answers kernel_info), from the start-up snapshot when there is a current one, and started again if it dies
// (the session's types are lost with it, the kernel's state is not). Without a snapshot, the first cell's result
// starts one building in the background for the next kernel (src/host/language-snapshot.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import type { LanguageBackend } from "../interpreter/backends.js";
import type { CellLanguage, LanguageApi } from "../session/contract.js";
import { type LogLevel, log } from "../wire/log.js";
import { LANGUAGE_HEAP_FLAGS } from "./jit.js";
import { LANGUAGE_PROCESS_ENV, type LanguageProcessData } from "./language-process-data.js";
import { findSnapshot, snapshotLocations, snapshotsEnabled, startSnapshotBuild } from "./language-snapshot.js";
import { type Endpoint, type Remote, RpcPeer, connect } from "./rpc.js";

export interface LanguageChildOptions {
  cwd: string;
  logLevel: LogLevel;
  typecheck: boolean;
  language: CellLanguage;
  env?: NodeJS.ProcessEnv;
}

/** the process's heap limit, as the language worker thread had (a runaway type blows up here, not in the kernel) */
const MAX_OLD_SPACE_MB = 256;
/** starts in a row that died before answering anything: then the kernel stops trying (a broken install) */
const MAX_FAILED_STARTS = 3;

export class LanguageChild implements LanguageBackend {
  readonly cellLanguage: CellLanguage;
  private child!: ChildProcess;
  private peer!: RpcPeer;
  private remote!: Remote<LanguageApi>;
  private stopping = false;
  private answered = false;
  private failedStarts = 0;
  /** why this kernel does not start the process from a snapshot, whatever is on disk (off, or one failed) */
  private noSnapshot: string | undefined;
  private buildAsked = false;
  /** processes that died before answering anything */
  private readonly diedAtStart = new WeakSet<ChildProcess>();
  /** how this process started, for the log and tests: "snapshot" or why not */
  startedFrom = "";

  constructor(private readonly options: LanguageChildOptions) {
    this.cellLanguage = options.language;
    this.noSnapshot = snapshotsEnabled(this.env) ? undefined : "snapshots are off (TSLOOP_SNAPSHOT)";
    this.start(options.typecheck ? "all" : "compiler");
  }

  private get env(): NodeJS.ProcessEnv {
    return this.options.env ?? process.env;
  }

  private start(warmUp: LanguageProcessData["warmUp"]): void {
    const { cwd, logLevel, language } = this.options;
    const data: LanguageProcessData = { cwd, logLevel, warmUp, language };
    const snapshot = this.noSnapshot === undefined ? findSnapshot(snapshotLocations(this.env)) : { usable: false as const, why: this.noSnapshot };
    const from = snapshot.usable ? [...snapshot.flags, "--snapshot-blob", snapshot.blob] : [join(__dirname, "language-process-main.js")];
    this.startedFrom = snapshot.usable ? "snapshot" : snapshot.why;
    log.debug(`language process: ${snapshot.usable ? `from ${snapshot.blob}` : `no snapshot (${snapshot.why})`}`);
    const env: NodeJS.ProcessEnv = { ...this.env, [LANGUAGE_PROCESS_ENV]: JSON.stringify(data) };
    delete env.NODE_OPTIONS; // the user's Node options are for their code
    const child = spawn(process.execPath, [`--max-old-space-size=${MAX_OLD_SPACE_MB}`, ...LANGUAGE_HEAP_FLAGS, ...from], {
      cwd,
      env,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "advanced",
    });
    this.child = child;
    this.answered = false;
    this.peer = new RpcPeer(endpoint(child), "the I/O worker");
    this.remote = connect<LanguageApi>(this.peer);
    child.on("error", (err) => log.error("language process failed:", err));
    child.on("exit", (code, signal) => {
      if (this.stopping || child !== this.child) return;
      log.error(`language process exited (${signal ?? `code ${code}`}); starting a new one`);
      const peer = this.peer;
      if (!this.answered) {
        this.diedAtStart.add(child);
        this.failedStarts++;
        // A snapshot that cannot start this process (a Node that rejects it): the plain entry from now on.
        if (this.startedFrom === "snapshot") this.noSnapshot = "the snapshot did not start (see above)";
      }
      if (this.failedStarts >= MAX_FAILED_STARTS) {
        log.error(`the language process died ${this.failedStarts} times before answering; not starting it again`);
      } else {
        this.start("none");
      }
      peer.failAll("the language process stopped"); // after the restart: calls it started at start-up go again
    });
  }

  /** A call on the current process; one that process died before answering anything (a failed start, not this
   *  call's doing) goes again to the next process. */
  private async call<T>(run: (remote: Remote<LanguageApi>) => Promise<T>): Promise<T> {
    for (;;) {
      if (this.failedStarts >= MAX_FAILED_STARTS) throw new Error("the language process cannot start (see the kernel's log)");
      const child = this.child;
      try {
        const result = await run(this.remote);
        this.answered = true;
        this.failedStarts = 0;
        return result;
      } catch (err) {
        if (!this.diedAtStart.has(child)) throw err;
      }
    }
  }

  prepare: LanguageApi["prepare"] = async (...a) => {
    try {
      return await this.call((r) => r.prepare(...a));
    } finally {
      this.buildSnapshotOnce();
    }
  };
  commit: LanguageApi["commit"] = (...a) => this.call((r) => r.commit(...a));
  complete: LanguageApi["complete"] = (...a) => this.call((r) => r.complete(...a));
  inspect: LanguageApi["inspect"] = (...a) => this.call((r) => r.inspect(...a));
  isComplete: LanguageApi["isComplete"] = (...a) => this.call((r) => r.isComplete(...a));

  /** After the first cell (never in its way), a kernel that started without a snapshot builds one for the next. */
  private buildSnapshotOnce(): void {
    if (this.buildAsked || this.noSnapshot !== undefined || this.startedFrom === "snapshot") return;
    this.buildAsked = true;
    log.debug("building the language process's start-up snapshot in the background");
    startSnapshotBuild(this.env);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await exited;
  }
}

/** The RPC endpoint over a child's IPC channel (structured clone: `serialization: "advanced"`). */
function endpoint(child: ChildProcess): Endpoint {
  return {
    postMessage: (value) => {
      // A message to a process that just died fails here; its exit handler fails the calls waiting on it.
      child.send(value as object, (err) => {
        if (err) log.debug("could not reach the language process:", err.message);
      });
    },
    on: (event, listener) => child.on(event, listener),
  };
}
