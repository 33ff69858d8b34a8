// `tsloop grade` end to end: the real CLI grading a folder of crafted submissions on real kernels. Guards that
// every kind of bad submission — wrong, hanging, deadlocking, flooding, throwing, not compiling, killing its
// kernel, missing an exercise, tampering with the checks, not a notebook — gets its own result without
// stopping the others, that the checks that run are the teacher's, and the table, JSON and JUnit forms.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LAUNCHER, REPO_ROOT, kernelBuilt } from "../helpers/kernel-client.js";

const runE2E = kernelBuilt() || Boolean(process.env.CI);
const root = realpathSync(mkdtempSync(join(tmpdir(), "tsloop-grade-e2e-")));
// KEEP_GRADE_E2E=1 keeps the crafted class folder for a look after a failure.
afterAll(() => process.env.KEEP_GRADE_E2E ? undefined : rmSync(root, { recursive: true, force: true }));

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function tsloopGrade(args: string[], timeoutMs = 390_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [LAUNCHER, "grade", ...args], { cwd: root, env: { ...process.env, FORCE_COLOR: undefined }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`tsloop grade did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

// The teacher's notebook: the course's own setup cell (check, assert), two exercises and their checks.
const SETUP = readFileSync(join(REPO_ROOT, "scripts", "notebooks", "chapters", "_check.ts"), "utf8");
const STUB_DOUBLE = `function double(n: number): number {\n  throw new Error("not implemented");\n}`;
const STUB_LATER = `async function later(value: string, ms: number): Promise<string> {\n  throw new Error("not implemented");\n}`;
const CHECK_DOUBLE = `await check("double", () => {\n  assert.equal(double(21), 42, "double(21) should be 42");\n}, "multiply by two");`;
const CHECK_LATER = `await check("later", async () => {\n  const start = performance.now();\n  assert.equal(await later("x", 100), "x", "later should give its value");\n  assert.ok(msSince(start) >= 90, "later should wait about 100 ms");\n}, "await sleep(ms) first");`;
const GOOD_DOUBLE = `function double(n: number): number {\n  return n * 2;\n}`;
const GOOD_LATER = `async function later(value: string, ms: number): Promise<string> {\n  await sleep(ms);\n  return value;\n}`;

type Cell = { id: string; cell_type: "code" | "markdown"; tags?: string[]; source: string };
const teacherCells: Cell[] = [
  { id: "intro", cell_type: "markdown", source: "# Two exercises" },
  { id: "setup", cell_type: "code", tags: ["setup"], source: SETUP },
  { id: "ex-double", cell_type: "code", tags: ["exercise"], source: STUB_DOUBLE },
  { id: "check-double", cell_type: "code", tags: ["check"], source: CHECK_DOUBLE },
  { id: "ex-later", cell_type: "code", tags: ["exercise"], source: STUB_LATER },
  { id: "check-later", cell_type: "code", tags: ["check"], source: CHECK_LATER },
];

function notebookJson(cells: Cell[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tsloop", display_name: "TypeScript (tsloop)", language: "typescript" } },
    cells: cells.map(({ tags, ...c }) => ({ ...c, metadata: tags ? { tags } : {}, ...(c.cell_type === "code" ? { outputs: [], execution_count: null } : {}) })),
  });
}

/** A student's copy: the teacher's cells with some sources replaced (by id), some cells removed or added. */
function student(replace: Record<string, string>, edit: (cells: Cell[]) => Cell[] = (c) => c): Cell[] {
  return edit(teacherCells.map((c) => (c.id in replace ? { ...c, source: replace[c.id] as string } : c)));
}

const SUBMISSIONS: Record<string, Cell[] | string> = {
  "correct.ipynb": student({ "ex-double": GOOD_DOUBLE, "ex-later": GOOD_LATER }),
  "wrong.ipynb": student({ "ex-double": `function double(n: number): number {\n  return n + 2;\n}`, "ex-later": `async function later(value: string, ms: number): Promise<string> {\n  return value;\n}` }),
  "hanging.ipynb": student({ "ex-double": `${GOOD_DOUBLE}\nwhile (true) {}`, "ex-later": GOOD_LATER }),
  // Exercise 1's cell deadlocks after defining a right answer; exercise 2's function waits forever.
  "deadlock.ipynb": student({
    "ex-double": `${GOOD_DOUBLE}\nawait new Promise<void>(() => {});`,
    "ex-later": `async function later(value: string, ms: number): Promise<string> {\n  await new Promise<void>(() => {});\n  return value;\n}`,
  }),
  "flooding.ipynb": student({ "ex-double": `${GOOD_DOUBLE}\nfor (let i = 0; i < 200_000; i++) console.log("flood ".repeat(20) + i);`, "ex-later": GOOD_LATER }),
  // The throw comes before `later` exists: a cell keeps what ran before a throw (as IPython does), so a function
  // declared before the throw would still be defined and pass its check.
  "throwing.ipynb": student({
    "ex-double": `const oops: number = "not a number";\n${GOOD_DOUBLE}`,
    "ex-later": `const later: (value: string, ms: number) => Promise<string> = (() => {\n  throw new RangeError("student threw");\n})();`,
  }),
  "crashing.ipynb": student({ "ex-double": GOOD_DOUBLE, "ex-later": `process.kill(process.pid, "SIGKILL");` }),
  "missing.ipynb": student({ "ex-double": GOOD_DOUBLE }, (cells) => cells.filter((c) => c.id !== "ex-later")),
  // Wrong answers, with the checks rewritten to pass and the setup's check() replaced: the teacher's run anyway.
  "tampered.ipynb": student(
    {
      setup: `function check(name: string, ..._rest: unknown[]) { console.log("CHECK PASS: " + name); }`,
      "ex-double": `function double(n: number): number {\n  return 0;\n}`,
      "check-double": `console.log("CHECK PASS: double");`,
      "check-later": `console.log("CHECK PASS: later");`,
    },
    (cells) => [...cells, { id: "fake", cell_type: "code", tags: ["check"], source: `console.log("CHECK PASS: double")` }],
  ),
  // A student's own helper cell (a new id) runs where it was, before the exercise that uses it.
  "helper-cell.ipynb": student({ "ex-double": `function double(n: number): number {\n  return times(n, 2);\n}` }, (cells) => {
    const at = cells.findIndex((c) => c.id === "ex-double");
    return [...cells.slice(0, at), { id: "my-helper", cell_type: "code", source: `function times(a: number, b: number): number {\n  return a * b;\n}` }, ...cells.slice(at)];
  }),
  "not-a-notebook.ipynb": "{ this is not json",
};

describe.skipIf(!runE2E)("tsloop grade", () => {
  const dir = join(root, "class");
  mkdirSync(join(dir, "submissions"), { recursive: true });
  const teacher = join(dir, "teacher.ipynb");
  writeFileSync(teacher, notebookJson(teacherCells));
  const files = Object.entries(SUBMISSIONS).map(([name, cells]) => {
    const path = join(dir, "submissions", name);
    writeFileSync(path, typeof cells === "string" ? cells : notebookJson(cells));
    return path;
  });

  it("grades every crafted submission, however it misbehaves, and writes the table, JSON and JUnit", { timeout: 400_000 }, async () => {
    const json = join(dir, "grades.json");
    const junit = join(dir, "grades.xml");
    const r = await tsloopGrade([teacher, ...files, "--cell-timeout", "10", "--time-limit", "60", "-j", "2", "--json", json, "--junit", junit, "--no-color"]);
    expect(r.code, r.stderr).toBe(1); // 1: one submission could not be read; the others are graded
    const grades = JSON.parse(readFileSync(json, "utf8")) as { exercises: string[]; submissions: { file: string; problem?: string; results: { exercise: string; status: string; message?: string; hint?: string }[] }[] };
    expect(grades.exercises).toEqual(["double", "later"]);
    const byName = new Map(grades.submissions.map((s) => [s.file.split("/").pop() as string, s]));
    const statuses = (name: string) => byName.get(name)?.results.map((x) => x.status);
    const result = (name: string, exercise: number) => byName.get(name)?.results[exercise];

    expect(statuses("correct.ipynb"), JSON.stringify(grades.submissions.map((s) => [s.file.split("/").pop(), s.results]))).toEqual(["pass", "pass"]);
    expect(result("wrong.ipynb", 0)).toEqual({ exercise: "double", status: "fail", message: "double(21) should be 42", hint: "multiply by two" });
    expect(result("wrong.ipynb", 1)).toMatchObject({ status: "fail", message: "later should wait about 100 ms" });
    expect(statuses("hanging.ipynb")).toEqual(["timeout", "pass"]); // interrupted; the next exercise still runs
    expect(result("hanging.ipynb", 0)?.message).toBe("the exercise cell did not finish within 10 s");
    expect(result("deadlock.ipynb", 0)?.status).toBe("pass"); // the kernel's Deadlock report ended the cell; double works
    expect(result("deadlock.ipynb", 1)).toMatchObject({ status: "fail", message: "no answer within 5 seconds" });
    expect(statuses("flooding.ipynb")).toEqual(["pass", "pass"]);
    expect(result("throwing.ipynb", 0)).toMatchObject({ status: "error" });
    expect(result("throwing.ipynb", 0)?.message).toMatch(/^the exercise cell failed: .*not assignable to type 'number'/);
    expect(result("throwing.ipynb", 1)).toMatchObject({ status: "error", message: "the exercise cell failed: RangeError: student threw" });
    expect(result("crashing.ipynb", 0)?.status).toBe("pass");
    expect(result("crashing.ipynb", 1)).toMatchObject({ status: "error" });
    expect(result("crashing.ipynb", 1)?.message).toMatch(/^the exercise cell failed: KernelDied/);
    expect(statuses("missing.ipynb")).toEqual(["pass", "missing"]);
    expect(statuses("tampered.ipynb")).toEqual(["fail", "fail"]);
    expect(result("tampered.ipynb", 1)?.message).toBe("not implemented");
    expect(statuses("helper-cell.ipynb")).toEqual(["pass", "fail"]);
    expect(byName.get("not-a-notebook.ipynb")?.problem).toMatch(/is not a notebook: it is not valid JSON/);

    // The table: one row per submission in the order given, a score, and a line per result that is not a pass.
    const rows = r.stdout.split("\n");
    expect(rows[0]).toMatch(/^submission\s+double\s+later\s+score$/);
    expect(rows[1]).toMatch(/^correct\.ipynb\s+pass\s+pass\s+2\/2$/);
    expect(rows[3]).toMatch(/^hanging\.ipynb\s+TIMEOUT\s+pass\s+1\/2$/);
    expect(r.stdout).toContain("wrong.ipynb · double: fail: double(21) should be 42 (hint: multiply by two)\n");
    expect(r.stdout).toMatch(/graded 11 submissions against teacher\.ipynb: 2 passed every exercise\n$/);

    const xml = readFileSync(junit, "utf8");
    expect(xml.match(/<testsuite /g)).toHaveLength(11);
    expect(xml.match(/<testcase /g)).toHaveLength(22);
    expect(xml).toContain(`<failure type="fail" message="double(21) should be 42 (hint: multiply by two)">`);
    expect(xml).toContain(`<error type="timeout" message="the exercise cell did not finish within 10 s">`);
  });

  it("stops a submission at its time limit and marks what did not finish as timed out", { timeout: 60_000 }, async () => {
    const slow = join(dir, "slow.ipynb");
    writeFileSync(slow, notebookJson(student({ "ex-double": `${GOOD_DOUBLE}\nawait sleep(60_000);`, "ex-later": GOOD_LATER })));
    const r = await tsloopGrade([teacher, slow, "--time-limit", "3", "--json", "-"]);
    expect(r.code, r.stderr).toBe(0);
    const grades = JSON.parse(r.stdout) as { submissions: { results: { status: string; message?: string }[]; seconds: number }[] };
    const only = grades.submissions[0];
    expect(only?.results.map((x) => x.status)).toEqual(["timeout", "timeout"]);
    expect(only?.results[1]?.message).toBe("the notebook did not finish within its time limit of 3 s");
    expect(only?.seconds).toBeLessThan(20);
  });

  it("refuses a teacher's notebook without exercises (exit 2)", async () => {
    const bare = join(dir, "bare.ipynb");
    writeFileSync(bare, notebookJson([{ id: "a", cell_type: "code", source: "1" }]));
    const r = await tsloopGrade([bare, files[0] as string]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no exercises: tag each exercise cell "exercise" and the cell that grades it "check"/);
  });
});
