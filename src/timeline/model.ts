// The task-timeline data model: what one cell run started, on one time axis. Plain JSON-serialisable data
// (numbers, strings, arrays, plain objects), produced by `TimelineRecorder.snapshot()` and read by the renderers.
// Times are milliseconds on a `performance.now()`-like clock (absolute, not relative to the cell's start).

/** What a task is. The gather kinds are the `Promise` combinators. */
export type TaskKind =
  | "async" // a call of an async function: `fetchUser(3)`
  | "await" // waiting on a thenable the runtime knows nothing else about
  | "promise" // a promise made with `new Promise(...)` that user code sees
  | "timeout" // setTimeout
  | "interval" // setInterval
  | "immediate" // setImmediate
  | "all" // Promise.all
  | "allSettled" // Promise.allSettled
  | "race" // Promise.race
  | "any" // Promise.any
  | "io" // an I/O request: fetch, fs, dns, sockets
  | "worker" // a job sent to a worker thread
  | "user"; // a task the user named (a `tsloop.task("name", ...)` helper, say)

export type GatherKind = "all" | "allSettled" | "race" | "any";

/** `cancelled`: clearTimeout/clearInterval/abort before (or instead of) settling. */
export type TaskState = "pending" | "fulfilled" | "rejected" | "cancelled";

/** The id of the cell's own top-level code, used as `parentId` / `awaitedBy.id` for things the cell body does. */
export const CELL_TASK = 0;

export interface TaskFlags {
  /** Still pending when the cell's own code finished, or created after that. */
  outlived?: true;
  /** A promise-like task nobody awaited, `.then`-ed or gathered. */
  neverAwaited?: true;
  /** Rejected with no handler attached (the runtime's `unhandledRejection` saw it). */
  unhandled?: true;
}

export interface Task {
  id: number;
  kind: TaskKind;
  /** `fetchUser(3)`, `setTimeout 500ms`, `Promise.all [3]` — from user source: escape before showing. */
  label: string;
  cell: number;
  line?: number;
  /** The task whose code created this one (`CELL_TASK` for the cell body); absent when unknown. */
  parentId?: number;
  /** The first awaiter (a task id or `CELL_TASK`) and the line of its `await`. */
  awaitedBy?: { id: number; line?: number };
  /** The gather this task is a child of (the first, if several). */
  gatheredBy?: number;
  /** Gathers only: child ids in argument order (at most `MAX_GATHER_CHILDREN`), and how many there were. */
  children?: number[];
  childCount?: number;
  createdAt: number;
  /** Timers: when the (first) firing was due. */
  dueAt?: number;
  /** When its code first ran (a timer's first firing). */
  startedAt?: number;
  settledAt?: number;
  state: TaskState;
  /** A short preview of the fulfilled value (`User {…}`, `42`, `Array(3)`). */
  valuePreview?: string;
  /** `TypeError: boom` for rejected tasks. */
  error?: string;
  /** Main-thread stretches its code ran, in order: [start, end]. Merged beyond a cap (see `busyMs`). */
  runs: [number, number][];
  /** Total main-thread time of all runs, exact even when `runs` was merged. */
  busyMs: number;
  /** Timers: the largest lateness of a firing (fired − due), when it reached the recorder's threshold. */
  lateMs?: number;
  /** Worker jobs: which worker thread ran it (1-based: one lane per thread), when its code ran there, and the CPU
   *  time that thread spent on it (absent where the platform cannot tell). */
  thread?: number;
  threadRun?: [number, number];
  cpuMs?: number;
  flags: TaskFlags;
}

/** Tasks folded into one line: beyond the recorder's cap, or dropped from a capped snapshot. */
export interface TaskAggregate {
  kind: TaskKind;
  label: string;
  count: number;
  pending: number;
  fulfilled: number;
  rejected: number;
  cancelled: number;
  firstCreatedAt: number;
  /** The latest settle among them (absent when none settled). */
  lastSettledAt?: number;
  busyMs: number;
}

/** A pending await inside a function, folded into the task that made it. */
export interface InnerWait {
  /** the awaiting task (`CELL_TASK` when no traced call encloses it) */
  by: number;
  line: number;
  label: string;
  since: number;
}

/** A synchronous run that held the main thread for at least the blocking threshold (50 ms). */
export interface BlockedStretch {
  start: number;
  end: number;
  line?: number;
  /** The task whose code ran (absent: the cell body or unknown). */
  taskId?: number;
}

