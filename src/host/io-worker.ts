// The I/O thread: owns the ZeroMQ sockets and the kernel dispatcher, so heartbeats, control requests and
// interrupts are answered while user code spins on the main thread. Talks to the main thread (runtime)
// and to the language process (compiler, type checker) through the typed contract (src/session/contract.ts).
// `start()` runs it; Node loads ./io-worker-main.js, which calls it.
import { randomUUID } from "node:crypto";
import type { RuntimeBackend } from "../interpreter/backends.js";
import { SessionInterpreter } from "../interpreter/session-interpreter.js";
import { type KernelDebugger, createDebugger } from "../debugger/index.js";
import { Kernel } from "../kernel/kernel.js";
import type { JSONObject } from "../protocol/messages.js";
import type { CellLanguage, IoApi, IoEvents, MainEvents, RunRequest, RuntimeApi } from "../session/contract.js";
import { InterruptSender } from "../session/interrupt-line.js";
import type { ConnectionInfo } from "../wire/connection.js";
import { type LogLevel, log, setLogLevel } from "../wire/log.js";
import { KernelSockets } from "../wire/sockets.js";
import { LanguageChild } from "./language-child.js";
import { type Emit, type Endpoint, type Remote, RpcPeer, connect, emitter, listen, serve } from "./rpc.js";

export interface IoWorkerData {
  connection: ConnectionInfo;
  /** the interrupt line shared with the main thread (src/session/interrupt-line.ts) */
  line: SharedArrayBuffer;
  logLevel: LogLevel;
  cwd: string;
  typecheck: boolean;
  historyFile: string | null;
  language: CellLanguage;
}

/** The runtime on the main thread, as the interpreter drives it: each run numbered on the interrupt line before it
 *  is sent, each interrupt raised against the latest run. `beforeRun` goes first (the debugger puts the cell's
 *  breakpoints into V8 before its script is compiled). */
function mainThreadRuntime(
  main: Remote<RuntimeApi>,
  emit: (run: number) => void,
  line: InterruptSender,
  beforeRun: (request: RunRequest) => Promise<void>,
): RuntimeBackend {
  return {
    run: async (request) => {
      await beforeRun(request);
      line.nextRun();
      return main.run(request);
    },
    comm: (event) => main.comm(event),
    // 1. the flag stops compiled loops wherever they run (the guard acknowledges it); 2. the event, sent after the
    // run request, aborts that run's await once the main thread is free, and lowers the flag; 3. only an interrupt
    // nobody took within SIGINT_AFTER_MS, while that run's synchronous script still runs, gets a SIGINT (breakOnSigint).
    interrupt: () => emit(line.raise()),
  };
}

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

/** The I/O thread's program: `port` leads to the main thread; `language` is the language process, when it was started
 *  already (io-worker-main.ts starts it first). */
export function start(port: Endpoint, data: IoWorkerData, language: LanguageChild = new LanguageChild(data)): void {
  setLogLevel(data.logLevel);
  const peer = new RpcPeer(port, "the I/O worker");
  const emit = emitter<IoEvents>(peer);
  const line = new InterruptSender(data.line, () => process.kill(process.pid, "SIGINT"));
  // Watchdog: a main thread that stopped beating is asked where it is (for the blocked-loop warning).
  setInterval(() => line.sampleIfStalled(), 25).unref();
  // The debugger lives here, beside the sockets: this thread runs on while the main thread sits at a breakpoint.
  let kernel: Kernel | undefined;
  const debuggerBackend = createDebugger(
    data.language,
    (event) => kernel?.debugEvent(event as JSONObject),
    (startMs, endMs) => {
      emit("paused", startMs, endMs);
      line.pauseEnded(); // the report is queued before the main thread runs again (see Tracer.pauseReportDue)
    },
  );
  const cellWillRun = (request: RunRequest) =>
    debuggerBackend.cellWillRun({ source: request.source, fileName: request.fileName, sourceMap: request.sourceMap, js: request.js, declared: request.plan.declared, executionCount: request.executionCount });
  const runtime = mainThreadRuntime(connect<RuntimeApi>(peer), (run) => emit("interrupt", run), line, cellWillRun);
  serveKernel(peer, data, language, runtime, emit, debuggerBackend, (k) => (kernel = k)).catch((err: unknown) => {
    log.error("io worker failed to start:", err);
    emit("fatal", err instanceof Error ? err.message : String(err));
  });
}

async function serveKernel(
  peer: RpcPeer,
  data: IoWorkerData,
  language: LanguageChild,
  runtime: RuntimeBackend,
  emit: Emit<IoEvents>,
  debuggerBackend: KernelDebugger,
  created: (kernel: Kernel) => void,
): Promise<void> {
  // The language process started first: loading TypeScript and building the first program overlap with binding
  // the sockets and answering kernel_info, instead of starting after them.
  const sockets = new KernelSockets(data.connection);
  try {
    await sockets.bind();
  } catch (err) {
    await sockets.close().catch(() => undefined);
    await language.stop();
    emit("fatal", (err as Error).message);
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
        emit("exit", 0);
      })();
    },
  });
  created(kernel);
  listen<MainEvents>(peer, {
    publish: (parent, msgType, content, metadata, buffers) => {
      kernel.frontend.publish(parent, msgType, content, metadata, buffers?.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
    },
  });
  serve<IoApi>(peer, { input: (parent, prompt, password) => kernel.frontend.requestInput(parent, prompt, password) });
  watchParent(async () => {
    await sockets.close();
    await language.stop();
  });
  sockets.start((msg) => kernel.receive(msg));
  await kernel.announce();
  log.info(`kernel ready on ${data.connection.transport}://${data.connection.ip}`);
}
