// `tsloop kernel -f CONNECTION_FILE`: the kernel process. The main thread runs user code (the runtime);
// the I/O worker owns the sockets; the language process (its child) compiles and checks. See docs/architecture.md.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { MIN_KERNEL_NODE_MAJOR, majorOf } from "../client/kernel-node.js";
import { historyFileFor } from "./jupyter-paths.js";
import { parseKernelArgs } from "./kernel-args.js";
import { enableCompileCache } from "../host/compile-cache.js";
import { RpcPeer, connect, emitter, listen, serve } from "../host/rpc.js";
import type { IoWorkerData } from "../host/io-worker.js";
import { realExit } from "../runtime/patches/owner.js";
import type { Runtime } from "../runtime/runtime.js";
import type { IoApi, IoEvents, MainEvents, RuntimeApi } from "../session/contract.js";
import { InterruptReceiver, createInterruptLine } from "../session/interrupt-line.js";
import { type ConnectionInfo, readConnectionFile } from "../wire/connection.js";
import { getLogLevel, log } from "../wire/log.js";
import { switchedOff } from "../session/switches.js";

/** The main thread's program (the kernel's first thread): starts the I/O worker and serves the runtime to it. */
export async function kernelCommand(args: string[]): Promise<number> {
  const parsed = parseKernelArgs(args);
  if (!parsed.ok) {
    process.stderr.write(`tsloop kernel: ${parsed.error}\n`);
    return 2;
  }
  const { connectionFile: file, language } = parsed;
  let connection: ConnectionInfo;
  try {
    connection = readConnectionFile(file);
  } catch (err) {
    // A bad connection file is the user's error, not the kernel's: one clear line, no stack trace.
    process.stderr.write(`tsloop: ${(err as Error).message}\n`);
    return 1;
  }
  if (majorOf(process.versions.node) < MIN_KERNEL_NODE_MAJOR) {
    log.warn(`Node ${process.versions.node} is end-of-life and untested; the kernel supports Node ≥ ${MIN_KERNEL_NODE_MAJOR} (re-run \`tsloop install\`)`);
  }
  const line = createInterruptLine();
  const workerData: IoWorkerData = {
    connection,
    line,
    logLevel: getLogLevel(),
    cwd: process.cwd(),
    typecheck: !switchedOff(process.env.TSLOOP_TYPECHECK),
    historyFile: historyFileFor(), // in the Jupyter data dir; TSLOOP_HISTORY=off keeps it in memory
    language,
  };
  // The I/O worker and the language process it starts share the main thread's compile cache.
  const cacheDir = enableCompileCache();
  const env = cacheDir === undefined ? process.env : { ...process.env, NODE_COMPILE_CACHE: cacheDir };
  // A 4 MB young generation for the I/O worker: with 16 MB the kernel process's PSS after 5 cells was 65–73 MB, with
  // 4 MB 59–60 MB (five kernels each, 2026-12-08); 100,000 printed lines went sent → idle in 244–253 ms against
  // 241–266 ms (the worker frames every message; its garbage is short-lived).
  const io = new Worker(join(__dirname, "..", "host", "io-worker-main.js"), { workerData, env, resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 4 } });
  const peer = new RpcPeer(io, "the main thread");
  const frontend = connect<IoApi>(peer);
  const emit = emitter<MainEvents>(peer);
  // The runtime's modules load while the worker starts (~55 ms that were before it; the worker spawns the language
  // process, which is on the first result's path). Calls and events wait for it; none comes before a cell does.
  const loading = import("../runtime/runtime.js").then(
    ({ Runtime }) =>
      new Runtime(
        {
          publish: (parent, msgType, content, metadata, buffers) => emit("publish", parent, msgType, content, metadata, buffers),
          requestInput: (parent, prompt, password) => frontend.input(parent, prompt, password),
        },
        { cwd: process.cwd(), line: new InterruptReceiver(line) },
      ),
  );
  loading.catch((err: unknown) => {
    log.error("the runtime did not load:", err);
    realExit(1);
  });
  const withRuntime = (use: (runtime: Runtime) => void) => {
    loading.then(use).catch((err: unknown) => log.error("the runtime's event handler threw:", err));
  };
  // SIGINT must never kill the kernel. The kernelspec says interrupt_mode "message": interrupts arrive on the
  // control channel and the I/O worker sends itself a SIGINT only to break a synchronous vm script. That signal
  // can be delivered late (after the interrupted cell ended), so the listener must not act on it, or it would
  // interrupt the next cell; it only logs.
  process.on("SIGINT", () => log.debug("SIGINT received (interrupts arrive as interrupt_request)"));
  serve<RuntimeApi>(peer, { run: async (request) => (await loading).run(request), comm: async (event) => (await loading).comm(event) });
  listen<IoEvents>(peer, {
    interrupt: (run) => withRuntime((runtime) => runtime.interrupt(run)),
    paused: (startMs, endMs) => withRuntime((runtime) => runtime.tracer.debuggerPaused(startMs, endMs)),
    fatal: (message) => {
      process.stderr.write(`tsloop: ${message}\n`);
      realExit(1);
    },
    exit: (code) => {
      endDescendants();
      realExit(code);
    },
  });
  io.on("error", (err) => {
    log.error("io worker crashed:", err);
    realExit(1);
  });
  io.on("exit", (code) => {
    log.error(`io worker exited unexpectedly (code ${code})`);
    realExit(1);
  });
  return 0;
}

/**
 * Ends the processes that user code started (and theirs) when the kernel shuts down, as ipykernel does: SIGTERM,
 * then SIGKILL for any still running after a second. Otherwise a dev server started from a notebook outlives its
 * kernel, holding its port, with nobody left to stop it.
 */
function endDescendants(): void {
  const pids = descendants(process.pid);
  if (pids.length === 0) return;
  log.info(`shutdown: ending ${pids.length} process(es) started from the kernel (${pids.join(", ")})`);
  const send = (pid: number, signal: NodeJS.Signals) => {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  };
  for (const pid of pids) send(pid, "SIGTERM");
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 1_000;
  let alive = pids.filter(running);
  while (alive.length > 0 && Date.now() < deadline) {
    Atomics.wait(pause, 0, 0, 20);
    alive = alive.filter(running);
  }
  for (const pid of alive) send(pid, "SIGKILL");
}

/** Every process below `root`, from one snapshot of the process table (/proc on Linux, `ps` elsewhere). */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  try {
    if (existsSync("/proc/self/stat")) {
      for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        const stat = readProcStat(Number(entry));
        if (stat) parentOf.set(Number(entry), stat.ppid);
      }
    } else {
      for (const line of execFileSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8" }).split("\n")) {
        const [pid, ppid] = line.trim().split(/\s+/).map(Number);
        if (pid && ppid !== undefined) parentOf.set(pid, ppid);
      }
    }
  } catch (err) {
    log.warn("could not list the processes started from the kernel:", err);
    return [];
  }
  const found: number[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = [...parentOf].filter(([, ppid]) => frontier.includes(ppid)).map(([pid]) => pid);
    found.push(...next);
    frontier = next;
  }
  return found;
}

function readProcStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0] ?? "", ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Still running: exists and (on Linux) is not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  if (existsSync("/proc/self/stat")) {
    const stat = readProcStat(pid);
    return stat !== undefined && stat.state !== "Z" && stat.state !== "X";
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

