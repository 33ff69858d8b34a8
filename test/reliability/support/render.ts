// Renders the results files of the reliability suite into docs/reliability.md, between two marker comments:
// the prose around them is ordinary Markdown, the tables are always the suite's own output.
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AreaResults, CaseResult } from "./report.js";

export const REPORT_FILE = join(__dirname, "..", "..", "..", "docs", "reliability.md");
const BEGIN = "<!-- reliability-results:begin (written by test/reliability; do not edit by hand) -->";
const END = "<!-- reliability-results:end -->";
const AREA_ORDER = ["startup", "logging", "fuzz", "secrecy", "faults", "load", "lifecycle"];

export function renderReport(resultsDir: string, reportFile = REPORT_FILE): void {
  const areas = readdirSync(resultsDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(resultsDir, f), "utf8")) as AreaResults);
  const tables = renderTables(areas);
  const current = existsSync(reportFile) ? readFileSync(reportFile, "utf8") : `# Reliability\n\n${BEGIN}\n${END}\n`;
  const begin = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  const next =
    begin >= 0 && end > begin
      ? `${current.slice(0, begin + BEGIN.length)}\n${tables}${current.slice(end)}`
      : `${current.trimEnd()}\n\n${BEGIN}\n${tables}${END}\n`;
  const tmp = `${reportFile}.${process.pid}.tmp`;
  writeFileSync(tmp, next);
  renameSync(tmp, reportFile);
}

export function renderTables(areas: AreaResults[]): string {
  const out: string[] = [];
  for (const mode of ["long", "fast"] as const) {
    const ofMode = areas.filter((a) => a.mode === mode).sort((a, b) => rank(a.area) - rank(b.area) || a.area.localeCompare(b.area));
    if (ofMode.length === 0) continue;
    const cases = ofMode.flatMap((a) => a.cases);
    const failed = cases.filter((c) => c.outcome === "FAILED").length;
    const known = cases.filter((c) => c.outcome === "known bug" || c.outcome === "not reproduced").length;
    const last = ofMode.map((a) => a.finishedAt).sort().at(-1) ?? "";
    const first = ofMode[0] as AreaResults;
    const commits = [...new Set(ofMode.map((a) => `\`${a.commit}\``))].join(", ");
    out.push(
      `### ${mode === "long" ? "Long mode (`TSLOOP_RELIABILITY=long`)" : "Fast mode (CI)"}`,
      "",
      `Last run ${last.slice(0, 16).replace("T", " ")} UTC at commit ${commits} — Node ${first.node}, ${first.cpus} CPUs, ${first.memoryGiB} GiB RAM. ` +
        `${cases.length} cases: ${cases.length - failed - known} passed, ${known} known bugs, ${failed} failed.`,
      "",
    );
    for (const area of ofMode) {
      out.push(`#### ${area.title}`, "", "| Case | Runs | Outcome | Figures | Time |", "|---|---|---|---|---|");
      for (const c of area.cases) out.push(row(c));
      out.push("");
    }
  }
  return out.length ? `${out.join("\n")}\n` : "_No results yet: run the suite._\n\n";
}

function row(c: CaseResult): string {
  const outcome = c.outcome === "passed" ? "passed" : `**${c.outcome}**${c.detail ? `: ${c.detail}` : ""}`;
  const figures = c.figures.map(([label, value]) => `${label}: ${value}`).join("; ");
  return `| ${cell(c.name)} | ${cell(c.runs)} | ${cell(outcome)} | ${cell(figures)} | ${(c.durationMs / 1000).toFixed(1)} s |`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function rank(area: string): number {
  const i = AREA_ORDER.indexOf(area);
  return i < 0 ? AREA_ORDER.length : i;
}
