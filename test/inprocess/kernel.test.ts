// The dispatcher in-process, with the real interpreter (compiler, language service, runtime) in this thread
// and an in-memory transport: message order, counts, stop_on_error and error replies.
import { beforeAll, describe, expect, it } from "vitest";
import type { JSONObject, Message, Outgoing } from "../../src/protocol/messages.js";
import { Kernel } from "../../src/kernel/kernel.js";
import { LocalLanguage } from "../../src/interpreter/language-local.js";
import { SessionInterpreter } from "../../src/interpreter/session-interpreter.js";
import { Runtime } from "../../src/runtime/runtime.js";
import { InterruptReceiver, InterruptSender, createInterruptLine } from "../../src/session/interrupt-line.js";
import { MemoryTransport, request } from "./memory-transport.js";

let transport: MemoryTransport;
let kernel: Kernel;
let runtime: Runtime;
/** The I/O worker's end of the interrupt line, driven as the kernel's I/O worker drives it (src/host/io-worker.ts). */
let sender: InterruptSender;
let receiver: InterruptReceiver;

beforeAll(() => {
  transport = new MemoryTransport();
  let frontendPublish: Kernel["frontend"]["publish"] = () => undefined;
  const line = createInterruptLine();
  sender = new InterruptSender(line, () => {
    throw new Error("no SIGINT in this process");
  });
  runtime = new Runtime(
    {
      publish: (...a) => frontendPublish(...a),
      requestInput: () => Promise.reject(new Error("no stdin in this test")),
    },
    { cwd: process.cwd(), line: (receiver = new InterruptReceiver(line)) },
  );
  const interpreter = new SessionInterpreter(
    new LocalLanguage(process.cwd()),
    {
      run: (r) => {
        sender.nextRun();
        return runtime.run(r);
      },
      comm: (e) => runtime.comm(e),
      interrupt: () => runtime.interrupt(sender.raise()),
    },
    { cwd: process.cwd(), typecheck: true },
  );
  kernel = new Kernel(transport, interpreter, { identity: { session: "k", username: "tsloop" }, historyFile: null, onShutdown: () => undefined });
  frontendPublish = kernel.frontend.publish;
});

async function run(msg: Message): Promise<Outgoing<JSONObject>[]> {
  kernel.receive(msg);
  await transport.waitFor((m) => m.header.msg_type === "status" && m.content.execution_state === "idle" && (m.parent_header as { msg_id?: string }).msg_id === msg.header.msg_id);
  return transport.childrenOf(msg.header.msg_id);
}

const types = (ms: Outgoing<JSONObject>[]) => ms.map((m) => (m.header.msg_type === "status" ? `status:${String(m.content.execution_state)}` : m.header.msg_type));

