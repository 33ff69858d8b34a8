// The language process: compiles and type-checks cells, answers completion and inspection, off the kernel's main
// thread (user code never waits for the compiler) and off its I/O thread (heartbeats never do). It is a child
// process, not a thread, so that it can start from a V8 start-up snapshot in which TypeScript is loaded and the lib
// files and @types/node are parsed and bound (src/host/language-snapshot.ts, docs/language-service.md).
// `start()` serves the contract on any endpoint (tests drive it over a MessageChannel); `main()` is the process's.
import { LocalLanguage } from "../interpreter/language-local.js";
import type { LanguageApi } from "../session/contract.js";
import { log, setLogLevel, setLogProcessName } from "../wire/log.js";
import { settleJit } from "./jit.js";
import { LANGUAGE_PROCESS_ENV, type LanguageProcessData, readData } from "./language-process-data.js";
import { type Endpoint, RpcPeer, serve } from "./rpc.js";

/** The language side's program: serves `LanguageApi` on `port`, then warms up. */
export function start(port: Endpoint, data: LanguageProcessData): void {
  setLogLevel(data.logLevel);
  const language = new LocalLanguage(data.cwd, data.language);
  serve<LanguageApi>(new RpcPeer(port, "the language process"), language);
  if (data.warmUp !== "none") warmUp(language, data.warmUp);
  else settle(); // a process started again after a crash: no warm-up, the same JIT
}

/** The process's entry: its data from the environment, the contract over the IPC channel to the I/O worker. */
export function main(): void {
  setLogProcessName("lang");
  const data = readData(process.env[LANGUAGE_PROCESS_ENV]);
  const send = process.send?.bind(process);
  if (!send) throw new Error("the language process must be started with an IPC channel (by the kernel's I/O worker)");
  // Jupyter signals the kernel's whole process group: an interrupt is for user code, never for the type checker.
  process.on("SIGINT", () => undefined);
  // The kernel is gone (even killed): nothing is left to answer.
  process.on("disconnect", () => process.exit(0));
  const endpoint: Endpoint = {
    postMessage: (value) => {
      send(value, undefined, undefined, (err: Error | null) => {
        if (err) log.debug("the language process could not answer (the kernel left):", err.message);
      });
    },
    on: (event, listener) => process.on(event, listener),
  };
  start(endpoint, data);
}

/** What a start-up snapshot holds, done while it is built: TypeScript and the cell compiler loaded, and the lib files
 *  and @types/node parsed and bound for the first session service (src/language/shared-documents.ts). */
export function prepareSnapshot(cwd: string): void {
  const language = new LocalLanguage(cwd, "typescript");
  language.warmUpCompiler();
  language.warmUpSharedDocuments();
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
    if (warmUp !== "all") return settle();
    // A request that arrived meanwhile goes first: the checker's warm-up holds this process for a while.
    setImmediate(() => {
      const t1 = performance.now();
      try {
        language.warmUp();
        log.debug(`language service warmed up in ${(performance.now() - t1).toFixed(0)} ms`);
      } catch (err) {
        log.error("language service warm-up failed:", err);
      }
      settle();
    });
  });
}

/** Start-up is over: the JIT as it suits a long session (src/host/jit.ts). */
function settle(): void {
  if (settleJit()) log.debug("Maglev off for the rest of the session (TSLOOP_MAGLEV=on keeps it)");
}
