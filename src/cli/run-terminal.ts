// What `tsloop run` prints: a progress line per cell (`[3/12] cell 5 … ok 312 ms`), the cells' outputs as a
// person reads them (stream text, the text/plain of results and displays, tracebacks), late output labelled
// with the cell it belongs to, and notes. Colour only when asked for; otherwise ANSI sequences are stripped from
// what the kernel sent too. Writes through an injected function, so tests read exactly what a terminal gets.
import { type Style, stripAnsi, styled } from "../protocol/ansi.js";

export interface TerminalOptions {
  write: (text: string) => void;
  color: boolean;
  /** Only errors, notes about problems and the summary. */
  quiet: boolean;
  /** tsloop's task timelines: their header line (default) or their whole text form. */
  timelines?: "line" | "full";
}

export interface CellLabel {
  /** 1-based position among the code cells that run. */
  position: number;
  total: number;
  /** 1-based index of the cell in the notebook (markdown cells count). */
  cellNumber: number;
}

export type CellStatus = "ok" | "error" | "timeout" | "died";


/** The mime type of tsloop's task timeline displays (see docs/timeline.md). */
export const TIMELINE_MIME = "application/vnd.tsloop.timeline.v1+json";

export { stripAnsi };

/** Colour on unless --no-color; FORCE_COLOR (not "0"/"false") forces it, NO_COLOR disables it, else a TTY decides. */
export function wantColor(mode: "auto" | "never", isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (mode === "never") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !/^(0|false)$/i.test(force);
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTTY === true;
}

export class TerminalReport {
  /** The progress line of the running cell is open (no newline yet). */
  private lineOpen = false;
  private atLineStart = true;
  /** Whose output was printed last ("5" or "5 late"); output from anyone else gets a heading first. */
  private lastOwner: string | undefined;
  private muted = false;
  /** The latest update_display_data per display_id not printed yet: a live display prints its final state. */
  private readonly updates = new Map<string, { cellNumber: number; content: Record<string, unknown>; late: boolean; timeline: boolean }>();

  constructor(private readonly options: TerminalOptions) {}

  style(style: Style, text: string): string {
    return this.options.color ? styled(style, text) : text;
  }

  cellStarted(label: CellLabel): void {
    this.flushUpdates();
    this.lastOwner = String(label.cellNumber);
    if (this.options.quiet) return;
    this.toLineStart();
    this.write(`${this.label(label)} ${this.style("dim", "…")}`);
    this.lineOpen = true;
    this.atLineStart = false;
  }

  cellFinished(label: CellLabel, status: CellStatus, ms: number, detail = ""): void {
    this.flushUpdates();
    if (this.options.quiet) return;
    const word = { ok: this.style("green", "ok"), error: this.style("red", "error"), timeout: this.style("yellow", "timed out"), died: this.style("red", "kernel died") }[status];
    const tail = `${word} ${this.style("dim", formatMs(ms))}${detail ? ` ${detail}` : ""}\n`;
    if (this.lineOpen) this.write(` ${tail}`);
    else {
      this.toLineStart();
      this.write(`${this.label(label)} ${tail}`);
    }
    this.lineOpen = false;
    this.atLineStart = true;
  }

  /** One iopub message of cell `cellNumber`; `late` when that cell already finished. */
  output(cellNumber: number, msgType: string, content: Record<string, unknown>, late: boolean): void {
    if (isTimeline(content) && (msgType === "display_data" || msgType === "update_display_data")) {
      // A timeline is redrawn while the cell's tasks run; a terminal shows it once, in its final state.
      if (content.metadata === undefined || (content.metadata as Record<string, unknown>).final !== true) return;
      this.updates.set(`timeline ${displayIdOf(content)}`, { cellNumber, content, late, timeline: true });
      return;
    }
    if (msgType === "update_display_data") {
      // Live displays update often; a terminal cannot redraw them, so only the latest state is printed, at
      // the next cell boundary or note.
      const id = displayIdOf(content);
      this.updates.delete(id);
      this.updates.set(id, { cellNumber, content, late, timeline: false });
      return;
    }
    this.print(cellNumber, msgType, content, late);
  }

  /** Prints the held display updates (each display's latest state). */
  flushUpdates(): void {
    const held = [...this.updates.values()];
    this.updates.clear();
    for (const u of held) this.print(u.cellNumber, u.timeline ? "timeline" : "update_display_data", u.content, u.late);
  }

