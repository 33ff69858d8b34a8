// The language process's program (src/host/language-process.ts) driven through its own start() and the typed
// contract over a real MessageChannel (the process serves the same contract over its IPC channel: the e2e test
// test/e2e/language-process.test.ts drives that), and its data read from the environment.
import { MessageChannel } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { LANGUAGE_PROCESS_ENV, readData } from "../../../src/host/language-process-data.js";
import { start } from "../../../src/host/language-process.js";
import { RpcPeer, connect } from "../../../src/host/rpc.js";
import type { LanguageApi } from "../../../src/session/contract.js";

const channel = new MessageChannel();
start(channel.port1, { cwd: process.cwd(), logLevel: "warn", warmUp: "none", language: "typescript" });
const language = connect<LanguageApi>(new RpcPeer(channel.port2, "the I/O worker"));

afterAll(() => {
  channel.port1.close();
  channel.port2.close();
});

describe("the language process's start()", () => {
  it("serves prepare: a cell compiles to a script that declares its names", async () => {
    const prepared = await language.prepare("const answer: number = 42;\nanswer", "/tmp/tsloop-cell-1.ts", 1, { typecheck: true });
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    expect(prepared.cell.plan.declared).toEqual(["answer"]);
    expect(prepared.cell.plan.hasResult).toBe(true);
  }, 30_000);

  it("answers a type error with its diagnostics, not an exception", async () => {
    const prepared = await language.prepare("const n: number = 'text';", "/tmp/tsloop-cell-2.ts", 2, { typecheck: true });
    expect(prepared).toMatchObject({ ok: false, kind: "type" });
  }, 30_000);

  it("serves isComplete", async () => {
    expect(await language.isComplete("function f() {")).toMatchObject({ status: "incomplete" });
  });
});

describe("the language process's data", () => {
  const good = { cwd: "/nb", logLevel: "warn", warmUp: "all", language: "typescript" };
  it("reads what the kernel sends", () => {
    expect(readData(JSON.stringify(good))).toEqual(good);
  });
  it.each([
    ["missing", undefined, `${LANGUAGE_PROCESS_ENV} is not set`],
    ["not JSON", "{", "JSON"],
    ["no folder", JSON.stringify({ ...good, cwd: 1 }), "is not a language process's data"],
    ["an unknown warm-up", JSON.stringify({ ...good, warmUp: "some" }), "is not a language process's data"],
    ["an unknown language", JSON.stringify({ ...good, language: "python" }), "is not a language process's data"],
  ])("rejects data that is %s with a clear error", (_case, text, message) => {
    expect(() => readData(text)).toThrow(message);
  });
});
