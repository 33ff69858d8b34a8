// `tsloop run NOTEBOOK.ipynb`: executes a notebook headless on a fresh kernel (cwd: the notebook's folder),
// prints what the cells show, optionally writes the executed notebook, and always shuts the kernel down —
// shutdown_request, then a kill if it is not gone in 2 s; Ctrl-C or SIGTERM kill it at once.
// Exit codes: 0 every cell ran (or errors were allowed), 1 a cell failed or timed out or the kernel died,
// 2 a usage error or a notebook that cannot be read or written; 130 / 143 when interrupted by a signal.
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { KernelClient } from "../client/client.js";
import { LAUNCHER, type KernelProcess } from "../client/kernel-process.js";
import type { KernelInfoReply } from "../protocol/messages.js";
import { parseRunArgs, RUN_USAGE, type RunOptions } from "./run-args.js";
import { type CellRun, NotebookExecutor, type RunOutcome } from "./run-executor.js";
import { type Notebook, readNotebook, writeNotebookAtomic } from "./run-notebook.js";
import { OutputRecorder } from "./run-outputs.js";
import { TerminalReport, formatMs, wantColor } from "./run-terminal.js";

export const KERNELSPEC = { name: "tsloop", display_name: "TypeScript (tsloop)", language: "typescript" } as const;
export const JS_KERNELSPEC = { name: "tsloop-js", display_name: "JavaScript (tsloop)", language: "javascript" } as const;

/** A notebook written for a JavaScript kernel (tsloop-js, IJavascript, tslab's jslab) runs on tsloop-js. */
export function notebookLanguage(metadata: Record<string, unknown>): "typescript" | "javascript" {
  const spec = (metadata.kernelspec ?? {}) as { language?: unknown; name?: unknown };
  const info = (metadata.language_info ?? {}) as { name?: unknown };
  const language = typeof spec.language === "string" ? spec.language : info.name;
  return typeof language === "string" && language.toLowerCase() === "javascript" ? "javascript" : "typescript";
}

export async function runCommand(args: string[]): Promise<number> {
  const parsed = parseRunArgs(args);
  if (!parsed.ok) {
    process.stderr.write(`tsloop run: ${parsed.error}\n\n${RUN_USAGE}`);
    return 2;
  }
  if ("help" in parsed) {
    process.stdout.write(RUN_USAGE);
    return 0;
  }
  return runNotebook(parsed.options);
}

