// `tsloop run`'s command line as a table: input arguments → options or the usage error.
import { describe, expect, it } from "vitest";
import { parseRunArgs } from "../../../src/cli/run-args.js";

const defaults = { output: undefined, timeoutS: undefined, graceS: 2, allowErrors: false, color: "auto", quiet: false, timelines: false };

describe("parseRunArgs", () => {
  const good: [string[], object][] = [
    [["nb.ipynb"], { notebook: "nb.ipynb", ...defaults }],
    [["nb.ipynb", "-o", "out.ipynb"], { notebook: "nb.ipynb", ...defaults, output: "out.ipynb" }],
    [["--output=out.ipynb", "nb.ipynb"], { notebook: "nb.ipynb", ...defaults, output: "out.ipynb" }],
    [["nb.ipynb", "--inplace"], { notebook: "nb.ipynb", ...defaults, output: "nb.ipynb" }],
    [["nb.ipynb", "--timeout", "1.5", "--grace", "0"], { notebook: "nb.ipynb", ...defaults, timeoutS: 1.5, graceS: 0 }],
    [["nb.ipynb", "--grace=10", "--allow-errors", "--no-color", "-q"], { notebook: "nb.ipynb", ...defaults, graceS: 10, allowErrors: true, color: "never", quiet: true }],
    [["nb.ipynb", "--timelines"], { notebook: "nb.ipynb", ...defaults, timelines: true }],
    [["--", "-odd.ipynb"], { notebook: "-odd.ipynb", ...defaults }],
    [["nb.ipynb", "-qo", "out.ipynb"], { notebook: "nb.ipynb", ...defaults, quiet: true, output: "out.ipynb" }],
    [["nb.ipynb", "-oout.ipynb"], { notebook: "nb.ipynb", ...defaults, output: "out.ipynb" }],
    [["-", "--timeout", "3"], { notebook: "-", ...defaults, timeoutS: 3 }],
  ];
  it.each(good)("%j", (args, options) => {
    expect(parseRunArgs(args)).toEqual({ ok: true, options });
  });

  it("asks for help with -h / --help", () => {
    expect(parseRunArgs(["--help"])).toEqual({ ok: true, help: true });
    expect(parseRunArgs(["nb.ipynb", "-h"])).toEqual({ ok: true, help: true });
  });

  const bad: [string[], RegExp][] = [
    [[], /expected a notebook/],
    [["a.ipynb", "b.ipynb"], /expected one notebook, got 2/],
    [["nb.ipynb", "-o"], /-o expects a value/],
    [["nb.ipynb", "-o", "x.ipynb", "--inplace"], /--inplace and -o\/--output exclude each other/],
    [["nb.ipynb", "--timeout", "0"], /--timeout expects a positive number of seconds, got "0"/],
    [["nb.ipynb", "--timeout", "soon"], /--timeout expects a positive number of seconds, got "soon"/],
    [["nb.ipynb", "--grace", "-1"], /--grace expects a non-negative number of seconds, got "-1"/],
    [["nb.ipynb", "--quiet=yes"], /--quiet takes no value/],
    [["nb.ipynb", "--verbose"], /unknown option --verbose/],
    [["nb.ipynb", "-qx"], /unknown option -x/],
    [["nb.ipynb", "--o", "x.ipynb"], /unknown option --o$/],
    [["nb.ipynb", "--output"], /--output expects a value/],
    [["nb.ipynb", "--output="], /--output expects a file name/],
  ];
  it.each(bad)("%j is a usage error", (args, message) => {
    const parsed = parseRunArgs(args);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});
