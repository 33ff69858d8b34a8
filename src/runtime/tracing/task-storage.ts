// Which traced task's code is running: the tracer and the continuation clock both read it, so it lives below
// both (it was in tracer.ts, which made continuations.ts ⇄ tracer.ts an import circle).
import { AsyncLocalStorage } from "node:async_hooks";
import type { CellTrace } from "./cell-trace.js";

export interface TaskRef {
  trace: CellTrace;
  id: number;
}

/** The traced async call whose code is running (its awaits and the tasks it creates belong to it). */
export const taskStorage = new AsyncLocalStorage<TaskRef>();
