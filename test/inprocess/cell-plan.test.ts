// Every consumer of a cell's plan takes the same answer: the real session interpreter, language side (type check),
// runtime (static warnings) and tracer (timeline) in this thread, for directives written the ways that used to
// make them disagree (a block comment, a blank line or a `#!` line above the directive).
import { beforeAll, describe, expect, it } from "vitest";
import type { ExecuteOutcome } from "../../src/kernel/interpreter.js";
import type { JSONObject } from "../../src/protocol/messages.js";
import { LocalLanguage } from "../../src/interpreter/language-local.js";
import { SessionInterpreter } from "../../src/interpreter/session-interpreter.js";
import { Runtime } from "../../src/runtime/runtime.js";
import { InterruptReceiver, createInterruptLine } from "../../src/session/interrupt-line.js";
import { request } from "./memory-transport.js";

const TIMELINE = "application/vnd.tsloop.timeline.v1+json";
const TYPE_ERROR = "const wrong: number = 'text' as string;";
/** Async work worth a timeline, and a lost update (a static warning shown on stderr before the cell runs). */
const LOST_UPDATE = "let counter = 0;\nasync function bump() { const v = counter; await sleep(60); counter = v + 1; }\nawait Promise.all([bump(), bump()]);";

const published: { parent: string; msgType: string; content: JSONObject }[] = [];
let runtime: Runtime;
let interpreter: SessionInterpreter;
let count = 0;

beforeAll(() => {
  runtime = new Runtime(
    {
      publish: (parent, msgType, content) => published.push({ parent: parent.msg_id, msgType, content }),
      requestInput: () => Promise.reject(new Error("no stdin in this test")),
    },
    { cwd: process.cwd(), line: new InterruptReceiver(createInterruptLine()) },
  );
  interpreter = new SessionInterpreter(
    new LocalLanguage(process.cwd()),
    { run: (r) => runtime.run(r), comm: (e) => runtime.comm(e), interrupt: () => runtime.interrupt() },
    { cwd: process.cwd(), typecheck: true },
  );
});

async function execute(code: string): Promise<{ outcome: ExecuteOutcome; timeline: boolean; stderr: string }> {
  const parent = request("shell", "execute_request", { code }).header;
  const outcome = await interpreter.execute({ code, silent: false, storeHistory: true, allowStdin: false, userExpressions: {}, executionCount: ++count, parent });
  runtime.output.flush();
  const mine = published.filter((m) => m.parent === parent.msg_id);
  return {
    outcome,
    timeline: mine.some((m) => m.msgType === "display_data" && TIMELINE in (m.content.data as JSONObject)),
    stderr: mine.filter((m) => m.msgType === "stream" && m.content.name === "stderr").map((m) => String(m.content.text)).join(""),
  };
}

const cases: { header: string; checked: boolean; timeline: boolean; warnings: boolean }[] = [
  { header: "", checked: true, timeline: true, warnings: true },
  { header: "// @ts-nocheck\n", checked: false, timeline: true, warnings: true },
  { header: "/* notes */\n// @ts-nocheck\n", checked: false, timeline: true, warnings: true },
  { header: "/**\n * Setup.\n */\n\n// @ts-nocheck\n", checked: false, timeline: true, warnings: true },
  { header: "#!/usr/bin/env tsloop\n// @ts-nocheck\n", checked: false, timeline: true, warnings: true },
  { header: "/* @ts-nocheck */\n", checked: true, timeline: true, warnings: true },
  { header: "/* notes */\n// @timeline off\n", checked: true, timeline: false, warnings: true },
  { header: "// a note\n\n// @warnings off\n", checked: true, timeline: true, warnings: false },
  { header: "/* notes */\n// @timeline off\n// @warnings off\n// @ts-nocheck\n", checked: false, timeline: false, warnings: false },
];

describe("a cell's plan, as every thread's code applies it", () => {
  it.each(cases)("$header", { timeout: 60_000 }, async ({ header, checked, timeline, warnings }) => {
    const typed = await execute(header + TYPE_ERROR);
    expect(typed.outcome.status === "error" && typed.outcome.ename).toBe(checked ? "TSError" : false);
    const traced = await execute(header + LOST_UPDATE);
    expect(traced.outcome.status).toBe("ok");
    expect(traced.timeline).toBe(timeline);
    expect(traced.stderr.includes("warning (line")).toBe(warnings);
  });
});

describe("a JavaScript cell's plan, as the language side applies it", () => {
  const language = new LocalLanguage(process.cwd(), "javascript");
  const misuse = "const m = 'text';\nm.toFixed(2);";

  it.each([
    { header: "", checked: false },
    { header: "// @ts-check\n", checked: true },
    { header: "/* notes */\n\n// @ts-check\n", checked: true },
    { header: "/* @ts-check */\n", checked: false },
    { header: "// @ts-check\n// @ts-nocheck\n", checked: false },
  ])("$header", { timeout: 60_000 }, async ({ header, checked }) => {
    const prepared = await language.prepare(header + misuse, "/notebook/tsloop-cell-1.js", 1, { typecheck: true });
    expect(prepared.ok ? "ran" : prepared.kind).toBe(checked ? "type" : "ran");
  });
});
