// What `tsloop run` prints, character for character: progress lines, outputs, late output headings, colour.
import { describe, expect, it } from "vitest";
import { TIMELINE_MIME, TerminalReport, formatMs, plainOf, stripAnsi, wantColor } from "../../../src/cli/run-terminal.js";

function terminal(options: { color?: boolean; quiet?: boolean; timelines?: "line" | "full" } = {}) {
  let text = "";
  const report = new TerminalReport({ write: (t) => (text += t), color: options.color ?? false, quiet: options.quiet ?? false, timelines: options.timelines ?? "line" });
  return { report, text: () => text };
}
const label = (position: number, cellNumber: number) => ({ position, total: 3, cellNumber });

describe("TerminalReport", () => {
  it("prints a one-line progress line for a cell without output", () => {
    const t = terminal();
    t.report.cellStarted(label(1, 2));
    t.report.cellFinished(label(1, 2), "ok", 312.4);
    expect(t.text()).toBe("[1/3] cell 2 … ok 312 ms\n");
  });

  it("breaks the progress line for output and repeats the label when the cell ends", () => {
    const t = terminal();
    t.report.cellStarted(label(2, 4));
    t.report.output(4, "stream", { name: "stdout", text: "a" }, false);
    t.report.output(4, "stream", { name: "stdout", text: "b\n" }, false);
    t.report.output(4, "execute_result", { data: { "text/html": "<b>", "text/plain": "42" } }, false);
    t.report.cellFinished(label(2, 4), "error", 1500, "TypeError");
    expect(t.text()).toBe("[2/3] cell 4 …\nab\n42\n[2/3] cell 4 error 1.50 s TypeError\n");
  });

  it("labels late output with the cell it belongs to, and the running cell's output after it", () => {
    const t = terminal();
    t.report.cellStarted(label(3, 5));
    t.report.output(2, "stream", { name: "stdout", text: "tick\n" }, true);
    t.report.output(5, "stream", { name: "stdout", text: "mine\n" }, false);
    t.report.cellFinished(label(3, 5), "ok", 10);
    t.report.note("waiting up to 2 s for late output…");
    t.report.output(5, "stream", { name: "stdout", text: "bye\n" }, true);
    expect(t.text()).toBe(
      "[3/3] cell 5 …\n── late output from cell 2 ──\ntick\n── cell 5 ──\nmine\n[3/3] cell 5 ok 10 ms\nwaiting up to 2 s for late output…\n── late output from cell 5 ──\nbye\n",
    );
  });

  it("prints tracebacks, stripping ANSI colour unless colour is on", () => {
    const traceback = ["\u001b[31mTypeError\u001b[0m: boom", "    at cell 1"];
    const plain = terminal();
    plain.report.output(1, "error", { ename: "TypeError", evalue: "boom", traceback }, false);
    expect(plain.text()).toBe("── cell 1 ──\nTypeError: boom\n    at cell 1\n");
    const coloured = terminal({ color: true });
    coloured.report.output(1, "error", { ename: "TypeError", evalue: "boom", traceback }, false);
    expect(coloured.text()).toContain("\u001b[31mTypeError\u001b[0m: boom");
  });

  it("in quiet mode prints only errors and warnings", () => {
    const t = terminal({ quiet: true });
    t.report.cellStarted(label(1, 1));
    t.report.output(1, "stream", { name: "stdout", text: "chatter\n" }, false);
    t.report.output(1, "error", { ename: "E", evalue: "v", traceback: [] }, false);
    t.report.note("waiting…");
    t.report.note("still arriving", "warn");
    t.report.cellFinished(label(1, 1), "error", 5);
    expect(t.text()).toBe("── cell 1 ──\nE: v\nstill arriving\n");
  });

  it("prints only the latest state of an updated display, at the next cell boundary", () => {
    const t = terminal();
    const update = (plain: string, id: string) => ({ data: { "text/plain": plain }, metadata: {}, transient: { display_id: id } });
    t.report.cellStarted(label(1, 1));
    t.report.output(1, "display_data", update("0%", "p"), false);
    for (const pct of ["10%", "50%", "100%"]) t.report.output(1, "update_display_data", update(pct, "p"), false);
    t.report.output(1, "update_display_data", update("other final", "q"), false);
    t.report.cellFinished(label(1, 1), "ok", 5);
    expect(t.text()).toBe("[1/3] cell 1 …\n0%\n(display updated)\n100%\n(display updated)\nother final\n[1/3] cell 1 ok 5 ms\n");
  });

  it("shows a task timeline once, in its final state: its header line, or all of it with --timelines", () => {
    const timeline = (plain: string, final: boolean) => ({
      data: { [TIMELINE_MIME]: {}, "text/html": "<div>", "text/plain": plain },
      metadata: final ? { final: true } : {},
      transient: { display_id: "t1" },
    });
    for (const mode of ["line", "full"] as const) {
      const t = terminal({ timelines: mode });
      t.report.cellStarted(label(1, 1));
      t.report.output(1, "display_data", timeline("cell [1] | wall 5 ms so far\nrows…", false), false);
      t.report.output(1, "update_display_data", timeline("cell [1] | wall 300 ms\nrow 1\nrow 2", true), false);
      t.report.cellFinished(label(1, 1), "ok", 301);
      expect(t.text()).toBe(
        mode === "line" ? "[1/3] cell 1 …\ntimeline: cell [1] | wall 300 ms\n[1/3] cell 1 ok 301 ms\n" : "[1/3] cell 1 …\ncell [1] | wall 300 ms\nrow 1\nrow 2\n[1/3] cell 1 ok 301 ms\n",
      );
    }
  });

  it("prefers text/plain, and names the kinds of output otherwise", () => {
    expect(plainOf({ "text/html": "<b>", "text/plain": "x" })).toBe("x");
    expect(plainOf({ "image/png": "…", "text/html": "<img>" })).toBe("[image/png, text/html output]");
    expect(plainOf(undefined)).toBe("");
  });
});

describe("colour and formatting", () => {
  it("wantColor: --no-color wins, FORCE_COLOR forces, NO_COLOR disables, else the TTY decides", () => {
    expect(wantColor("never", true, { FORCE_COLOR: "1" })).toBe(false);
    expect(wantColor("auto", false, { FORCE_COLOR: "1" })).toBe(true);
    expect(wantColor("auto", true, { FORCE_COLOR: "0" })).toBe(false);
    expect(wantColor("auto", true, { NO_COLOR: "1" })).toBe(false);
    expect(wantColor("auto", true, {})).toBe(true);
    expect(wantColor("auto", false, {})).toBe(false);
  });

  it("stripAnsi removes colour and hyperlink sequences", () => {
    expect(stripAnsi("\u001b[1;31mred\u001b[0m \u001b]8;;https://x\u0007link\u001b]8;;\u0007")).toBe("red link");
  });

  it("formatMs", () => {
    expect([formatMs(12.3), formatMs(1234), formatMs(12_345), formatMs(125_000)]).toEqual(["12 ms", "1.23 s", "12.3 s", "2 min 5 s"]);
  });
});