/** The least a synchronous run lasts to be a blocked stretch (ms). */
export const BLOCKED_MIN_MS = 50;

/** The main thread stopped in the debugger (a breakpoint, a step, a pause on an exception): not busy, not blocked. */
export interface PausedStretch {
  start: number;
  end: number;
}

/** A timer firing that came at least the recorder's threshold after it was due. */
export interface LateTimer {
  taskId: number;
  dueAt: number;
  firedAt: number;
}

export interface TimelineCounters {
  /** Every task recorded, detailed or aggregated. */
  tasks: number;
  /** Tasks that are in `aggregates` rather than `tasks`. */
  aggregated: number;
  /** Promises the runtime made for its own plumbing, counted and not drawn. */
  hiddenPromises: number;
  /** Most non-gather tasks in flight at once (exact, counted live). */
  peakConcurrency: number;
  /** Timers, immediates and awaits made by library or runtime code on the cell's behalf (undici's keep-alive
   *  timer, a helper's inner awaits): folded into the task that caused them, counted here, not drawn. */
  internalTasks?: number;
  /** The main thread's time spent running this cell's code (its body, continuations, callbacks): the exact union
   *  of every stretch, however short — what "busy" should read. */
  mainBusyMs?: number;
  /** Blocked stretches and late timers beyond their caps (counted, not listed). */
  blockedDropped: number;
  blockedDroppedMs: number;
  lateDropped: number;
  /** Time the main thread spent stopped in the debugger during the run (absent when never), every pause counted
   *  even past the `paused` list's cap. Not part of `mainBusyMs` nor of any blocked stretch. */
  pausedMs?: number;
}

/** A warning the cell produced, shown in the header and linked to its row: a forgotten await (the type checker's
 *  floating-promise check), a lost update across an await (src/analysis), or the blocked-loop warning. */
export interface TimelineWarning {
  kind: "floating-promise" | "lost-update" | "blocked";
  /** The cell line it points at (1-based). */
  line?: number;
  /** The task it is about, when known (the blocked stretch's task). */
  taskId?: number;
  message: string;
}

export interface TimelineModel {
  version: 1;
  /** The renderer version that drew the bundle this model came with (set by `timelineBundle`). */
  renderer?: number;
  cell: number;
  startedAt: number;
  /** When the cell's own code finished (absent while it runs). */
  endedAt?: number;
  /** The clock reading this model was taken at: pending bars are drawn to here unless a renderer is given a later now. */
  snapshotAt: number;
  tasks: Task[];
  aggregates: TaskAggregate[];
  blocked: BlockedStretch[];
  lateTimers: LateTimer[];
  /** Main-thread runs of the cell body itself. */
  cellRuns: [number, number][];
  /** Awaits inside functions of promises nothing else knows (folded into their task, not drawn) that are still
   *  pending: what a deadlock message names (`line 16: waits for lockB.acquire()`). At most 1,000. */
  innerWaits?: InnerWait[];
  /** CPU cores available to worker threads (`os.availableParallelism()`), for a header beside the worker lanes. */
  cores?: number;
  counters: TimelineCounters;
  /** Warnings the cell produced (absent when none). */
  warnings?: TimelineWarning[];
  /** Debugger pauses during the run, in time order (absent when none; at most 100 listed). */
  paused?: PausedStretch[];
}

export const GATHER_KINDS: readonly GatherKind[] = ["all", "allSettled", "race", "any"];
export const MAX_GATHER_CHILDREN = 1000;

export function isGatherKind(kind: TaskKind): kind is GatherKind {
  return kind === "all" || kind === "allSettled" || kind === "race" || kind === "any";
}

export function isTimerKind(kind: TaskKind): boolean {
  return kind === "timeout" || kind === "interval" || kind === "immediate";
}

/** Kinds whose result someone is expected to use: left unawaited, they are flagged `neverAwaited`. */
export function isAwaitableKind(kind: TaskKind): boolean {
  return kind === "async" || kind === "promise" || kind === "io" || kind === "worker" || kind === "user" || isGatherKind(kind);
}

/** `Promise.all [3]` */
export function gatherLabel(kind: GatherKind, count: number): string {
  return `Promise.${kind} [${count}]`;
}
