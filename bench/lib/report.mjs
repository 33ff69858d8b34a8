// Turns the figures' rows into the side-by-side table (tsloop, each peer, tsloop / peer ratios, the issue's target
// and whether tsloop meets it), the tracing table, and docs/benchmarks.md with the machine and versions. Cells a
// figure did not fill say why: the peer is missing (with the reason below the table), was not run, or the
// figure does not apply to it.
import { KERNEL_NAMES, LABELS } from "./kernels.mjs";
import { mb, ms, ratio, times } from "./stats.mjs";

export const NOTES_MARKER = "<!-- Notes below this line are kept when bench/run.mjs rewrites this file. -->";

/** Fills the cells a figure left empty and judges each target. */
export function complete(rows, kernels) {
  const byName = new Map(kernels.map((k) => [k.name, k]));
  const linesRows = new Map(rows.filter((r) => r.key).map((r) => [r.key, r]));
  return rows.map((r) => {
    const cells = {};
    for (const name of KERNEL_NAMES) {
      const k = byName.get(name);
      cells[name] = r.cells[name] ?? (k?.missing ? { text: "missing", problem: true } : k?.skipped ? { text: "not run" } : { text: "n/a" });
    }
    const ratios = {};
    if (r.lowerIsBetter) {
      for (const name of KERNEL_NAMES.slice(1)) {
        const a = cells.tsloop;
        const b = cells[name];
        ratios[name] = a.problem || b.problem ? undefined : ratio(a.value, b.value);
      }
    }
    return { ...r, cells, ratios, verdict: r.target ? judge(r, cells, ratios, linesRows) : undefined };
  });
}

function judge(r, cells, ratios, linesRows) {
  const t = r.target;
  const own = cells.tsloop;
  if (own.problem && own.value === undefined) return { met: false, text: `missed: ${own.text}` };
  if (t.peer) {
    const x = ratios[t.peer];
    if (x === undefined) return { met: undefined, text: `no ${LABELS[t.peer]} figure` };
    let met = x <= t.factor;
    let text = met ? `met (${times(x)})` : `missed: ${times(x)}, limit ${times(t.factor)}`;
    if (t.needsAll) {
      const lines = linesRows.get(t.needsAll)?.cells?.tsloop;
      if (lines?.problem) {
        met = false;
        text += `; lines lost (${lines.text})`;
      }
    }
    return { met, text };
  }
  if (t.absoluteMs !== undefined) {
    const met = !own.problem && own.value < t.absoluteMs;
    return { met, text: met ? `met (${ms(own.value)})` : `missed: ${own.text}` };
  }
  if (t.ownMax !== undefined) {
    const met = own.value <= t.ownMax;
    return { met, text: met ? `met (${times(own.value)})` : `missed: ${times(own.value)}, limit ${times(t.ownMax)}` };
  }
  if (t.ownMaxKiB !== undefined) {
    const met = own.value <= t.ownMaxKiB;
    return { met, text: met ? `met (${mb(own.value)})` : `missed: ${mb(own.value)}, limit ${mb(t.ownMaxKiB)}` };
  }
  return undefined;
}

/** The main table as Markdown, columns padded so that it also reads in a terminal. */
export function mainTable(rows) {
  const header = ["#", "figure", ...KERNEL_NAMES.map((n) => LABELS[n]), ...KERNEL_NAMES.slice(1).map((n) => `tsloop / ${LABELS[n]}`), "target", "tsloop vs target"];
  const body = rows.map((r) => [
    r.figure,
    r.label,
    ...KERNEL_NAMES.map((n) => r.cells[n].text),
    ...KERNEL_NAMES.slice(1).map((n) => (r.lowerIsBetter ? times(r.ratios[n]) : "")),
    r.target?.text ?? "",
    r.verdict?.text ?? "",
  ]);
  return markdownTable(header, body);
}

export function tracingTable(table) {
  if (!table || table.length === 0) return "";
  const header = ["loop (time measured inside the cell)", "timelines on", "timelines off", "plain Node", "on / Node", "off / Node", "cell time on / off (sent → idle)"];
  const body = table.map((t) => [t.loop, ms(t.on), ms(t.off), ms(t.node), times(t.onRatio ?? ratio(t.on, t.node)), times(t.offRatio ?? ratio(t.off, t.node)), `${ms(t.onCell)} / ${ms(t.offCell)}`]);
  return markdownTable(header, body);
}

export function markdownTable(header, body) {
  const all = [header, ...body].map((cells) => cells.map((c) => String(c).replaceAll("|", "\\|")));
  const widths = header.map((_, i) => Math.max(3, ...all.map((cells) => [...cells[i]].length)));
  const line = (cells) => `| ${cells.map((c, i) => c + " ".repeat(widths[i] - [...c].length)).join(" | ")} |`;
  return [line(all[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...all.slice(1).map(line)].join("\n");
}

/** Lines naming each kernel, its version and command, or why it is missing. */
export function kernelLines(kernels, root) {
  return kernels.map((k) => {
    const label = LABELS[k.name];
    if (k.skipped) return `- ${label}: ${k.skipped}`;
    if (k.missing) return `- ${label}: **missing** — ${k.missing}`;
    const command = k.argv.map((a) => a.replace(`${root}/`, "").replace(process.execPath, "node")).join(" ");
    return `- ${label} ${k.version ?? ""}: \`${command}\` (interrupts: ${k.interrupt === "message" ? "interrupt_request" : "SIGINT"})`;
  });
}
