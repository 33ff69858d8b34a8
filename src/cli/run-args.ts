// The command line of `tsloop run`: parsed into options, or a usage error that says what was expected and
// what was given. Pure, so that it is tested as a table.
import { tokenizeArgs } from "./arg-tokens.js";

export interface RunOptions {
  notebook: string;
  /** Where to write the executed notebook (the notebook itself with --inplace); undefined: write nothing. */
  output: string | undefined;
  /** Per-cell bound in seconds; undefined: no bound. */
  timeoutS: number | undefined;
  /** How long to wait for late output after the last cell, in seconds. */
  graceS: number;
  allowErrors: boolean;
  /** Colour: "auto" decides from the terminal and FORCE_COLOR / NO_COLOR. */
  color: "auto" | "never";
  quiet: boolean;
  /** Print tsloop's task timelines in full (default: their header line). */
  timelines: boolean;
}

export type ParsedRunArgs = { ok: true; options: RunOptions } | { ok: true; help: true } | { ok: false; error: string };

export const RUN_USAGE = `usage: tsloop run NOTEBOOK.ipynb [options]

Executes every code cell of the notebook in order on a fresh kernel (cwd: the notebook's folder) and prints
each cell's outputs. Output that timers and intervals produce after their cell finished goes to that cell.

options:
  -o, --output OUT.ipynb   write the executed notebook to OUT.ipynb
  --inplace                write the executed notebook over NOTEBOOK.ipynb
  --timeout S              interrupt a cell that runs longer than S seconds, counted from its request
                           (type checking included); a timeout is an error
  --grace S                after the last cell, wait up to S seconds for late output (default 2): until
                           S/4 seconds pass with none and no cell has timers or promises pending
  --allow-errors           keep going after a failing cell (exit 0)
  --no-color               no ANSI colours (also when stdout is not a terminal, unless FORCE_COLOR is set)
  --timelines              print each cell's task timeline in full (default: its header line)
  -q, --quiet              print only errors and the summary, not the cells' outputs
  -h, --help               this text

exit status: 0 when every cell ran, 1 when a cell failed or timed out (or the kernel died),
2 for a usage error or a notebook that cannot be read.
`;

const VALUE_OPTIONS = new Set(["-o", "--output", "--timeout", "--grace"]);

export function parseRunArgs(args: readonly string[]): ParsedRunArgs {
  const positional: string[] = [];
  let output: string | undefined;
  let inplace = false;
  let timeoutS: number | undefined;
  let graceS = 2;
  let allowErrors = false;
  let color: RunOptions["color"] = "auto";
  let quiet = false;
  let timelines = false;
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
      case "-o":
      case "--output":
        if (value === "") return { ok: false, error: `${name} expects a file name` };
        output = value;
        break;
      case "--inplace":
        inplace = true;
        break;
      case "--timeout": {
        const s = seconds(name, value, false);
        if (typeof s === "string") return { ok: false, error: s };
        timeoutS = s;
        break;
      }
      case "--grace": {
        const s = seconds(name, value, true);
        if (typeof s === "string") return { ok: false, error: s };
        graceS = s;
        break;
      }
      case "--allow-errors":
        allowErrors = true;
        break;
      case "--no-color":
      case "--no-colour":
        color = "never";
        break;
      case "--timelines":
        timelines = true;
        break;
      case "-q":
      case "--quiet":
        quiet = true;
        break;
      default:
        return { ok: false, error: `unknown option ${arg}` };
    }
  }
  if (positional.length === 0) return { ok: false, error: "expected a notebook to run (NOTEBOOK.ipynb)" };
  if (positional.length > 1) return { ok: false, error: `expected one notebook, got ${positional.length}: ${positional.map((p) => JSON.stringify(p)).join(" ")}` };
  const notebook = positional[0] as string;
  if (inplace && output !== undefined) return { ok: false, error: "--inplace and -o/--output exclude each other: choose where to write" };
  return {
    ok: true,
    options: { notebook, output: inplace ? notebook : output, timeoutS, graceS, allowErrors, color, quiet, timelines },
  };
}

function seconds(name: string, value: string | undefined, zeroAllowed: boolean): number | string {
  const n = value === undefined || value.trim() === "" ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || n < 0 || (!zeroAllowed && n === 0)) {
    return `${name} expects a ${zeroAllowed ? "non-negative" : "positive"} number of seconds, got ${JSON.stringify(value)}`;
  }
  return n;
}
