// The language worker thread: compiles and type-checks cells, answers completion and inspection, off the
// main thread (user code never waits for the compiler) and off the I/O thread (heartbeats never do).
// `start()` runs it; Node loads ./language-worker-main.js, which calls it.
import { LocalLanguage } from "../interpreter/language-local.js";
import type { CellLanguage, LanguageApi } from "../session/contract.js";
import { type LogLevel, log, setLogLevel } from "../wire/log.js";
import { settleJit } from "./jit.js";
import { type Endpoint, RpcPeer, serve } from "./rpc.js";

export interface LanguageWorkerData {
  cwd: string;
  logLevel: LogLevel;
  /** what to load before the first request: the compiler only, or the type checker too (when cells are checked) */
  warmUp: "compiler" | "all" | "none";
  language: CellLanguage;
}

/** The language thread's program: serves `LanguageApi` to the I/O worker on `port`, then warms up. */
export function start(port: Endpoint, data: LanguageWorkerData): void {
  setLogLevel(data.logLevel);
  const language = new LocalLanguage(data.cwd, data.language);
  serve<LanguageApi>(new RpcPeer(port, "the language worker"), language);
  if (data.warmUp !== "none") warmUp(language, data.warmUp);
}

function warmUp(language: LocalLanguage, warmUp: "compiler" | "all"): void {
  setImmediate(() => {
    const t0 = performance.now();
    try {
      language.warmUpCompiler();
      log.debug(`compiler loaded in ${(performance.now() - t0).toFixed(0)} ms`);
    } catch (err) {
      log.error("compiler warm-up failed:", err);
    }
    if (warmUp !== "all") return void settleJit();
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
