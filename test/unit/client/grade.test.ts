// `tsloop grade`'s pure parts: its command line, which cells run for a submission (the teacher's checks, the
// student's exercises and extra cells), reading a check's verdict, and the JUnit form.
import { describe, expect, it } from "vitest";
import { parseGradeArgs } from "../../../src/cli/grade-args.js";
import { assemble, teacherExercises } from "../../../src/cli/grade-plan.js";
import { formatJunit, formatTable } from "../../../src/cli/grade-report.js";
import { lastVerdict } from "../../../src/cli/grade-run.js";
import type { Notebook, NotebookCell } from "../../../src/cli/run-notebook.js";

const cell = (id: string, source: string, tags: string[] = []): NotebookCell => ({ id, cell_type: "code", source, metadata: tags.length ? { tags } : {}, outputs: [], execution_count: null });
const nb = (cells: NotebookCell[]): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });

const teacher = nb([
  cell("setup", "function check() {}", ["setup"]),
  cell("lesson", "const lesson = 1;"),
  cell("ex1", "stub 1", ["exercise"]),
  cell("ck1", `await check("first", () => {}, "hint 1");`, ["check"]),
  cell("ex2", "stub 2", ["exercise"]),
  cell("ck2", "await check('second', () => {}, 'hint 2');", ["check"]),
]);

