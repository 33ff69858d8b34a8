// Deadlock detection for the running cell, from facts the runtime has rather than a timeout guess: while a
// cell awaits, a 100 ms watch checks whether anything that could ever settle its await is still pending on
// the main thread — a timer, interval, immediate, I/O handle or request, child process, worker (Node's
// `process.getActiveResourcesInfo()`, less the kernel's own resources), an input request or an open comm.
// Two empty checks in a row end the cell with `Deadlock`, naming what each stuck task waits for.
import type { Task, TimelineModel } from "../timeline/index.js";
import { CELL_TASK } from "../timeline/index.js";
import { realSetInterval, realClearInterval } from "./real-timers.js";

const CHECK_MS = 100;
const EMPTY_CHECKS = 2;

type Counts = Map<string, number>;

function countResources(): Counts {
  const counts: Counts = new Map();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

/** Resources beyond the kernel's own baseline (what user code keeps alive). */
function userResources(baseline: Counts): string[] {
  const out: string[] = [];
  for (const [type, n] of countResources()) {
    const extra = n - (baseline.get(type) ?? 0);
    for (let i = 0; i < extra; i++) out.push(type);
  }
  return out;
}

export interface DeadlockSources {
  /** input requests, open comms: things that can wake a cell without an active resource on this thread */
  otherWakers(): number;
}

export class DeadlockWatch {
  private baseline: Counts | undefined;

  constructor(private readonly sources: DeadlockSources) {}

  /** The kernel's own resources, measured once before the first cell runs user code. */
  captureBaseline(): void {
    this.baseline ??= countResources();
  }

  /** Watch while a cell awaits; calls `onDeadlock` at most once. Returns a function that stops watching. */
  watch(onDeadlock: () => void): () => void {
    const baseline = this.baseline ?? countResources();
    let empty = 0;
    const timer = realSetInterval(() => {
      const idle = userResources(baseline).length === 0 && this.sources.otherWakers() === 0;
      empty = idle ? empty + 1 : 0;
      if (empty >= EMPTY_CHECKS) {
        realClearInterval(timer);
        onDeadlock();
      }
    }, CHECK_MS);
    timer.unref();
    return () => realClearInterval(timer);
  }
}

export class DeadlockError extends Error {
  override name = "Deadlock";
}

/** The message: what the cell waits for, and the chain of waits the timeline knows. */
export function describeDeadlock(model: TimelineModel | undefined): string {
  const lines = ["nothing can ever settle what this cell is waiting for: no timer, interval, I/O, child process, worker job, input request or comm is pending."];
  if (model) {
    const pending = model.tasks.filter((t) => t.state === "pending");
    const byId = new Map(model.tasks.map((t) => [t.id, t]));
    const childrenOf = (id: number) =>
      pending.filter((t) => (t.awaitedBy?.id ?? t.parentId) === id || (id !== CELL_TASK && byId.get(id)?.children?.includes(t.id) === true));
    const seen = new Set<number>();
    const walk = (task: Task, depth: number) => {
      if (seen.has(task.id) || depth > 6) return;
      seen.add(task.id);
      const where = task.awaitedBy?.line !== undefined ? `line ${task.awaitedBy.line}: ` : task.line !== undefined ? `line ${task.line}: ` : "";
      const verb = task.kind === "await" ? "waits for" : task.kind === "async" ? "task" : "waits on";
      lines.push(`${"  ".repeat(depth + 1)}${where}${verb} ${task.label}`);
      for (const child of childrenOf(task.id)) walk(child, depth + 1);
      waitsOf(task.id, depth + 1);
    };
    // Awaits inside functions (folded into their task on the drawing) are where a lock cycle shows.
    const waitsOf = (by: number, depth: number) => {
      if (depth > 7) return;
      for (const w of model.innerWaits ?? []) if (w.by === by) lines.push(`${"  ".repeat(depth + 1)}line ${w.line}: waits for ${w.label}`);
    };
    for (const root of childrenOf(CELL_TASK)) walk(root, 0);
    waitsOf(CELL_TASK, 0);
  }
  lines.push("The session's variables, timers and modules are kept, as after an interrupt.");
  return lines.join("\n");
}
