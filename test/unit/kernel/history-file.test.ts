// The history file holds every cell's source: it is created readable by its owner only, and not at all when
// history is kept in memory (TSLOOP_HISTORY=off gives the kernel no file).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { History } from "../../../src/kernel/history.js";

describe("the history file", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is created mode 0600 in a 0700 dir, and holds the cell's source", () => {
    dir = mkdtempSync(join(tmpdir(), "tsloop-history-"));
    const file = join(dir, "jupyter", "tsloop", "history.jsonl");
    new History(file).append(1, 'const answer = "secret";');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "jupyter", "tsloop")).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, "utf8")).toContain('const answer = \\"secret\\";');
  });

  it("keeps history in memory and writes nothing when the kernel has no file (what TSLOOP_HISTORY=off gives)", () => {
    dir = mkdtempSync(join(tmpdir(), "tsloop-history-"));
    const history = new History(null);
    history.append(1, "1 + 1");
    expect(history.query({ hist_access_type: "tail", n: 1, output: false, raw: true })).toEqual([[1, 1, "1 + 1"]]);
    expect(existsSync(join(dir, "jupyter"))).toBe(false);
  });
});