/** Runs one notebook as the options say; the exit code is the result (nothing here calls process.exit). */
export async function runNotebook(options: RunOptions): Promise<number> {
  const fail = (message: string, code: number) => {
    process.stderr.write(`tsloop run: ${message}\n`);
    return code;
  };
  const read = readNotebook(options.notebook);
  if (!read.ok) return fail(read.error, 2);
  const notebook = read.notebook;
  const language = notebookLanguage(notebook.metadata);
  if (options.output !== undefined) {
    const folder = dirname(resolve(options.output));
    if (!existsSync(folder) || !statSync(folder).isDirectory()) return fail(`cannot write ${options.output}: no folder ${folder}`, 2);
  }
  const report = new TerminalReport({
    write: (text) => process.stdout.write(text),
    color: wantColor(options.color, process.stdout.isTTY, process.env),
    quiet: options.quiet,
    timelines: options.timelines ? "full" : "line",
  });
  const started = performance.now();

  // Signals end the run at once: the kernel is killed (never left behind), nothing is written.
  let kernel: KernelProcess | undefined;
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = signal;
    report.silence();
    process.stderr.write(`\ntsloop run: ${signal}; stopping the kernel\n`);
    void kernel?.kill("SIGKILL");
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let client: KernelClient | undefined;
  try {
    try {
      client = await KernelClient.start(
        {
          cwd: dirname(resolve(options.notebook)),
          env: { TSLOOP_HISTORY: process.env.TSLOOP_HISTORY ?? "off" },
          ...(language === "javascript" ? { argv: [process.execPath, LAUNCHER, "kernel", "--language", "javascript", "-f", "{connection_file}"] } : {}),
        },
        { ready: { timeoutMs: 60_000 } },
      );
    } catch (err) {
      if (signalled) return signalExit(signalled);
      return fail(`the kernel did not start: ${(err as Error).message}`, 1);
    }
    kernel = client.kernel;
    if (signalled) return signalExit(signalled);
    const executor = new NotebookExecutor(client, new OutputRecorder(), report, {
      timeoutMs: options.timeoutS === undefined ? undefined : options.timeoutS * 1000,
      graceMs: options.graceS * 1000,
      allowErrors: options.allowErrors,
    });
    let outcome: RunOutcome;
    try {
      outcome = await executor.run(notebook);
    } catch (err) {
      if (signalled) return signalExit(signalled);
      throw err;
    }
    if (signalled) return signalExit(signalled);
    if (outcome.pendingCells.length > 0 || outcome.lateStillArriving) {
      const cells = outcome.pendingCells.length === 1 ? `cell ${outcome.pendingCells[0]}` : `cells ${outcome.pendingCells.join(", ")}`;
      const what = outcome.pendingCells.length > 0 ? `${cells} still had timers or promises pending` : "late output was still arriving";
      report.note(`${what} when tsloop stopped waiting (--grace ${options.graceS}; raise it to wait longer)`, "warn");
    }
    await client.shutdown(2_000);

    stampMetadata(notebook, client.kernelInfo?.content, language);
    let wrote = "";
    if (options.output !== undefined) {
      try {
        writeNotebookAtomic(options.output, notebook);
        wrote = `; wrote ${options.output}`;
      } catch (err) {
        return fail((err as Error).message, 2);
      }
    }
    return summarise(report, outcome, performance.now() - started, wrote, options);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (client) await client.shutdown(2_000);
  }
}

/** kernelspec and language_info as Jupyter records them, from the kernel's own kernel_info_reply. */
function stampMetadata(notebook: Notebook, kernelInfo: KernelInfoReply | undefined, language: "typescript" | "javascript"): void {
  notebook.metadata.kernelspec = language === "javascript" ? { ...JS_KERNELSPEC } : { ...KERNELSPEC };
  const languageInfo = kernelInfo?.language_info;
  if (typeof languageInfo === "object" && languageInfo !== null) notebook.metadata.language_info = languageInfo;
}

function summarise(report: TerminalReport, outcome: RunOutcome, ms: number, wrote: string, options: RunOptions): number {
  const failed = outcome.cells.filter((c) => c.status !== "ok");
  const ran = `ran ${outcome.cells.length} cell${outcome.cells.length === 1 ? "" : "s"} in ${formatMs(ms)}`;
  if (failed.length === 0) {
    if (!options.quiet) report.raw(`${report.style("green", ran)}${wrote}`);
    return 0;
  }
  if (!outcome.stopped && options.allowErrors) {
    const which = failed.map((c) => c.label.cellNumber).join(", ");
    report.raw(`${ran}; ${report.style("red", `${failed.length} failed`)} (cell${failed.length === 1 ? "" : "s"} ${which}; --allow-errors)${wrote}`);
    return 0;
  }
  const last = failed[failed.length - 1] as CellRun;
  const what = last.status === "timeout" ? "timed out" : last.status === "died" ? "lost its kernel" : "failed";
  const skipped = outcome.skipped > 0 ? `; ${outcome.skipped} cell${outcome.skipped === 1 ? "" : "s"} not run` : "";
  report.raw(`${ran}${wrote}${skipped}`);
  const evalue = last.status === "died" ? (last.evalue ?? "") : firstLine(last.evalue ?? "");
  process.stderr.write(`tsloop run: cell ${last.label.cellNumber} ${what}: ${last.ename ?? "Error"}${evalue ? `: ${evalue}` : ""}\n`);
  return 1;
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return text.includes("\n") ? `${line} …` : line;
}

function signalExit(signal: NodeJS.Signals): number {
  return signal === "SIGINT" ? 130 : 143;
}
