// The client's message router: replies and idles matched by parent msg_id, subscriptions that outlive the
// request (late output), and failure (a dead kernel) rejecting every waiter, present and future.
import { describe, expect, it, vi } from "vitest";
import { KernelDiedError, KernelTimeoutError } from "../../../src/client/errors.js";
import { MessageRouter, parentMsgId } from "../../../src/client/router.js";
import { message, request, status, stream } from "./messages.js";

describe("MessageRouter", () => {
  it("resolves a reply only with the reply to that request, on shell or control", async () => {
    const router = new MessageRouter();
    const a = request("kernel_info_request");
    const b = request("kernel_info_request");
    const reply = router.reply(a.msg_id);
    router.dispatch(message("shell", "kernel_info_reply", b));
    router.dispatch(message("iopub", "status", a, { execution_state: "busy" }));
    const mine = message("control", "kernel_info_reply", a);
    router.dispatch(mine);
    await expect(reply).resolves.toBe(mine);
    expect(router.pending).toBe(0);
  });

  it("resolves idle only with status idle of that request", async () => {
    const router = new MessageRouter();
    const a = request("execute_request");
    const idle = router.idle(a.msg_id);
    router.dispatch(status(a, "busy"));
    const done = status(a, "idle");
    router.dispatch(done);
    await expect(idle).resolves.toBe(done);
  });

  it("keeps delivering a request's iopub messages after its idle, until closed (late output)", () => {
    const router = new MessageRouter();
    const a = request("execute_request");
    const seen: string[] = [];
    const sub = router.subscribe(a.msg_id, (m) => seen.push(m.header.msg_type === "stream" ? String(m.content.text) : m.header.msg_type));
    router.dispatch(status(a, "busy"));
    router.dispatch(stream(a, "now"));
    router.dispatch(status(a, "idle"));
    router.dispatch(stream(a, "late"));
    router.dispatch(stream(request("execute_request"), "someone else's"));
    sub.close();
    router.dispatch(stream(a, "after close"));
    expect(seen).toEqual(["status", "now", "status", "late"]);
  });

  it("does not deliver shell replies to subscriptions, but does deliver stdin requests", () => {
    const router = new MessageRouter();
    const a = request("execute_request");
    const seen: string[] = [];
    router.subscribe(a.msg_id, (m) => seen.push(`${m.channel}:${m.header.msg_type}`));
    router.dispatch(message("stdin", "input_request", a, { prompt: "?", password: false }));
    router.dispatch(message("shell", "execute_reply", a, { status: "ok" }));
    expect(seen).toEqual(["stdin:input_request"]);
  });

  it("gives every message to onMessage listeners, including ones without a parent", () => {
    const router = new MessageRouter();
    const seen: string[] = [];
    const sub = router.onMessage((m) => seen.push(m.header.msg_type));
    router.dispatch(message("iopub", "status", undefined, { execution_state: "starting" }));
    sub.close();
    router.dispatch(message("iopub", "status", undefined, { execution_state: "idle" }));
    expect(seen).toEqual(["status"]);
  });

  it("rejects pending and later waits when it fails, with the error naming what was awaited", async () => {
    const router = new MessageRouter();
    const a = request("execute_request");
    const reply = router.reply(a.msg_id, { what: "the execute_reply" });
    router.fail((what) => new KernelDiedError(1, null, "boom\n", what));
    await expect(reply).rejects.toThrow(/exited with code 1 while the client was waiting for the execute_reply; the end of its stderr:\n {2}\| boom/);
    await expect(router.idle(a.msg_id)).rejects.toBeInstanceOf(KernelDiedError);
    expect(router.pending).toBe(0);
  });

  it("times out a bounded wait and forgets it", async () => {
    vi.useFakeTimers();
    try {
      const router = new MessageRouter();
      const wait = router.reply("nope", { timeoutMs: 50, what: "the kernel_info_reply" });
      const assertion = expect(wait).rejects.toThrow(new KernelTimeoutError("the kernel_info_reply", 50));
      await vi.advanceTimersByTimeAsync(50);
      await assertion;
      expect(router.pending).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("still delivers to the other listeners and waiters when one listener throws, then reports it", async () => {
    const router = new MessageRouter();
    const a = request("execute_request");
    const seen: string[] = [];
    router.subscribe(a.msg_id, () => {
      throw new Error("listener bug");
    });
    router.subscribe(a.msg_id, (m) => seen.push(m.header.msg_type));
    const idle = router.idle(a.msg_id);
    expect(() => router.dispatch(status(a, "idle"))).toThrow("listener bug");
    expect(seen).toEqual(["status"]);
    await expect(idle).resolves.toMatchObject({ header: { msg_type: "status" }, content: { execution_state: "idle" } });
  });

  it("reads the parent msg_id, or undefined for {}", () => {
    const a = request("execute_request");
    expect(parentMsgId(status(a, "idle"))).toBe(a.msg_id);
    expect(parentMsgId(message("iopub", "status", undefined))).toBeUndefined();
  });
});
