// KernelClient against an in-process fake kernel over real ZeroMQ sockets: the ready handshake, execute
// completing only on reply *and* idle, late output through a kept subscription, serialised sends, stdin,
// signature checks, and a dying kernel failing what is pending with its stderr.
import { afterEach, describe, expect, it } from "vitest";
import { KernelClient } from "../../../src/client/client.js";
import { KernelDiedError } from "../../../src/client/errors.js";
import type { KernelProcess } from "../../../src/client/kernel-process.js";
import type { Message } from "../../../src/protocol/messages.js";
import { FakeKernel, type Handler, fakeProcess, gate } from "./fake-kernel.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(handlers: Record<string, Handler> = {}, process?: KernelProcess) {
  const kernel = await FakeKernel.start(handlers);
  cleanups.push(() => kernel.close());
  const problems: string[] = [];
  const client = new KernelClient(kernel.connection, { onProblem: (p) => problems.push(p), ...(process ? { kernel: process } : {}) });
  cleanups.push(() => client.close());
  return { kernel, client, problems };
}

const ok = (execution_count = 1) => ({ status: "ok", execution_count, user_expressions: {}, payload: [] });

describe("KernelClient", () => {
  it("waitForReady resolves with the kernel_info_reply once a reply and an iopub message arrived", async () => {
    const { client, kernel } = await setup();
    const info = await client.waitForReady({ timeoutMs: 10_000, retryMs: 100 });
    expect(info.header.msg_type).toBe("kernel_info_reply");
    expect(info.content.protocol_version).toBe("5.4");
    expect(client.kernelInfo).toBe(info);
    expect(kernel.received.filter((m) => m.header.msg_type === "kernel_info_request").length).toBeGreaterThanOrEqual(1);
  });

  it("execute resolves only when both the reply and the idle arrived, whichever comes last", async () => {
    const replyGate = gate();
    const { client } = await setup({
      execute_request: async (m: Message, k: FakeKernel) => {
        await k.bracket(m, () => k.publish(m.header, "stream", { name: "stdout", text: "hi\n" }));
        await replyGate.promise; // the idle is out before the reply
        await k.reply(m, "execute_reply", ok());
      },
    });
    await client.waitForReady({ retryMs: 100 });
    const idleSeen = gate();
    let resolved = false;
    const run = client
      .execute("x", { onIopub: (m) => m.header.msg_type === "status" && m.content.execution_state === "idle" && idleSeen.open() })
      .then((r) => ((resolved = true), r));
    await idleSeen.promise;
    expect(resolved).toBe(false);
    replyGate.open();
    const result = await run;
    expect(result.reply.content.status).toBe("ok");
    expect(result.messages.map((m) => m.header.msg_type)).toEqual(["status", "stream", "status"]);
    expect(result.request.msg_type).toBe("execute_request");
  });

  it("with keepListening, late output after the idle still reaches onIopub until the subscription closes", async () => {
    const { client, kernel } = await setup({
      execute_request: (m: Message, k: FakeKernel) => k.bracket(m, () => k.reply(m, "execute_reply", ok())),
    });
    await client.waitForReady({ retryMs: 100 });
    const late = gate<Message>();
    const result = await client.execute("setTimeout(...)", {
      keepListening: true,
      onIopub: (m) => m.header.msg_type === "stream" && late.open(m),
    });
    expect(result.subscription).toBeDefined();
    await kernel.publish(result.request, "stream", { name: "stdout", text: "late\n" });
    expect((await late.promise).content.text).toBe("late\n");
    expect(result.messages.some((m) => m.header.msg_type === "stream")).toBe(false);
    result.subscription?.close();
  });

  it("serialises sends: 200 concurrent executes all complete (no EBUSY)", async () => {
    let count = 0;
    const { client, problems } = await setup({
      execute_request: (m: Message, k: FakeKernel) => k.bracket(m, () => k.reply(m, "execute_reply", ok(++count))),
    });
    await client.waitForReady({ retryMs: 100 });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => client.execute(`cell ${i}`)));
    expect(results.map((r) => r.reply.content.status)).toEqual(Array(200).fill("ok"));
    expect(problems).toEqual([]);
  });

  it("answers input_request with onInput", async () => {
    const { client } = await setup({
      execute_request: (m: Message, k: FakeKernel) =>
        k.bracket(m, async () => {
          const answer = await k.input(m, "name? ");
          await k.publish(m.header, "stream", { name: "stdout", text: `got ${String(answer.content.value)}` });
          await k.reply(m, "execute_reply", ok());
        }),
    });
    await client.waitForReady({ retryMs: 100 });
    const prompts: string[] = [];
    const result = await client.execute("await input()", { allowStdin: true, onInput: (prompt) => (prompts.push(prompt), "Ada") });
    expect(prompts).toEqual(["name? "]);
    expect(result.messages.find((m) => m.header.msg_type === "stream")?.content.text).toBe("got Ada");
  });

  it("request resolves with the reply on control", async () => {
    const { client } = await setup({ interrupt_request: (m: Message, k: FakeKernel) => k.reply(m, "interrupt_reply", { status: "ok" }) });
    const reply = await client.interrupt();
    expect(reply.channel).toBe("control");
    expect(reply.header.msg_type).toBe("interrupt_reply");
  });

  it("measures heartbeat round trips, one at a time", async () => {
    const { client } = await setup();
    const times = await Promise.all([client.heartbeat(), client.heartbeat(), client.heartbeat()]);
    for (const ms of times) expect(ms).toBeGreaterThan(0);
  });

  it("drops messages whose signature does not verify, and says so", async () => {
    const kernel = await FakeKernel.start();
    cleanups.push(() => kernel.close());
    const problems: string[] = [];
    const seen: Message[] = [];
    const client = new KernelClient({ ...kernel.connection, key: "not-the-key" }, { onProblem: (p) => problems.push(p) });
    cleanups.push(() => client.close());
    client.onMessage((m) => seen.push(m));
    // Publish until one reached the subscriber (the subscription races the first messages).
    while (problems.length === 0) {
      await kernel.publish(undefined, "status", { execution_state: "starting" });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(problems[0]).toMatch(/dropped a message on iopub: invalid signature/);
    expect(seen).toEqual([]);
  });

  it("rejects a pending execute with KernelDiedError quoting the kernel's stderr when the process exits", async () => {
    const proc = fakeProcess("Error: something broke\n    at kernel.js:1\n");
    const { client } = await setup({ execute_request: (m: Message, k: FakeKernel) => k.status(m, "busy") }, proc);
    await client.waitForReady({ retryMs: 100 });
    const busy = gate();
    const run = client.execute("while (true) {}", { onIopub: () => busy.open() });
    await busy.promise;
    proc.exit({ code: 7, signal: null });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KernelDiedError);
    expect((error as KernelDiedError).exitCode).toBe(7);
    expect((error as Error).message).toMatch(/exited with code 7 while the client was waiting for the (execute_reply|cell's idle status).*\n {2}\| Error: something broke/s);
    await expect(client.request("shell", "kernel_info_request")).rejects.toBeInstanceOf(KernelDiedError);
  });

  it("shutdown sends shutdown_request on control, and kills a kernel that does not exit in time", async () => {
    const proc = fakeProcess("");
    const { client, kernel } = await setup({ shutdown_request: (m: Message, k: FakeKernel) => k.reply(m, "shutdown_reply", { status: "ok", restart: false }) }, proc);
    await client.shutdown(200);
    expect(kernel.received.some((m) => m.channel === "control" && m.header.msg_type === "shutdown_request")).toBe(true);
    expect(proc.killed).toEqual(["SIGKILL"]);
    await expect(client.request("shell", "kernel_info_request")).rejects.toThrow(/closed|code|killed/);
  });
});
