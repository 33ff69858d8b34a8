// Each reliability case records what it tried (runs), how it ended (outcome) and what it measured (figures)
// into test/reliability/.results/<mode>-<area>.json; docs/reliability.md is rendered from those files
// (see render.ts), so the report is written by the suite, never by hand.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { MODE, type Mode, WRITE_REPORT } from "./mode.js";
import { renderReport } from "./render.js";

export const RESULTS_DIR = join(__dirname, "..", ".results");

export type Outcome = "passed" | "FAILED" | "known bug" | "not reproduced";

export interface CaseResult {
  area: string;
  name: string;
  runs: string;
  outcome: Outcome;
  /** first line of the failure, or the bug a known-bug case reproduces */
  detail?: string;
  figures: [label: string, value: string][];
  durationMs: number;
}

export interface AreaResults {
  area: string;
  title: string;
  mode: Mode;
  finishedAt: string;
  node: string;
  cpus: number;
  memoryGiB: number;
  commit: string;
  cases: CaseResult[];
}

/** What a running case reports about itself. */
export class CaseRecorder {
  readonly figures: [string, string][] = [];
  constructor(public runs: string) {}

  /** A measured figure; numbers get thousands separators. */
  figure(label: string, value: number | string, unit = ""): void {
    const text = typeof value === "number" ? value.toLocaleString("en-US", { maximumFractionDigits: 1 }) : value;
    this.figures.push([label, unit ? `${text} ${unit}` : text]);
  }
}

type Body = (c: CaseRecorder) => Promise<void>;

/** One area of the report (one test file): its cases, written to its results file after the last test. */
export class Report {
  private readonly cases: CaseResult[] = [];

  constructor(
    private readonly area: string,
    private readonly title: string,
  ) {
    afterAll(() => this.write());
  }

  /** A case that must pass. */
  case(name: string, runs: string, body: Body, timeoutMs: number): void {
    it(name, () => this.run(name, runs, body, false), timeoutMs);
  }

  /**
   * A known bug outside the code this suite may fix: the test reproduces it and is expected to fail
   * (`it.fails`); the report shows it as a known bug with the failure, and CI turns red once it is fixed
   * so that the case is promoted to `case`.
   */
  knownBug(name: string, runs: string, bug: string, body: Body, timeoutMs: number): void {
    it.fails(name, () => this.run(name, runs, body, bug), timeoutMs);
  }

  private async run(name: string, runs: string, body: Body, bug: string | false): Promise<void> {
    const c = new CaseRecorder(runs);
    const t0 = performance.now();
    const finish = (outcome: Outcome, detail?: string) =>
      this.cases.push({
        area: this.area,
        name,
        runs: c.runs,
        outcome,
        ...(detail === undefined ? {} : { detail }),
        figures: c.figures,
        durationMs: Math.round(performance.now() - t0),
      });
    try {
      await body(c);
    } catch (err) {
      const first = firstLine(err);
      if (bug) finish("known bug", `${bug} (reproduced: ${first})`);
      else finish("FAILED", first);
      throw err;
    }
    // A known-bug case that passes fails the test run (it.fails), and says so in the report.
    finish(bug ? "FAILED" : "passed", bug ? `expected to reproduce a known bug, but passed: ${bug}` : undefined);
  }

  private write(): void {
    const results: AreaResults = {
      area: this.area,
      title: this.title,
      mode: MODE,
      finishedAt: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      commit: gitCommit(),
      cases: this.cases,
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, `${MODE}-${this.area}.json`), `${JSON.stringify(results, null, 2)}\n`);
    if (WRITE_REPORT) renderReport(RESULTS_DIR);
  }
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split("\n").find((l) => l.trim() !== "") ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: __dirname, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

/** The closing case of every reliability file: the key appeared in nothing any of the file's kernels wrote or sent. */
export function keyNeverAppears(report: Report, kernels: { closeAll(): Promise<void>; tally: { leaks: string[]; kernels: number; stderrBytes: number; messages: number } }): void {
  report.case(
    "the key never appears in stderr (--log-level debug), stdout or any message of these kernels",
    "every kernel of this file",
    async (c) => {
      await kernels.closeAll();
      expect(kernels.tally.leaks).toEqual([]);
      c.runs = `${kernels.tally.kernels} kernels`;
      c.figure("stderr scanned", Math.round(kernels.tally.stderrBytes / 1024), "KiB");
      c.figure("messages scanned", kernels.tally.messages);
    },
    30_000,
  );
}
