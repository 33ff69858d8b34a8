// Grades one submission: runs the assembled notebook (grade-plan.ts) on a fresh kernel through the same
// NotebookExecutor as `tsloop run` — every cell bounded by the cell timeout and interrupted past it, errors
// allowed so one broken exercise does not hide the next — and the whole run bounded by the time limit, past
// which the kernel is killed. Only each cell's last 64 KiB of on-time stdout is kept (a flood costs no memory),
// and an exercise's result is the last `CHECK PASS|FAIL: name` line its teacher-owned check cell printed
// before it finished; output arriving later (from a student's timer) is not read.
import { dirname, resolve } from "node:path";
import { KernelClient } from "../client/client.js";
import type { KernelProcess } from "../client/kernel-process.js";
import { type Assembled, type Exercise, assemble } from "./grade-plan.js";
import { type CellRun, type ExecutorReport, NotebookExecutor } from "./run-executor.js";
import { type Notebook, readNotebook } from "./run-notebook.js";
import { OutputRecorder } from "./run-outputs.js";
import type { CellLabel, CellStatus } from "./run-terminal.js";

export type ExerciseStatus = "pass" | "fail" | "error" | "timeout" | "missing";

export interface ExerciseResult {
  exercise: string;
  status: ExerciseStatus;
  /** Why it did not pass (the check's message, the error, what timed out). */
  message?: string;
  /** The check's hint, on a failure. */
  hint?: string;
}

export interface SubmissionResult {
  file: string;
  /** Could not be graded at all (unreadable notebook, kernel did not start); every exercise is then "error". */
  problem?: string;
  results: ExerciseResult[];
  seconds: number;
}

export interface RunLimits {
  timeLimitMs: number;
  cellTimeoutMs: number;
  /** The kernels running now (each added when started, removed when shut down), for a caller that must kill them. */
  running?: Set<KernelProcess>;
}

const KEEP = 64 * 1024;

/** Collects what the executor reports: each cell's on-time stdout (its tail) and how it ended. */
class Collector implements ExecutorReport {
  readonly stdout = new Map<number, string>();
  readonly status = new Map<number, CellStatus>();
  style(_style: Parameters<ExecutorReport["style"]>[0], text: string): string {
    return text;
  }
  cellStarted(): void {}
  cellFinished(label: CellLabel, status: CellStatus): void {
    this.status.set(label.cellNumber, status);
  }
  note(): void {}
  output(cellNumber: number, msgType: string, content: Record<string, unknown>, late: boolean): void {
    if (late || msgType !== "stream" || content.name !== "stdout" || typeof content.text !== "string") return;
    const text = (this.stdout.get(cellNumber) ?? "") + content.text;
    this.stdout.set(cellNumber, text.length > KEEP ? text.slice(-KEEP) : text);
  }
}

/** Keeps no outputs: grading reads the Collector, and a flooding submission must not fill memory. */
class DiscardingRecorder extends OutputRecorder {
  override apply(): boolean {
    return false;
  }
}

export async function gradeSubmission(file: string, teacher: Notebook, teacherPath: string, exercises: readonly Exercise[], limits: RunLimits): Promise<SubmissionResult> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  const unGraded = (problem: string): SubmissionResult => ({ file, problem, results: exercises.map((e) => ({ exercise: e.name, status: "error", message: problem })), seconds: seconds() });
  const read = readNotebook(file);
  if (!read.ok) return unGraded(read.error);
  const plan = assemble(teacher, exercises, read.notebook);

  let client: KernelClient;
  try {
    client = await KernelClient.start({ cwd: dirname(resolve(teacherPath)), env: { TSLOOP_HISTORY: "off" } }, { ready: { timeoutMs: 60_000 } });
  } catch (err) {
    return unGraded(`the kernel did not start: ${(err as Error).message}`);
  }
  const kernel = client.kernel;
  if (kernel) limits.running?.add(kernel);
  const collector = new Collector();
  // The cell timeout bounds the cells that run a student's code: their own and the checks. The teacher's setup
  // and lesson cells (the first of which pays for warming up the type checker) have only the time limit.
  const bounded = new Set(plan.bounded);
  const executor = new NotebookExecutor(client, new DiscardingRecorder(), collector, {
    timeoutMs: limits.cellTimeoutMs,
    timeoutFor: (cell) => (bounded.has(cell.id) ? limits.cellTimeoutMs : undefined),
    graceMs: 0,
    allowErrors: true,
  });
  let overTime = false;
  const limit = setTimeout(() => {
    overTime = true;
    void kernel?.kill("SIGKILL");
  }, limits.timeLimitMs);
  try {
    const outcome = await executor.run(plan.notebook);
    const runs = new Map(outcome.cells.map((c) => [c.label.cellNumber, c]));
    const last = outcome.cells[outcome.cells.length - 1];
    const notRun = outcome.stopped && last ? `not run: the run stopped at cell ${last.label.cellNumber} (${last.ename ?? "Error"}: ${firstLine(last.evalue ?? "")})` : "not run";
    const results = exercises.map((e, i) => judge(e, plan.cells[i] as Assembled["cells"][number], runs, collector, { overTime, notRun, limits }));
    return { file, results, seconds: seconds() };
  } finally {
    clearTimeout(limit);
    await client.shutdown(2_000);
    if (kernel) limits.running?.delete(kernel);
  }
}

