// `tsloop grade TEACHER.ipynb SUBMISSION.ipynb...`: grades a class's notebooks. Reads the teacher's exercises,
// grades up to --jobs submissions at once (each on its own kernel, see grade-run.ts), then prints the table
// and writes --json / --junit. Ctrl-C or SIGTERM kill every kernel still running and write nothing.
import { writeFileSync } from "node:fs";
import type { KernelProcess } from "../client/kernel-process.js";
import { GRADE_USAGE, type GradeOptions, parseGradeArgs } from "./grade-args.js";
import { teacherExercises } from "./grade-plan.js";
import { type Grading, ansi, formatJson, formatJunit, formatTable, passed, plain } from "./grade-report.js";
import { type SubmissionResult, gradeSubmission } from "./grade-run.js";
import { readNotebook } from "./run-notebook.js";
import { wantColor } from "./run-terminal.js";

export async function gradeCommand(args: string[]): Promise<number> {
  const parsed = parseGradeArgs(args);
  if (!parsed.ok) {
    process.stderr.write(`tsloop grade: ${parsed.error}\n\n${GRADE_USAGE}`);
    return 2;
  }
  if ("help" in parsed) {
    process.stdout.write(GRADE_USAGE);
    return 0;
  }
  return grade(parsed.options);
}

export async function grade(options: GradeOptions): Promise<number> {
  const teacher = readNotebook(options.teacher);
  if (!teacher.ok) return usageError(teacher.error);
  const plan = teacherExercises(teacher.notebook, options.teacher);
  if (!plan.ok) return usageError(plan.error);
  const names = plan.exercises.map((e) => e.name);
  const tableToStdout = options.json !== "-" && options.junit !== "-";
  const progress = (text: string) => process.stderr.write(text);
  progress(`grading ${options.submissions.length} submission${options.submissions.length === 1 ? "" : "s"} on ${names.length} exercises (${names.join(", ")}), ${options.jobs} at a time\n`);

  // A signal ends the grading: every kernel still running is killed (never left behind), nothing is written.
  const running = new Set<KernelProcess>();
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\ntsloop grade: ${signal}; stopping ${running.size} kernel${running.size === 1 ? "" : "s"}\n`);
    void Promise.all([...running].map((k) => k.kill("SIGKILL"))).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const results: SubmissionResult[] = new Array<SubmissionResult>(options.submissions.length);
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < options.submissions.length) {
        const i = next++;
        const file = options.submissions[i] as string;
        const result = await gradeSubmission(file, teacher.notebook, options.teacher, plan.exercises, {
          timeLimitMs: options.timeLimitS * 1000,
          cellTimeoutMs: options.cellTimeoutS * 1000,
          running,
        });
        results[i] = result;
        progress(`  ${file}: ${result.problem ? `not graded (${result.problem})` : `${passed(result)}/${names.length}`} in ${result.seconds} s\n`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.jobs, options.submissions.length) }, () => worker()));
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }

  const grading: Grading = { teacher: options.teacher, exercises: names, submissions: results };
  const colour = wantColor(options.color, process.stdout.isTTY, process.env);
  if (tableToStdout) process.stdout.write(formatTable(grading, colour ? ansi : plain));
  else process.stderr.write(formatTable(grading, wantColor(options.color, process.stderr.isTTY, process.env) ? ansi : plain));
  for (const [target, text] of [
    [options.json, () => formatJson(grading)],
    [options.junit, () => formatJunit(grading)],
  ] as const) {
    if (target === undefined) continue;
    if (target === "-") process.stdout.write(text());
    else {
      try {
        writeFileSync(target, text());
      } catch (err) {
        process.stderr.write(`tsloop grade: cannot write ${target}: ${(err as Error).message}\n`);
        return 2;
      }
    }
  }
  return results.some((r) => r.problem !== undefined) ? 1 : 0;
}

function usageError(message: string): number {
  process.stderr.write(`tsloop grade: ${message}\n`);
  return 2;
}
