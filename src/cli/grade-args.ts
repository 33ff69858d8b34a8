// The command line of `tsloop grade`: parsed into options, or a usage error that says what was expected and
// what was given. Pure, so that it is tested as a table.
import { tokenizeArgs } from "./arg-tokens.js";
import { availableParallelism } from "node:os";

export interface GradeOptions {
  /** The teacher's notebook: its check cells (and every cell but the exercises) are the ones that run. */
  teacher: string;
  submissions: string[];
  /** Bound on one submission's whole run, in seconds (kernel start not included). */
  timeLimitS: number;
  /** Bound on one cell, in seconds: a cell that runs longer is interrupted and the run goes on. */
  cellTimeoutS: number;
  /** How many submissions run at once. */
  jobs: number;
  /** Where to write the results as JSON / JUnit XML ("-": stdout, which then gets no table). */
  json: string | undefined;
  junit: string | undefined;
  color: "auto" | "never";
}

export type ParsedGradeArgs = { ok: true; options: GradeOptions } | { ok: true; help: true } | { ok: false; error: string };

export const GRADE_USAGE = `usage: tsloop grade TEACHER.ipynb SUBMISSION.ipynb... [options]

Runs each submission headless on its own fresh kernel and grades its exercises. The teacher's notebook says
what runs: its cells tagged \`exercise\` are replaced by the student's (matched by cell id, else by order), every
other cell — the setup and the cells tagged \`check\` — is the teacher's, so editing a check does not make it
pass. A student's extra code cells run too, after the cell they follow. Each exercise gets one result: pass,
fail (with the check's message and hint), error (the student's code threw or did not compile), timeout, or
missing (no exercise cell in the submission). A submission that hangs, deadlocks, floods its output or
crashes its kernel never stops the others.

options:
  --time-limit S     stop a submission's run after S seconds (default 300); unfinished exercises time out
  --cell-timeout S   interrupt a cell that runs longer than S seconds (default 60) and go on with the next
  -j, --jobs N       grade N submissions at once (default: the number of cores, ${availableParallelism()} here)
  --json FILE        write the results as JSON to FILE ("-": stdout)
  --junit FILE       write the results as JUnit XML to FILE ("-": stdout), one test case per exercise
  --no-color         no ANSI colours in the table
  -h, --help         this text

exit status: 0 when every submission was graded (whatever its marks), 1 when a submission could not be read
or its kernel did not start, 2 for a usage error or a teacher notebook without exercises.
`;

const VALUE_OPTIONS = new Set(["--time-limit", "--cell-timeout", "-j", "--jobs", "--json", "--junit"]);

export function parseGradeArgs(args: readonly string[], cores = availableParallelism()): ParsedGradeArgs {
  const positional: string[] = [];
  const options = { timeLimitS: 300, cellTimeoutS: 60, jobs: Math.max(1, cores), json: undefined as string | undefined, junit: undefined as string | undefined, color: "auto" as GradeOptions["color"] };
  const tokenized = tokenizeArgs(args, VALUE_OPTIONS);
  if (!tokenized.ok) return tokenized;
  for (const token of tokenized.tokens) {
    if (token.kind === "positional") {
      positional.push(token.arg);
      continue;
    }
    const { arg } = token;
    const { name, value } = token.option;
    switch (name) {
      case "-h":
      case "--help":
        return { ok: true, help: true };
      case "--time-limit":
      case "--cell-timeout": {
        const n = value === undefined || value.trim() === "" ? Number.NaN : Number(value);
        if (!Number.isFinite(n) || n <= 0) return { ok: false, error: `${name} expects a positive number of seconds, got ${JSON.stringify(value)}` };
        if (name === "--time-limit") options.timeLimitS = n;
        else options.cellTimeoutS = n;
        break;
      }
      case "-j":
      case "--jobs": {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) return { ok: false, error: `${name} expects a whole number of at least 1, got ${JSON.stringify(value)}` };
        options.jobs = n;
        break;
      }
      case "--json":
      case "--junit":
        if (value === "") return { ok: false, error: `${name} expects a file name (or - for stdout)` };
        options[name === "--json" ? "json" : "junit"] = value;
        break;
      case "--no-color":
      case "--no-colour":
        options.color = "never";
        break;
      default:
        return { ok: false, error: `unknown option ${arg}` };
    }
  }
  const [teacher, ...submissions] = positional;
  if (teacher === undefined) return { ok: false, error: "expected the teacher's notebook and the submissions (TEACHER.ipynb SUBMISSION.ipynb...)" };
  if (submissions.length === 0) return { ok: false, error: `expected at least one submission after the teacher's notebook ${JSON.stringify(teacher)}` };
  if (options.json === "-" && options.junit === "-") return { ok: false, error: "--json - and --junit - both want stdout: send one of them to a file" };
  return { ok: true, options: { teacher, submissions, ...options } };
}
