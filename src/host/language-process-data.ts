// What the I/O worker passes to the language process it starts, in a module of its own: the worker imports this, not
// ./language-process.ts, which loads the compiler and TypeScript (importing that one for a constant made every
// kernel's I/O worker load typescript.js: ~0.35 s before the language process was even spawned, and its memory).
import type { CellLanguage } from "../session/contract.js";
import type { LogLevel } from "../wire/log.js";

export interface LanguageProcessData {
  cwd: string;
  logLevel: LogLevel;
  /** what to load before the first request: the compiler only, or the type checker too (when cells are checked) */
  warmUp: "compiler" | "all" | "none";
  language: CellLanguage;
}

/** The environment variable that carries `LanguageProcessData` to the process (a snapshot's main has no argv of ours). */
export const LANGUAGE_PROCESS_ENV = "TSLOOP_LANGUAGE_PROCESS";

/** Parses the process's data; a malformed value is a clear error, not a half-started process. */
export function readData(text: string | undefined): LanguageProcessData {
  if (!text) throw new Error(`${LANGUAGE_PROCESS_ENV} is not set: the language process is started by the kernel`);
  const data = JSON.parse(text) as Partial<LanguageProcessData>;
  const ok =
    typeof data.cwd === "string" &&
    typeof data.logLevel === "string" &&
    (data.warmUp === "compiler" || data.warmUp === "all" || data.warmUp === "none") &&
    (data.language === "typescript" || data.language === "javascript");
  if (!ok) throw new Error(`${LANGUAGE_PROCESS_ENV} is not a language process's data: ${text.slice(0, 200)}`);
  return data as LanguageProcessData;
}