describe("kernel dispatch in-process", () => {
  it("brackets an execute request: busy, execute_input, outputs, result, reply, idle", async () => {
    const out = await run(request("shell", "execute_request", { code: "console.log('hi'); 40 + 2", silent: false, store_history: true }));
    expect(types(out)).toEqual(["status:busy", "execute_input", "stream", "execute_result", "execute_reply", "status:idle"]);
    expect(out.find((m) => m.header.msg_type === "execute_result")?.content.data).toEqual({ "text/plain": "42" });
  });

  it("counts executions only when storing history and not silent", async () => {
    const a = await run(request("shell", "execute_request", { code: "1", store_history: true }));
    const count = a.find((m) => m.header.msg_type === "execute_reply")?.content.execution_count as number;
    const silent = await run(request("shell", "execute_request", { code: "1", silent: true }));
    expect(types(silent)).toEqual(["status:busy", "execute_reply", "status:idle"]);
    expect(silent.find((m) => m.header.msg_type === "execute_reply")?.content.execution_count).toBe(count);
    const noHistory = await run(request("shell", "execute_request", { code: "1", store_history: false }));
    expect(noHistory.find((m) => m.header.msg_type === "execute_reply")?.content.execution_count).toBe(count);
    const b = await run(request("shell", "execute_request", { code: "1" }));
    expect(b.find((m) => m.header.msg_type === "execute_reply")?.content.execution_count).toBe(count + 1);
  });

  it("aborts execute requests queued behind a failing cell when stop_on_error is set", async () => {
    const failing = request("shell", "execute_request", { code: "throw new Error('first fails')" });
    const queued = request("shell", "execute_request", { code: "console.log('must not run')" });
    kernel.receive(failing);
    kernel.receive(queued);
    await transport.waitFor((m) => m.header.msg_type === "execute_reply" && (m.parent_header as { msg_id?: string }).msg_id === queued.header.msg_id);
    const out = await run(request("shell", "execute_request", { code: "'after'" }));
    expect(transport.childrenOf(queued.header.msg_id).find((m) => m.header.msg_type === "execute_reply")?.content.status).toBe("aborted");
    expect(transport.childrenOf(queued.header.msg_id).some((m) => m.header.msg_type === "stream")).toBe(false);
    expect(out.find((m) => m.header.msg_type === "execute_reply")?.content.status).toBe("ok");
  });

  it("refuses to run a cell with a type error and reports the cell line", async () => {
    const out = await run(request("shell", "execute_request", { code: "let sideEffect = 0;\nsideEffect = 1;\nconst n: number = 'text';" }));
    const reply = out.find((m) => m.header.msg_type === "execute_reply");
    expect(reply?.content.ename).toBe("TSError");
    expect(String(reply?.content.evalue)).toMatch(/line 3/);
    const check = await run(request("shell", "execute_request", { code: "// @ts-nocheck\ntypeof sideEffect" }));
    expect(check.find((m) => m.header.msg_type === "execute_result")?.content.data).toEqual({ "text/plain": "'undefined'" });
  });

  it("answers an unknown message type with nothing and keeps serving", async () => {
    kernel.receive(request("shell", "no_such_request"));
    const out = await run(request("shell", "kernel_info_request"));
    expect(out.find((m) => m.header.msg_type === "kernel_info_reply")?.content.language_info).toMatchObject({ name: "typescript", codemirror_mode: "typescript" });
  });

  it("converts cursor positions between code points and UTF-16 at the protocol edge", async () => {
    const code = "const s = \"😀😀\"; const emojiLabel = 2;\nemojiLa";
    const out = await run(request("shell", "complete_request", { code, cursor_pos: [...code].length }));
    const reply = out.find((m) => m.header.msg_type === "complete_reply");
    expect(reply?.content.matches).toContain("emojiLabel");
    expect(reply?.content.cursor_start).toBe([...code].length - "emojiLa".length);
    expect(reply?.content.cursor_end).toBe([...code].length);
  });

  const started = (cell: Message) =>
    transport.waitFor((m) => m.header.msg_type === "stream" && (m.parent_header as { msg_id?: string }).msg_id === cell.header.msg_id);
  const replyTo = (cell: Message) =>
    transport.waitFor((m) => m.header.msg_type === "execute_reply" && (m.parent_header as { msg_id?: string }).msg_id === cell.header.msg_id);

  it("a late interrupt event of an earlier run does not stop the running cell", async () => {
    const cell = request("shell", "execute_request", {
      code: "console.log('waiting');\nawait new Promise((resolve) => { (globalThis as any).releaseCell = resolve; });\n'finished'",
    });
    kernel.receive(cell);
    await started(cell);
    runtime.interrupt(receiver.currentRun() - 1);
    (globalThis as unknown as { releaseCell: () => void }).releaseCell();
    expect((await replyTo(cell)).content).toMatchObject({ status: "ok" });
    const out = transport.childrenOf(cell.header.msg_id);
    expect(out.find((m) => m.header.msg_type === "execute_result")?.content.data).toEqual({ "text/plain": "'finished'" });
  });

  it("an interrupt raised against the running cell's run stops it, and the next cell runs", async () => {
    const cell = request("shell", "execute_request", { code: "console.log('waiting'); await new Promise(() => {});" });
    kernel.receive(cell);
    await started(cell);
    runtime.interrupt(sender.raise());
    expect((await replyTo(cell)).content).toMatchObject({ status: "error", ename: "Interrupted" });
    const next = await run(request("shell", "execute_request", { code: "40 + 2" }));
    expect(next.find((m) => m.header.msg_type === "execute_result")?.content.data).toEqual({ "text/plain": "42" });
  });
});