describe("tsloop grade: the command line", () => {
  it.each([
    [["t.ipynb", "a.ipynb", "b.ipynb"], { teacher: "t.ipynb", submissions: ["a.ipynb", "b.ipynb"], timeLimitS: 300, cellTimeoutS: 60, jobs: 4, json: undefined, junit: undefined, color: "auto" }],
    [["t.ipynb", "a.ipynb", "--time-limit=30", "--cell-timeout", "5", "-j", "1", "--json", "-", "--junit", "x.xml", "--no-color"], { timeLimitS: 30, cellTimeoutS: 5, jobs: 1, json: "-", junit: "x.xml", color: "never" }],
  ])("%j parses", (args, want) => {
    const parsed = parseGradeArgs(args, 4);
    expect(parsed.ok && "options" in parsed ? parsed.options : parsed).toMatchObject(want);
  });

  it.each([
    [["t.ipynb"], /expected at least one submission after the teacher's notebook "t.ipynb"/],
    [[], /expected the teacher's notebook and the submissions/],
    [["t", "a", "--jobs", "0"], /--jobs expects a whole number of at least 1, got "0"/],
    [["t", "a", "--time-limit", "soon"], /--time-limit expects a positive number of seconds, got "soon"/],
    [["t", "a", "--json", "-", "--junit", "-"], /both want stdout/],
    [["t", "a", "--inplace"], /unknown option --inplace/],
  ])("%j is a usage error", (args, message) => {
    const parsed = parseGradeArgs(args, 4);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.error).toMatch(message);
  });
});

describe("tsloop grade: the teacher's exercises", () => {
  it("pairs each exercise cell with the next check cell and names it after check()'s first argument", () => {
    expect(teacherExercises(teacher)).toEqual({
      ok: true,
      exercises: [
        { name: "first", exerciseCellId: "ex1", checkCellId: "ck1" },
        { name: "second", exerciseCellId: "ex2", checkCellId: "ck2" },
      ],
    });
  });

  it.each([
    [[cell("a", "1")], /has no exercises/],
    [[cell("c", "check()", ["check"]), cell("e", "", ["exercise"])], /check cell c comes before any cell tagged "exercise"/],
    [[cell("e", "", ["exercise"]), cell("f", "", ["exercise"]), cell("c", "check()", ["check"])], /exercise cell e has no cell tagged "check" before the next exercise/],
    [[cell("e", "", ["exercise"])], /exercise cell e has no cell tagged "check" after it/],
  ])("refuses a malformed teacher's notebook (%#)", (cells, message) => {
    const plan = teacherExercises(nb(cells));
    expect(plan.ok ? "" : plan.error).toMatch(message);
  });
});

describe("tsloop grade: the notebook that runs for a submission", () => {
  const plan = teacherExercises(teacher);
  const exercises = plan.ok ? plan.exercises : [];
  const sources = (n: Notebook) => n.cells.map((c) => `${c.id}: ${c.source as string}`);

  it("is the teacher's notebook with the student's exercise cells, whatever the student did to the other cells", () => {
    const submission = nb([
      cell("setup", "function check() { /* always pass */ }", ["setup"]),
      cell("lesson", "edited lesson"),
      cell("ex1", "answer 1", ["exercise"]),
      cell("ck1", `console.log("CHECK PASS: first")`, ["check"]),
      cell("ex2", "answer 2", ["exercise"]),
      cell("ck2", `console.log("CHECK PASS: second")`, ["check"]),
      cell("fake", `console.log("CHECK PASS: second")`, ["check"]),
    ]);
    const run = assemble(teacher, exercises, submission);
    expect(sources(run.notebook)).toEqual([
      "setup: function check() {}",
      "lesson: const lesson = 1;",
      "ex1: answer 1",
      `ck1: await check("first", () => {}, "hint 1");`,
      "ex2: answer 2",
      "ck2: await check('second', () => {}, 'hint 2');",
    ]);
    expect(run.cells).toEqual([{ exercise: 3, check: 4 }, { exercise: 5, check: 6 }]);
    expect(run.bounded.sort()).toEqual(["ck1", "ck2", "ex1", "ex2"]);
  });

  it("keeps the student's extra cells where they were, matches renamed exercise cells by order, and notes missing ones", () => {
    const submission = nb([
      cell("setup", "x", ["setup"]),
      cell("mine", "function helper() {}"),
      cell("renamed", "answer 1", ["exercise"]),
      cell("ck1", "x", ["check"]),
    ]);
    const run = assemble(teacher, exercises, submission);
    expect(sources(run.notebook)).toEqual([
      "setup: function check() {}",
      "mine: function helper() {}",
      "lesson: const lesson = 1;",
      "ex1: answer 1",
      `ck1: await check("first", () => {}, "hint 1");`,
      "ck2: await check('second', () => {}, 'hint 2');",
    ]);
    expect(run.cells).toEqual([{ exercise: 4, check: 5 }, { exercise: undefined, check: 6 }]);
    expect(run.bounded).toContain("mine");
  });
});

describe("tsloop grade: reading a check's verdict", () => {
  it.each([
    ["CHECK PASS: first\n", { status: "pass" }],
    ["CHECK FAIL: first: took 900 ms (hint: use Promise.all)\n", { status: "fail", message: "took 900 ms", hint: "use Promise.all" }],
    ["CHECK FAIL: first: no hint here\n", { status: "fail", message: "no hint here" }],
    // A student's function printing a fake verdict before the check's own: the last line counts.
    ["CHECK PASS: first\nCHECK FAIL: first: wrong (hint: h)\n", { status: "fail", message: "wrong", hint: "h" }],
    ["CHECK PASS: firstly\nCHECK PASS: second\n", undefined],
    ["", undefined],
  ])("%j", (stdout, want) => {
    expect(lastVerdict(stdout, "first")).toEqual(want);
  });
});

describe("tsloop grade: reports", () => {
  const grading = {
    teacher: "t.ipynb",
    exercises: ["a&b"],
    submissions: [
      { file: "x/s1.ipynb", results: [{ exercise: "a&b", status: "fail" as const, message: `got "<1>"\u0007`, hint: "h" }], seconds: 1.5 },
      { file: "y/s1.ipynb", results: [{ exercise: "a&b", status: "pass" as const }], seconds: 2 },
    ],
  };

  it("JUnit: a suite per submission, a case per exercise, text escaped and control characters dropped", () => {
    const xml = formatJunit(grading);
    expect(xml).toContain(`<testsuite name="x/s1.ipynb" tests="1" failures="1" errors="0" time="1.5">`);
    expect(xml).toContain(`<failure type="fail" message="got &quot;&lt;1&gt;&quot; (hint: h)">got "&lt;1&gt;" (hint: h)</failure>`);
    expect(xml).toContain(`<testcase classname="y/s1.ipynb" name="a&amp;b"/>`);
  });

  it("the table names two submissions with the same file name by their paths", () => {
    expect(formatTable(grading).split("\n").slice(0, 3)).toEqual(["submission  a&b   score", "x/s1.ipynb  FAIL  0/1", "y/s1.ipynb  pass  1/1"]);
  });
});
