// The I/O thread: owns the ZeroMQ sockets and the kernel dispatcher, so heartbeats, control requests and
// interrupts are answered while user code spins on the main thread. Talks to the main thread (runtime)
// and to the language worker (compiler, type checker) by RPC.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { Worker, parentPort, workerData } from "node:worker_threads";
import type { CellLanguage, LanguageBackend, RuntimeBackend } from "../interpreter/backends.js";
import { SessionInterpreter } from "../interpreter/session-interpreter.js";
import { createDebugger } from "../debugger/index.js";
import { Kernel } from "../kernel/kernel.js";
import type { Header, JSONObject, ParentRef } from "../protocol/messages.js";
import type { RunRequest } from "../runtime/runtime.js";
import type { ConnectionInfo } from "../wire/connection.js";
import { type LogLevel, log, setLogLevel } from "../wire/log.js";
import { KernelSockets } from "../wire/sockets.js";
import { RpcPeer } from "./rpc.js";
import { BEAT, FLAG, FLAG_INTERRUPT, FLAG_SAMPLE, SAMPLE_AFTER_MS, SIGINT_AFTER_MS, WATCH, msSince } from "../runtime/loop-signals.js";

export interface IoWorkerData {
  connection: ConnectionInfo;
  flag: SharedArrayBuffer;
  logLevel: LogLevel;
  cwd: string;
  typecheck: boolean;
  historyFile: string | null;
  language: CellLanguage;
}

const data = workerData as IoWorkerData;
setLogLevel(data.logLevel);
const flag = new Int32Array(data.flag);
if (!parentPort) throw new Error("io worker must run in a worker thread");
const main = new RpcPeer(parentPort);

/** The language worker, started at once so TypeScript loads while the kernel answers kernel_info. */
class LanguageThread implements LanguageBackend {
  readonly cellLanguage = data.language;
  private worker!: Worker;
  private peer!: RpcPeer;

  constructor() {
    this.start(data.typecheck ? "all" : "compiler");
  }

  private start(warmUp: "compiler" | "all" | "none"): void {
    this.worker = new Worker(join(__dirname, "..", "language", "worker.js"), {
      resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 },
      workerData: { cwd: data.cwd, logLevel: data.logLevel, warmUp, language: data.language },
    });
    this.peer = new RpcPeer(this.worker);
    const worker = this.worker;
    worker.on("error", (err) => log.error("language worker failed:", err));
    worker.on("exit", (code) => {
      if (this.stopping || worker !== this.worker) return;
      log.error(`language worker exited (code ${code}); starting a new one`);
      this.peer.failAll("the language worker stopped");
      this.start("none");
    });
  }

  private stopping = false;
  prepare = (...a: Parameters<LanguageBackend["prepare"]>) => this.peer.call<Awaited<ReturnType<LanguageBackend["prepare"]>>>("prepare", ...a);
  commit = (...a: Parameters<LanguageBackend["commit"]>) => this.peer.call<void>("commit", ...a);
  complete = (...a: Parameters<LanguageBackend["complete"]>) => this.peer.call<Awaited<ReturnType<LanguageBackend["complete"]>>>("complete", ...a);
  inspect = (...a: Parameters<LanguageBackend["inspect"]>) => this.peer.call<Awaited<ReturnType<LanguageBackend["inspect"]>>>("inspect", ...a);
  isComplete = (...a: Parameters<LanguageBackend["isComplete"]>) => this.peer.call<Awaited<ReturnType<LanguageBackend["isComplete"]>>>("isComplete", ...a);

  async stop(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate();
  }
}

// Watchdog: while the main thread's timeline monitor runs, a heartbeat older than SAMPLE_AFTER_MS means a
// synchronous stretch; ask the next loop guard to record its cell line (for the blocked-loop warning).
setInterval(() => {
  if (Atomics.load(flag, WATCH) === 1 && msSince(Atomics.load(flag, BEAT)) > SAMPLE_AFTER_MS) {
    Atomics.compareExchange(flag, FLAG, 0, FLAG_SAMPLE);
  }
}, 25).unref();

