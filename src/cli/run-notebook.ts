// Notebooks on disk for `tsloop run`: reading and checking an nbformat 4 file (a clear message when it is not
// one), giving every cell an id, and writing the executed notebook as nbformat 4.5 the way Jupyter writes it
// (sorted keys, one-space indent, multi-line strings as lists of lines) through a temp file and a rename, so
// that a failed write never leaves half a notebook behind.
import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { sortKeys } from "../protocol/json-keys.js";

export type CellType = "code" | "markdown" | "raw";

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: string;
}
export interface DisplayDataOutput {
  output_type: "display_data";
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}
export type NotebookOutput = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface NotebookCell {
  id: string;
  cell_type: CellType;
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: NotebookOutput[];
  execution_count?: number | null;
  [key: string]: unknown;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
  [key: string]: unknown;
}

export type ReadResult = { ok: true; notebook: Notebook } | { ok: false; error: string };

const CELL_TYPES: readonly string[] = ["code", "markdown", "raw"];
const ID_PATTERN = /^[a-zA-Z0-9-_]{1,64}$/;

/** Reads and checks a notebook file; never throws. */
export function readNotebook(path: string): ReadResult {
  let text: string;
  try {
    if (statSync(path).isDirectory()) return { ok: false, error: `${path} is a directory, not a notebook` };
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: false, error: `no notebook at ${path}` };
    return { ok: false, error: `cannot read ${path}: ${(err as Error).message}` };
  }
  return parseNotebook(text, path);
}

/** Parses and checks notebook JSON; `source` names the file in messages. Gives cells without an id one. */
export function parseNotebook(text: string, source = "the notebook"): ReadResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${source} is not a notebook: it is not valid JSON (${(err as Error).message})` };
  }
  if (!isObject(raw)) return { ok: false, error: `${source} is not a notebook: expected a JSON object, got ${describe(raw)}` };
  if (raw.nbformat !== 4) {
    const got = raw.nbformat === undefined ? "no nbformat field" : `nbformat ${JSON.stringify(raw.nbformat)}`;
    return { ok: false, error: `${source} is not an nbformat 4 notebook (${got}); tsloop runs nbformat 4 (convert older ones with \`jupyter nbconvert --to notebook\`)` };
  }
  const minor = raw.nbformat_minor ?? 0;
  if (typeof minor !== "number" || !Number.isInteger(minor) || minor < 0) {
    return { ok: false, error: `${source}: nbformat_minor must be a non-negative integer, got ${describe(minor)}` };
  }
  const metadata = raw.metadata ?? {};
  if (!isObject(metadata)) return { ok: false, error: `${source}: metadata must be an object, got ${describe(metadata)}` };
  if (!Array.isArray(raw.cells)) return { ok: false, error: `${source}: cells must be an array, got ${describe(raw.cells)}` };
  const cells: NotebookCell[] = [];
  const ids = new Set<string>();
  for (const [index, cell] of raw.cells.entries()) {
    const where = `${source}: cell ${index + 1}`;
    if (!isObject(cell)) return { ok: false, error: `${where} must be an object, got ${describe(cell)}` };
    if (typeof cell.cell_type !== "string" || !CELL_TYPES.includes(cell.cell_type)) {
      return { ok: false, error: `${where}: cell_type must be "code", "markdown" or "raw", got ${describe(cell.cell_type)}` };
    }
    const src = cell.source ?? "";
    if (typeof src !== "string" && !(Array.isArray(src) && src.every((line) => typeof line === "string"))) {
      return { ok: false, error: `${where}: source must be a string or a list of strings, got ${describe(src)}` };
    }
    const cellMetadata = cell.metadata ?? {};
    if (!isObject(cellMetadata)) return { ok: false, error: `${where}: metadata must be an object, got ${describe(cellMetadata)}` };
    const id = typeof cell.id === "string" && ID_PATTERN.test(cell.id) && !ids.has(cell.id) ? cell.id : newCellId(ids);
    ids.add(id);
    const copy = { ...cell, id, cell_type: cell.cell_type as CellType, source: src, metadata: cellMetadata } as NotebookCell;
    if (copy.cell_type === "code") {
      if (copy.outputs !== undefined && !Array.isArray(copy.outputs)) return { ok: false, error: `${where}: outputs must be a list` };
      copy.outputs ??= [];
      copy.execution_count ??= null;
    }
    cells.push(copy);
  }
  return { ok: true, notebook: { ...raw, nbformat: 4, nbformat_minor: minor, metadata, cells } as Notebook };
}

/** The text of a cell's source. */
export function cellSource(cell: Pick<NotebookCell, "source">): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** A fresh id like nbformat's (8 hex digits), unique among `taken`. */
export function newCellId(taken: ReadonlySet<string>): string {
  for (;;) {
    const id = randomBytes(4).toString("hex");
    if (!taken.has(id)) return id;
  }
}

/** The notebook as Jupyter writes it: nbformat 4.5 or later, sorted keys, indent 1, multi-line strings split. */
export function serializeNotebook(notebook: Notebook): string {
  const out: Notebook = {
    ...notebook,
    nbformat: 4,
    nbformat_minor: Math.max(notebook.nbformat_minor, 5),
    cells: notebook.cells.map(splitCell),
  };
  return `${JSON.stringify(sortKeys(out), null, 1)}\n`;
}

/** Writes through a temp file in the same folder and a rename: the target is either old or complete. */
export function writeNotebookAtomic(path: string, notebook: Notebook): void {
  const text = serializeNotebook(notebook);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    writeFileSync(temp, text, "utf8");
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new Error(`cannot write ${path}: ${(err as Error).message}`);
  }
}

function splitCell(cell: NotebookCell): NotebookCell {
  const copy: NotebookCell = { ...cell, source: splitLines(cell.source) };
  if (cell.outputs) copy.outputs = cell.outputs.map(splitOutput);
  return copy;
}

function splitOutput(output: NotebookOutput): NotebookOutput {
  switch (output.output_type) {
    case "stream":
      return { ...output, text: splitLines(output.text) as unknown as string };
    case "display_data":
    case "execute_result": {
      const data: Record<string, unknown> = {};
      for (const [mime, value] of Object.entries(output.data)) data[mime] = isJsonMime(mime) || typeof value !== "string" ? value : splitLines(value);
      return { ...output, data };
    }
    default:
      return output;
  }
}

/** nbformat's split_lines: "a\nb" → ["a\n", "b"]; already split sources stay as they are. */
export function splitLines(text: string | string[]): string[] {
  if (Array.isArray(text)) return text;
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}

function isJsonMime(mime: string): boolean {
  return mime === "application/json" || /^application\/.+\+json$/.test(mime);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}
