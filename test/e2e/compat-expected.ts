// What each compatibility notebook in test/fixtures/compat must show, cell by cell, whichever runner executed it:
// outputs normalised (multi-line strings joined, JSON values as JSON text). tsloop's own task timeline is left out:
// whether a cell shows one depends on timing (async activity of 10 ms or more), so tests look for it only where
// it is certain (see hasTimeline).
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const TIMELINE = "application/vnd.tsloop.timeline.v1+json";

export type Out =
  | { type: "display_data" | "execute_result"; data: Record<string, string> }
  | { type: "stream"; name: string; text: string }
  | { type: "error"; ename: string; evalue: string };

export interface NotebookCell {
  cell_type: string;
  source: string | string[];
  outputs?: { output_type: string; data?: Record<string, unknown>; name?: string; text?: string | string[]; ename?: string; evalue?: string }[];
}

const text = (value: unknown): string => (typeof value === "string" ? value : Array.isArray(value) ? value.join("") : JSON.stringify(value));

/** The code cells' outputs, normalised; consecutive stream outputs of one stream are merged, as nbformat does. */
export function normalise(cells: NotebookCell[]): { outputs: Out[] }[] {
  return cells
    .filter((c) => c.cell_type === "code")
    .map((c) => {
      const outputs: Out[] = [];
      for (const o of c.outputs ?? []) {
        const last = outputs.at(-1);
        if (o.output_type === "stream") {
          if (last?.type === "stream" && last.name === o.name) last.text += text(o.text);
          else outputs.push({ type: "stream", name: String(o.name), text: text(o.text) });
        } else if (o.output_type === "error") {
          outputs.push({ type: "error", ename: String(o.ename), evalue: String(o.evalue) });
        } else if (o.data !== undefined && TIMELINE in o.data) {
          continue;
        } else if (o.output_type === "display_data" || o.output_type === "execute_result") {
          outputs.push({ type: o.output_type, data: Object.fromEntries(Object.entries(o.data ?? {}).map(([k, v]) => [k, text(v)])) });
        }
      }
      return { outputs: withoutLoadWarnings(outputs) };
    });
}

/** tsloop's blocked-loop warning (a stderr line, maybe coloured): on a loaded machine a cell's timers run late and
 *  it rightly appears, in cells of any notebook. It is about the machine, not the notebook; deadlock.test.ts guards it. */
const BLOCKED_LOOP_WARNING = /^(\u001b\[[\d;]*m)*warning: blocked the event loop for \d+ ms/;

/** `outputs` without blocked-loop warning lines; a stderr output left with nothing is left out. */
export function withoutLoadWarnings(outputs: Out[]): Out[] {
  return outputs.flatMap((o) => {
    if (o.type !== "stream" || o.name !== "stderr") return [o];
    const rest = o.text
      .split(/(?<=\n)/)
      .filter((line) => !BLOCKED_LOOP_WARNING.test(line))
      .join("");
    return rest === "" ? [] : [{ ...o, text: rest }];
  });
}

/** Whether the code cell at `index` shows tsloop's timeline (certain for the progress loop: 120 ms of timers). */
export function hasTimeline(cells: NotebookCell[], index: number): boolean {
  const cell = cells.filter((c) => c.cell_type === "code")[index];
  return (cell?.outputs ?? []).some((o) => o.data !== undefined && TIMELINE in o.data);
}

/** The index among code cells of the newDisplay() progress loop, in the tslab- and jslab-style notebooks. */
export const PROGRESS_CELL = 2;

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><circle cx="10" cy="10" r="8" fill="teal"/></svg>';
const display = (data: Record<string, string>): Out => ({ type: "display_data", data });
const result = (data: Record<string, string>): Out => ({ type: "execute_result", data });
const png = (dir: string) => readFileSync(join(dir, "dot.png")).toString("base64");

/** tslab-style and jslab-style notebooks show the same outputs; only the type error's place differs. */
function tslabStyle(dir: string, typeError: string): { outputs: Out[] }[] {
  return [
    { outputs: [] },
    {
      outputs: [
        display({ "text/html": "<h3>Sales report</h3>" }),
        display({ "text/markdown": "Quarter **3**, *draft*" }),
        display({ "text/latex": "$$\\sum_{i=1}^{3} i = 6$$" }),
        display({ "image/svg+xml": SVG }),
        display({ "text/plain": "plain text line" }),
      ],
    },
    // newDisplay(): six calls, one output, holding the last.
    { outputs: [display({ "text/plain": "[#####] 100%" })] },
    { outputs: [display({ "image/png": png(dir) }), display({ "application/json": JSON.stringify({ bytes: 75 }) })] },
    { outputs: [{ type: "stream", name: "stdout", text: "tslab,typescript,node true\n" }] },
    { outputs: [{ type: "error", ename: "TSError", evalue: typeError }] },
  ];
}

export const EXPECTED: Record<string, (dir: string) => { outputs: Out[] }[]> = {
  "tslab-style.ipynb": (dir) => tslabStyle(dir, "TS2322: Type 'string' is not assignable to type 'number'. (line 1, column 7)"),
  "jslab-style.ipynb": (dir) => tslabStyle(dir, "TS2322: Type 'string' is not assignable to type 'number'. (line 3, column 7)"),
  "deno-style.ipynb": (dir) => [
    { outputs: [result({ "text/html": "<h2>Weather in Lisbon</h2>", "text/plain": "<HTML>" })] },
    { outputs: [result({ "text/markdown": "## Forecast\n- Lisbon: **23 °C**", "text/plain": "## Forecast\n- Lisbon: **23 °C**" })] },
    { outputs: [display({ "text/plain": "sunny", "text/html": "<em>sunny</em>" }), display({ "image/svg+xml": SVG, "text/plain": "<SVG>" })] },
    { outputs: [result({ "text/plain": "23 C", "text/html": "<b>23 °C</b>" })] },
    { outputs: [result({ "image/png": png(dir), "text/plain": "<PNG image>" })] },
    { outputs: [{ type: "stream", name: "stdout", text: '{"text/plain":"*x*","text/markdown":"*x*"}\n' }] },
  ],
};