/** The debugger lives here, beside the sockets: this thread runs on while the main thread sits at a breakpoint. */
let publishDebugEvent: (event: JSONObject) => void = () => undefined;
const debuggerBackend = createDebugger(data.language, (event) => publishDebugEvent(event as JSONObject));

const runtime: RuntimeBackend = {
  run: async (request: RunRequest) => {
    await debuggerBackend.cellWillRun(request); // the cell's breakpoints are in V8 before its script is compiled
    return main.call("run", request);
  },
  comm: (event) => main.call("comm", event),
  interrupt: () => {
    // 1. the flag stops compiled loops wherever they run (the guard acknowledges it); 2. the event aborts the
    // running cell's await once the main thread is free, and clears the flag; 3. only an interrupt nobody took
    // within SIGINT_AFTER_MS — unguarded synchronous code — gets a SIGINT, which breaks a vm script (breakOnSigint).
    // A SIGINT sent unconditionally could land after the cell ended and break the next cell's script.
    Atomics.store(flag, FLAG, FLAG_INTERRUPT);
    main.emit("interrupt");
    setTimeout(() => {
      if (Atomics.load(flag, FLAG) === FLAG_INTERRUPT) process.kill(process.pid, "SIGINT");
    }, SIGINT_AFTER_MS);
  },
};

/** Like ipykernel's parent poller: a kernel whose launcher (JPY_PARENT_PID, set by jupyter_client) died is an
 *  orphan nobody can reach; it closes its sockets and ends the process. Checked from this thread, so a busy
 *  main thread cannot keep an orphan alive. */
function watchParent(cleanUp: () => Promise<void>): void {
  if (!process.env.JPY_PARENT_PID) return;
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid === parent) return;
    log.warn(`the process that started the kernel (pid ${parent}) is gone; shutting down`);
    void cleanUp().finally(() => process.kill(process.pid, "SIGTERM"));
  }, 1000).unref();
}

async function start(): Promise<void> {
  // The language worker starts first: loading TypeScript and building the first program (~1 s of CPU) overlaps
  // with binding the sockets and answering kernel_info, instead of starting after them.
  const language = new LanguageThread();
  const sockets = new KernelSockets(data.connection);
  try {
    await sockets.bind();
  } catch (err) {
    await sockets.close().catch(() => undefined);
    await language.stop();
    main.emit("fatal", (err as Error).message);
    return;
  }
  const interpreter = new SessionInterpreter(language, runtime, { cwd: data.cwd, typecheck: data.typecheck });
  const kernel = new Kernel(sockets, interpreter, {
    identity: { session: randomUUID(), username: "tsloop" },
    historyFile: data.historyFile,
    debugger: { ...debuggerBackend, request: async (content) => (await debuggerBackend.request(content)) as JSONObject },
    onShutdown: (restart) => {
      log.info(`shutdown requested (restart: ${restart})`);
      void (async () => {
        await sockets.close();
        await language.stop();
        main.emit("exit", 0);
      })();
    },
  });
  publishDebugEvent = (event) => kernel.debugEvent(event);
  main.on("publish", (parent: ParentRef, msgType: string, content: JSONObject, metadata?: JSONObject, buffers?: Uint8Array[]) => {
    kernel.frontend.publish(parent, msgType, content, metadata, buffers?.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
  });
  main.serve({
    input: (parent: Header, prompt: string, password: boolean) => kernel.frontend.requestInput(parent, prompt, password),
  });
  watchParent(async () => {
    await sockets.close();
    await language.stop();
  });
  sockets.start((msg) => kernel.receive(msg));
  await kernel.announce();
  log.info(`kernel ready on ${data.connection.transport}://${data.connection.ip}`);
}

start().catch((err: unknown) => {
  log.error("io worker failed to start:", err);
  main.emit("fatal", err instanceof Error ? err.message : String(err));
});
