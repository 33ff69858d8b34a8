// Reading notebooks for `tsloop run` (clear messages for what is not an nbformat 4 notebook, ids for every
// cell) and writing them as Jupyter does (nbformat 4.5, sorted keys, split lines, atomic).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Notebook, parseNotebook, readNotebook, serializeNotebook, splitLines, writeNotebookAtomic } from "../../../src/cli/run-notebook.js";

const dir = mkdtempSync(join(tmpdir(), "tsloop-run-nb-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const minimal = (cells: unknown[], extra: object = {}) => JSON.stringify({ nbformat: 4, nbformat_minor: 4, metadata: {}, cells, ...extra });

describe("parseNotebook", () => {
  const bad: [string, string, RegExp][] = [
    ["not JSON", "{ nope", /nb\.ipynb is not a notebook: it is not valid JSON/],
    ["a JSON list", "[]", /expected a JSON object, got a list/],
    ["nbformat 3", JSON.stringify({ nbformat: 3, worksheets: [] }), /not an nbformat 4 notebook \(nbformat 3\).*nbconvert/],
    ["no nbformat", JSON.stringify({ cells: [] }), /not an nbformat 4 notebook \(no nbformat field\)/],
    ["cells not a list", JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: {} }), /cells must be an array, got an object/],
    ["a bad cell type", minimal([{ cell_type: "sql", source: "", metadata: {} }]), /cell 1: cell_type must be "code", "markdown" or "raw", got string "sql"/],
    ["a bad source", minimal([{ cell_type: "code", source: 3, metadata: {} }]), /cell 1: source must be a string or a list of strings/],
  ];
  it.each(bad)("rejects %s with a clear message", (_name, text, message) => {
    const result = parseNotebook(text, "nb.ipynb");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it("keeps valid ids, replaces missing, invalid and duplicate ones, and fills code cell fields", () => {
    const result = parseNotebook(
      minimal([
        { cell_type: "code", id: "keep-me", source: ["a\n", "b"], metadata: { tags: ["x"] } },
        { cell_type: "markdown", source: "# t", metadata: {} },
        { cell_type: "code", id: "keep-me", source: "", metadata: {} },
        { cell_type: "raw", id: "bad id!", source: "", metadata: {} },
      ]),
    );
    if (!result.ok) throw new Error(result.error);
    const ids = result.notebook.cells.map((c) => c.id);
    expect(ids[0]).toBe("keep-me");
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
    expect(result.notebook.cells[0]).toMatchObject({ outputs: [], execution_count: null, metadata: { tags: ["x"] } });
    expect(result.notebook.cells[1]).not.toHaveProperty("outputs");
  });

  it("says when there is no notebook at the path, or it is a folder", () => {
    expect(readNotebook(join(dir, "missing.ipynb"))).toEqual({ ok: false, error: `no notebook at ${join(dir, "missing.ipynb")}` });
    expect(readNotebook(dir)).toEqual({ ok: false, error: `${dir} is a directory, not a notebook` });
  });
});

describe("serializeNotebook", () => {
  it("writes nbformat 4.5 like Jupyter: sorted keys, indent 1, lines split except in JSON mimes", () => {
    const parsed = parseNotebook(minimal([{ cell_type: "code", id: "c1", source: "x\ny", metadata: {} }], { metadata: { z: 1, a: 2 } }));
    if (!parsed.ok) throw new Error(parsed.error);
    const nb: Notebook = parsed.notebook;
    (nb.cells[0] as { outputs: unknown[] }).outputs = [
      { output_type: "stream", name: "stdout", text: "one\ntwo\n" },
      { output_type: "display_data", data: { "text/plain": "a\nb", "application/json": { k: "v\nw" } }, metadata: {} },
    ];
    const text = serializeNotebook(nb);
    const back = JSON.parse(text) as Record<string, unknown>;
    expect(back.nbformat_minor).toBe(5);
    expect(Object.keys(back)).toEqual(["cells", "metadata", "nbformat", "nbformat_minor"]);
    expect(Object.keys(back.metadata as object)).toEqual(["a", "z"]);
    expect(text).toContain('\n "cells": [\n  {\n   "cell_type": "code",');
    const cell = (back.cells as Record<string, unknown>[])[0] as { source: unknown; outputs: Record<string, unknown>[] };
    expect(cell.source).toEqual(["x\n", "y"]);
    expect(cell.outputs[0]?.text).toEqual(["one\n", "two\n"]);
    expect(cell.outputs[1]?.data).toEqual({ "application/json": { k: "v\nw" }, "text/plain": ["a\n", "b"] });
  });

  it("splitLines follows nbformat", () => {
    expect(splitLines("")).toEqual([]);
    expect(splitLines("a")).toEqual(["a"]);
    expect(splitLines("a\n\nb\n")).toEqual(["a\n", "\n", "b\n"]);
  });
});

describe("writeNotebookAtomic", () => {
  it("replaces the file in one step and leaves no temp file", () => {
    const target = join(dir, "out.ipynb");
    writeFileSync(target, "old");
    const parsed = parseNotebook(minimal([]));
    if (!parsed.ok) throw new Error(parsed.error);
    writeNotebookAtomic(target, parsed.notebook);
    expect(JSON.parse(readFileSync(target, "utf8"))).toMatchObject({ nbformat: 4, nbformat_minor: 5 });
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("fails with a message naming the file and leaves nothing behind when the folder is missing", () => {
    const parsed = parseNotebook(minimal([]));
    if (!parsed.ok) throw new Error(parsed.error);
    const target = join(dir, "no-such-folder", "out.ipynb");
    expect(() => writeNotebookAtomic(target, parsed.notebook)).toThrow(`cannot write ${target}`);
  });
});