  private print(cellNumber: number, msgType: string, content: Record<string, unknown>, late: boolean): void {
    const text = this.renderOutput(msgType, content);
    if (text === undefined) return;
    if (this.options.quiet && msgType !== "error") return;
    const owner = late ? `${cellNumber} late` : String(cellNumber);
    if (this.lastOwner !== owner || this.options.quiet) {
      this.toLineStart();
      const heading = late ? `late output from cell ${cellNumber}` : `cell ${cellNumber}`;
      this.write(`${this.style("dim", `── ${heading} ──`)}\n`);
      this.lastOwner = owner;
    } else this.toLineStart(msgType !== "stream");
    this.write(text);
  }

  /** A remark from tsloop itself (waiting for late output, interrupting a cell). */
  note(text: string, kind: "info" | "warn" = "info"): void {
    this.flushUpdates();
    if (this.options.quiet && kind === "info") return;
    this.toLineStart();
    this.write(`${kind === "warn" ? this.style("yellow", text) : this.style("dim", text)}\n`);
    this.lastOwner = undefined;
  }

  /** Text written as is (summaries, a traceback in quiet mode), colour stripped when off. */
  raw(text: string): void {
    this.flushUpdates();
    this.toLineStart();
    this.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  label(label: CellLabel): string {
    return `${this.style("bold", `[${label.position}/${label.total}]`)} cell ${label.cellNumber}`;
  }

  /** What an output looks like in a terminal, or undefined for messages that show nothing. */
  renderOutput(msgType: string, content: Record<string, unknown>): string | undefined {
    switch (msgType) {
      case "stream": {
        const text = typeof content.text === "string" ? content.text : "";
        if (text === "") return undefined;
        return content.name === "stderr" ? this.style("red", text) : text;
      }
      case "execute_result":
      case "display_data":
        return withNewline(plainOf(content.data));
      case "update_display_data":
        return `${this.style("dim", "(display updated)")}\n${withNewline(plainOf(content.data))}`;
      case "timeline": {
        const text = plainOf(content.data);
        if (this.options.timelines === "full") return withNewline(text);
        return `${this.style("dim", `timeline: ${(text.split("\n")[0] ?? "").trim()}`)}\n`;
      }
      case "error": {
        const traceback = Array.isArray(content.traceback) ? content.traceback.map(String) : [];
        const text = traceback.length > 0 ? traceback.join("\n") : `${String(content.ename ?? "Error")}: ${String(content.evalue ?? "")}`;
        return withNewline(text);
      }
      default:
        return undefined;
    }
  }

  /** From now on print nothing (the run was stopped by a signal; its own message says so). */
  silence(): void {
    this.muted = true;
  }

  private write(text: string): void {
    const out = this.options.color ? text : stripAnsi(text);
    if (out === "") return;
    this.emit(out);
    this.atLineStart = out.endsWith("\n");
  }

  private emit(text: string): void {
    if (!this.muted) this.options.write(text);
  }

  /** Closes an open progress line; with `force`, also ends a partial output line. */
  private toLineStart(force = true): void {
    if (this.lineOpen) {
      this.emit("\n");
      this.lineOpen = false;
      this.atLineStart = true;
    } else if (force && !this.atLineStart) {
      this.emit("\n");
      this.atLineStart = true;
    }
  }
}

function isTimeline(content: Record<string, unknown>): boolean {
  const data = content.data;
  return typeof data === "object" && data !== null && TIMELINE_MIME in data;
}

function displayIdOf(content: Record<string, unknown>): string {
  const transient = content.transient as { display_id?: unknown } | undefined;
  return typeof transient?.display_id === "string" ? transient.display_id : "";
}

/** text/plain when there is one; otherwise what kinds of output there were. */
export function plainOf(data: unknown): string {
  if (typeof data !== "object" || data === null) return "";
  const bundle = data as Record<string, unknown>;
  const plain = bundle["text/plain"];
  if (typeof plain === "string") return plain;
  if (Array.isArray(plain)) return plain.join("");
  const mimes = Object.keys(bundle);
  return mimes.length === 0 ? "" : `[${mimes.join(", ")} output]`;
}

function withNewline(text: string): string {
  return text.endsWith("\n") || text === "" ? text : `${text}\n`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}
