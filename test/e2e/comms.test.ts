// Comms both ways through the real kernel: a target registered by a cell accepts a frontend comm_open and
// replies; a kernel-opened comm receives frontend messages in the cell that opened it; comm_info lists them.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { kernelBuilt, parentId, plain } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";

describe.runIf(kernelBuilt())("comms through the real kernel", () => {
  const session = useKernel("comms");

  it("delivers a frontend comm_open to a registered target, which replies on the comm", async () => {
    const kernel = session();
    const cell = await kernel.execute(
      "const received: unknown[] = [];\ntsloop.comms.registerTarget('echo', (comm, data) => {\n  received.push(data);\n  comm.onMessage((d, buffers) => { received.push(d); comm.send({ echo: d, bytes: buffers.length }); });\n  comm.send({ hello: data });\n});",
    );
    expect(cell.reply.content.status).toBe("ok");
    const commId = randomUUID();
    kernel.send("shell", "comm_open", { comm_id: commId, target_name: "echo", data: { from: "frontend" } });
    const hello = await kernel.waitFor((m) => m.header.msg_type === "comm_msg" && m.content.comm_id === commId);
    expect(hello.content.data).toEqual({ hello: { from: "frontend" } });
    expect(parentId(hello)).toBe(cell.request.msg_id);
    kernel.send("shell", "comm_msg", { comm_id: commId, data: { n: 1 } });
    const echo = await kernel.waitFor((m) => m.header.msg_type === "comm_msg" && m.content.comm_id === commId && (m.content.data as { echo?: unknown }).echo !== undefined);
    expect(echo.content.data).toEqual({ echo: { n: 1 }, bytes: 0 });
    const info = await kernel.request("shell", "comm_info_request", { target_name: "echo" });
    expect(Object.keys(info.content.comms as object)).toContain(commId);
    expect(plain((await kernel.execute("received.length")).outputs.results[0])).toBe("2");
  });

  it("runs a kernel-opened comm's message handler in the cell that opened it", async () => {
    const kernel = session();
    const cell = await kernel.execute("const c = tsloop.comms.open('my.target', { v: 1 });\nc.onMessage((data) => console.log('got', JSON.stringify(data)));");
    const open = cell.iopub.find((m) => m.header.msg_type === "comm_open");
    expect(open?.content.target_name).toBe("my.target");
    const commId = String(open?.content.comm_id);
    kernel.send("shell", "comm_msg", { comm_id: commId, data: { clicked: true } });
    const printed = await kernel.waitFor((m) => m.header.msg_type === "stream" && String(m.content.text).includes('got {"clicked":true}'));
    expect(parentId(printed)).toBe(cell.request.msg_id);
    kernel.send("shell", "comm_close", { comm_id: commId, data: {} });
    const closed = await kernel.execute("c.isClosed");
    expect(plain(closed.outputs.results[0])).toBe("true");
  });

  it("closes a comm_open for an unknown target", async () => {
    const kernel = session();
    const commId = randomUUID();
    const open = kernel.send("shell", "comm_open", { comm_id: commId, target_name: "nobody.listens", data: {} });
    const close = await kernel.waitFor((m) => m.header.msg_type === "comm_close" && m.content.comm_id === commId);
    expect(close.channel).toBe("iopub");
    expect(parentId(close)).toBe(open.msg_id);
    expect(close.content).toEqual({ comm_id: commId, data: {} });
  });
});

describe.runIf(kernelBuilt())("a cell awaiting a comm message", () => {
  const session = useKernel("comm-await");

  it("receives the frontend's comm_msg while it runs, without a Deadlock and without an idle in between", async () => {
    const kernel = session();
    const cell = kernel.sendExecute(
      "const comm = tsloop.comms.open('answer.target', {});\nconsole.log('open', comm.commId);\nconst answer = await new Promise((resolve) => comm.onMessage((data) => resolve(data.answer)));\nanswer",
    );
    const opened = await kernel.waitFor((m) => m.header.msg_type === "stream" && parentId(m) === cell.msg_id && String(m.content.text).startsWith("open "), 20_000);
    const commId = String(opened.content.text).trim().split(" ")[1] as string;
    await new Promise((r) => setTimeout(r, 800)); // longer than deadlock detection takes: the open comm is a possible waker
    kernel.send("shell", "comm_msg", { comm_id: commId, data: { answer: 42 } });
    const r = await kernel.collect(cell);
    expect(plain(r.outputs.results[0])).toBe("42");
    const idles = r.iopub.filter((m) => m.header.msg_type === "status" && m.content.execution_state === "idle");
    expect(idles).toHaveLength(1);
  });
});
