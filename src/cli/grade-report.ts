// The three forms of a grading's results: a table for the teacher's terminal (student file × exercise, then one
// line per exercise that did not pass, with the check's message and hint), JSON for an LMS, and JUnit XML (one
// test suite per submission, one test case per exercise) for CI dashboards. Pure: results in, text out.
import { basename } from "node:path";
import { styled } from "../protocol/ansi.js";
import type { ExerciseStatus, SubmissionResult } from "./grade-run.js";

export interface Grading {
  teacher: string;
  exercises: string[];
  submissions: SubmissionResult[];
}

type Paint = (style: "green" | "red" | "yellow" | "dim", text: string) => string;
export const ansi: Paint = styled;
export const plain: Paint = (_style, text) => text;

const WORD: Record<ExerciseStatus, { text: string; style: "green" | "red" | "yellow" }> = {
  pass: { text: "pass", style: "green" },
  fail: { text: "FAIL", style: "red" },
  error: { text: "ERROR", style: "red" },
  timeout: { text: "TIMEOUT", style: "yellow" },
  missing: { text: "missing", style: "yellow" },
};

export const passed = (s: SubmissionResult): number => s.results.filter((r) => r.status === "pass").length;

/** The table, then the details of every result that is not a pass. */
export function formatTable(grading: Grading, paint: Paint = plain): string {
  const names = grading.submissions.map((s) => displayName(s.file, grading.submissions));
  const header = ["submission", ...grading.exercises, "score"];
  const rows = grading.submissions.map((s, i) => [names[i] as string, ...s.results.map((r) => WORD[r.status].text), `${passed(s)}/${grading.exercises.length}`]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[], styled: (cell: string, c: number) => string) => cells.map((cell, c) => styled(cell.padEnd(widths[c] ?? 0), c)).join("  ").trimEnd();
  const out = [line(header, (cell) => paint("dim", cell))];
  grading.submissions.forEach((s, i) => {
    out.push(line(rows[i] as string[], (cell, c) => {
      const result = s.results[c - 1];
      return result && c <= s.results.length ? paint(WORD[result.status].style, cell) : cell;
    }));
  });
  const details: string[] = [];
  grading.submissions.forEach((s, i) => {
    if (s.problem) {
      details.push(`${names[i]}: not graded: ${s.problem}`);
      return;
    }
    for (const r of s.results) {
      if (r.status === "pass") continue;
      details.push(`${names[i]} · ${r.exercise}: ${WORD[r.status].text.toLowerCase()}: ${r.message ?? ""}${r.hint ? ` (hint: ${r.hint})` : ""}`);
    }
  });
  if (details.length) out.push("", ...details);
  const all = grading.submissions.length;
  const full = grading.submissions.filter((s) => passed(s) === grading.exercises.length).length;
  out.push("", `graded ${all} submission${all === 1 ? "" : "s"} against ${basename(grading.teacher)}: ${full} passed every exercise`);
  return `${out.join("\n")}\n`;
}

export function formatJson(grading: Grading): string {
  return `${JSON.stringify({ ...grading, submissions: grading.submissions.map((s) => ({ ...s, passed: passed(s), total: grading.exercises.length })) }, null, 2)}\n`;
}

export function formatJunit(grading: Grading): string {
  const attr = (value: string) => xml(value).replace(/"/g, "&quot;");
  const suites = grading.submissions.map((s) => {
    const failures = s.results.filter((r) => r.status === "fail" || r.status === "missing").length;
    const errors = s.results.filter((r) => r.status === "error" || r.status === "timeout").length;
    const cases = s.results.map((r) => {
      const open = `    <testcase classname="${attr(s.file)}" name="${attr(r.exercise)}">`;
      const message = `${r.message ?? ""}${r.hint ? ` (hint: ${r.hint})` : ""}`;
      if (r.status === "pass") return `    <testcase classname="${attr(s.file)}" name="${attr(r.exercise)}"/>`;
      const kind = r.status === "fail" || r.status === "missing" ? "failure" : "error";
      return `${open}\n      <${kind} type="${r.status}" message="${attr(message)}">${xml(message)}</${kind}>\n    </testcase>`;
    });
    return `  <testsuite name="${attr(s.file)}" tests="${s.results.length}" failures="${failures}" errors="${errors}" time="${s.seconds}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${attr(`tsloop grade ${basename(grading.teacher)}`)}">\n${suites.join("\n")}\n</testsuites>\n`;
}

/** A submission's name in the table: its file name, or its path when two submissions share a file name. */
function displayName(file: string, all: readonly SubmissionResult[]): string {
  const name = basename(file);
  return all.filter((s) => basename(s.file) === name).length > 1 ? file : name;
}

/** Text for XML: escapes markup and drops characters XML 1.0 cannot hold (a student's output may have any). */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
