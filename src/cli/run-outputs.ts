// Turns a cell's iopub messages into the outputs nbformat saves, the way JupyterLab's output area does:
// consecutive stream text of the same name merges, display_data / execute_result keep data and metadata,
// errors keep ename / evalue / traceback, clear_output (with wait: at the next output) empties the cell, and
// update_display_data replaces every saved output that showed the same transient display_id, in any cell.
// `transient` itself is never saved (nbformat keeps it out of files).
import type { NotebookCell, NotebookOutput } from "./run-notebook.js";

/** The part of an iopub message the recorder needs. */
export interface OutputMessage {
  msgType: string;
  content: Record<string, unknown>;
}

export class OutputRecorder {
  private readonly displayIds = new WeakMap<NotebookOutput, string>();
  private readonly clearAtNext = new WeakSet<NotebookCell>();
  private readonly cells = new Set<NotebookCell>();

  /** Empties a code cell's outputs and execution count before it runs (its old outputs are from another run). */
  reset(cell: NotebookCell): void {
    cell.outputs = [];
    cell.execution_count = null;
    this.cells.add(cell);
  }

  /** Applies one message to `cell`; returns false for message types that change no output (status, …). */
  apply(cell: NotebookCell, message: OutputMessage): boolean {
    this.cells.add(cell);
    const outputs = (cell.outputs ??= []);
    const c = message.content;
    switch (message.msgType) {
      case "stream": {
        const name = c.name === "stderr" ? "stderr" : "stdout";
        const text = typeof c.text === "string" ? c.text : "";
        this.beforeAdd(cell);
        const last = outputs[outputs.length - 1];
        if (last?.output_type === "stream" && last.name === name) last.text += text;
        else outputs.push({ output_type: "stream", name, text });
        return true;
      }
      case "display_data":
      case "execute_result": {
        this.beforeAdd(cell);
        const data = asRecord(c.data);
        const metadata = asRecord(c.metadata);
        const output: NotebookOutput =
          message.msgType === "execute_result"
            ? { output_type: "execute_result", execution_count: typeof c.execution_count === "number" ? c.execution_count : null, data, metadata }
            : { output_type: "display_data", data, metadata };
        const displayId = transientDisplayId(c);
        if (displayId !== undefined) this.displayIds.set(output, displayId);
        outputs.push(output);
        return true;
      }
      case "update_display_data": {
        const displayId = transientDisplayId(c);
        if (displayId === undefined) return false;
        let updated = false;
        for (const other of this.cells) {
          for (const output of other.outputs ?? []) {
            if ((output.output_type === "display_data" || output.output_type === "execute_result") && this.displayIds.get(output) === displayId) {
              output.data = asRecord(c.data);
              output.metadata = asRecord(c.metadata);
              updated = true;
            }
          }
        }
        return updated;
      }
      case "error": {
        this.beforeAdd(cell);
        outputs.push({
          output_type: "error",
          ename: typeof c.ename === "string" ? c.ename : "Error",
          evalue: typeof c.evalue === "string" ? c.evalue : "",
          traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
        });
        return true;
      }
      case "clear_output":
        if (c.wait === true) this.clearAtNext.add(cell);
        else {
          this.clearAtNext.delete(cell);
          outputs.length = 0;
        }
        return true;
      default:
        return false;
    }
  }

  /** Adds an error output that did not come from the kernel (a timeout, the kernel dying). */
  addError(cell: NotebookCell, ename: string, evalue: string): void {
    this.apply(cell, { msgType: "error", content: { ename, evalue, traceback: [`${ename}: ${evalue}`] } });
  }

  private beforeAdd(cell: NotebookCell): void {
    if (!this.clearAtNext.has(cell)) return;
    this.clearAtNext.delete(cell);
    if (cell.outputs) cell.outputs.length = 0; // in place: callers hold the array
  }
}

export function transientDisplayId(content: Record<string, unknown>): string | undefined {
  const transient = content.transient;
  if (typeof transient !== "object" || transient === null) return undefined;
  const id = (transient as Record<string, unknown>).display_id;
  return typeof id === "string" && id !== "" ? id : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
}
