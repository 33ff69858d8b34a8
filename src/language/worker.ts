// The language worker thread: compiles and type-checks cells, answers completion and inspection, off the
// main thread (user code never waits for the compiler) and off the I/O thread (heartbeats never do).
import { parentPort, workerData } from "node:worker_threads";
import { settleJit } from "../host/jit.js";
import { RpcPeer } from "../host/rpc.js";
import type { CellLanguage } from "../interpreter/backends.js";
import { LocalLanguage } from "../interpreter/language-local.js";
import { type LogLevel, log, setLogLevel } from "../wire/log.js";

interface LanguageWorkerData {
  cwd: string;
  logLevel: LogLevel;
  /** what to load before the first request: the compiler only, or the type checker too (when cells are checked) */
  warmUp: "compiler" | "all" | "none";
  language: CellLanguage;
}

const data = workerData as LanguageWorkerData;
setLogLevel(data.logLevel);
if (!parentPort) throw new Error("language worker must run in a worker thread");
const peer = new RpcPeer(parentPort);
const language = new LocalLanguage(data.cwd, data.language);
peer.serve({
  prepare: (...a: Parameters<LocalLanguage["prepare"]>) => language.prepare(...a),
  commit: (...a: Parameters<LocalLanguage["commit"]>) => language.commit(...a),
  complete: (...a: Parameters<LocalLanguage["complete"]>) => language.complete(...a),
  inspect: (...a: Parameters<LocalLanguage["inspect"]>) => language.inspect(...a),
  isComplete: (...a: Parameters<LocalLanguage["isComplete"]>) => language.isComplete(...a),
});
if (data.warmUp !== "none") {
  setImmediate(() => {
    const t0 = performance.now();
    try {
      language.warmUpCompiler();
      log.debug(`compiler loaded in ${(performance.now() - t0).toFixed(0)} ms`);
    } catch (err) {
      log.error("compiler warm-up failed:", err);
    }
    if (data.warmUp !== "all") return void settleJit();
    // A request that arrived meanwhile goes first: the checker's warm-up holds this thread for about a second.
    setImmediate(() => {
      const t1 = performance.now();
      try {
        language.warmUp();
        log.debug(`language service warmed up in ${(performance.now() - t1).toFixed(0)} ms`);
      } catch (err) {
        log.error("language service warm-up failed:", err);
      }
      // start-up is over: see src/host/jit.ts
      if (settleJit()) log.debug("Maglev off for the rest of the session (TSLOOP_MAGLEV=on keeps it)");
    });
  });
}
