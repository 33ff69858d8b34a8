// The language thread's program (src/host/language-worker.ts) driven through its own start() and the typed
// contract over a real MessageChannel, as the I/O worker drives it across threads.
import { MessageChannel } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { start } from "../../../src/host/language-worker.js";
import { RpcPeer, connect } from "../../../src/host/rpc.js";
import type { LanguageApi } from "../../../src/session/contract.js";

const channel = new MessageChannel();
start(channel.port1, { cwd: process.cwd(), logLevel: "warn", warmUp: "none", language: "typescript" });
const language = connect<LanguageApi>(new RpcPeer(channel.port2, "the I/O worker"));

afterAll(() => {
  channel.port1.close();
  channel.port2.close();
});

describe("the language worker's start()", () => {
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
