// Which cell a piece of running code belongs to. AsyncLocalStorage carries the cell's context into every
// timer, promise continuation and I/O callback its code creates, so late output finds its cell.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Header } from "../protocol/messages.js";
import type { CellTrace } from "./tracing/cell-trace.js";

export interface CellContext {
  /** the execute_request header: parent of every output of this cell, now or later */
  parent: Header;
  executionCount: number;
  fileName: string;
  allowStdin: boolean;
  /** aborted when the cell is interrupted */
  abort: AbortController;
  cellId?: string;
  /** the cell run's timeline, when tracing is on for it */
  trace?: CellTrace;
  /** declared names whose initialisers have completed (`__tsloop.defined`) */
  defined?: Set<string>;
}

export const cellStorage = new AsyncLocalStorage<CellContext>();

let lastCell: CellContext | undefined;

/** The cell whose code is running now, or — for code no cell owns — the most recently started cell. */
export function currentCell(): CellContext | undefined {
  return cellStorage.getStore() ?? lastCell;
}

export function ownerCell(): CellContext | undefined {
  return cellStorage.getStore();
}

export function setLastCell(ctx: CellContext): void {
  lastCell = ctx;
}