interface Context {
  overTime: boolean;
  /** Why a cell has no run (the run stopped early). */
  notRun: string;
  limits: RunLimits;
}

function judge(exercise: Exercise, cells: Assembled["cells"][number], runs: Map<number, CellRun>, collector: Collector, { overTime, notRun, limits }: Context): ExerciseResult {
  const name = exercise.name;
  const ranOut = (run: CellRun | undefined) => run === undefined || (run.status === "died" && overTime);
  const answer = cells.exercise === undefined ? undefined : runs.get(cells.exercise);
  const check = runs.get(cells.check);
  const timeLimit = `the notebook did not finish within its time limit of ${limits.timeLimitMs / 1000} s`;
  if (cells.exercise === undefined) return { exercise: name, status: "missing", message: "the submission has no cell for this exercise" };
  if (answer?.status === "timeout") return { exercise: name, status: "timeout", message: `the exercise cell did not finish within ${limits.cellTimeoutMs / 1000} s` };
  if (answer?.status === "died" && !overTime) return { exercise: name, status: "error", message: `the exercise cell failed: ${answer.ename ?? "Error"}: ${firstLine(answer.evalue ?? "")}` };
  if (ranOut(answer)) return { exercise: name, status: overTime ? "timeout" : "error", message: overTime ? timeLimit : notRun };
  if (check?.status === "timeout") return { exercise: name, status: "timeout", message: `the check did not finish within ${limits.cellTimeoutMs / 1000} s` };
  if (ranOut(check)) return { exercise: name, status: overTime ? "timeout" : "error", message: overTime ? timeLimit : notRun };
  // A pass counts even after an error in the exercise cell; otherwise the student's own error says more than
  // the check's "… is not defined".
  const verdict = lastVerdict(collector.stdout.get(cells.check) ?? "", name);
  if (verdict?.status === "pass") return { exercise: name, ...verdict };
  const failed = [answer, verdict ? undefined : check].find((r) => r !== undefined && r.status !== "ok");
  if (failed) return { exercise: name, status: "error", message: `${failed === answer ? "the exercise cell failed: " : ""}${failed.ename ?? "Error"}: ${firstLine(failed.evalue ?? "")}` };
  if (verdict) return { exercise: name, ...verdict };
  return { exercise: name, status: "error", message: "the check printed no CHECK PASS or CHECK FAIL line" };
}

/** The last `CHECK PASS: name` / `CHECK FAIL: name: why (hint: …)` line for this exercise. */
export function lastVerdict(stdout: string, name: string): Omit<ExerciseResult, "exercise"> | undefined {
  const lines = stdout.split("\n").reverse();
  for (const line of lines) {
    if (line === `CHECK PASS: ${name}`) return { status: "pass" };
    const prefix = `CHECK FAIL: ${name}: `;
    if (line.startsWith(prefix)) {
      const rest = line.slice(prefix.length);
      const hint = /^(.*) \(hint: (.*)\)$/.exec(rest);
      return hint ? { status: "fail", message: hint[1], hint: hint[2] } : { status: "fail", message: rest };
    }
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split("\n").find((l) => l.trim() !== "") ?? "";
}
