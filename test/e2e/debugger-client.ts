// A small DAP client over the test kernel client: debug_request on control, debug_event from iopub.
import { expect } from "vitest";
import type { JSONObject } from "../../src/protocol/messages.js";
import type { KernelClient, Received } from "../helpers/kernel-client.js";

export interface DapReply {
  success: boolean;
  command: string;
  message?: string;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- DAP bodies, read by tests
}

export class Dap {
  private seq = 0;

  constructor(private readonly kernel: KernelClient) {}

  /** Sends a request and returns the response; fails the test on `success: false` unless `allowFailure`. */
  async request(command: string, args: JSONObject = {}, allowFailure = false): Promise<DapReply> {
    const reply = await this.kernel.request("control", "debug_request", { type: "request", seq: ++this.seq, command, arguments: args }, 20_000);
    const content = reply.content as unknown as DapReply;
    expect(content.command).toBe(command);
    if (!allowFailure) expect(content.success, `${command}: ${content.message ?? ""}`).toBe(true);
    return content;
  }

  /** A mark: events after it are new. */
  mark(): number {
    return this.kernel.messages.length;
  }

  /** The first debug_event named `event` received after `mark`. */
  event(event: string, mark: number, timeoutMs = 20_000): Promise<Received> {
    return this.kernel.waitFor(
      (m) => m.header.msg_type === "debug_event" && m.content.event === event && this.kernel.messages.indexOf(m) >= mark,
      timeoutMs,
      `debug_event ${event}`,
    );
  }

  /** The paused thread's visible stack: [name, line] of each frame, async labels included. */
  async stack(): Promise<{ id: number; name: string; line: number; path?: string }[]> {
    const trace = await this.request("stackTrace", { threadId: 1 });
    return (trace.body.stackFrames as { id: number; name: string; line: number; source?: { path: string } }[]).map((f) => ({
      id: f.id,
      name: f.name,
      line: f.line,
      ...(f.source ? { path: f.source.path } : {}),
    }));
  }

  /** Variables of the frame's scope named `scope`, as name → value. */
  async variables(frameId: number, scope: string): Promise<Record<string, string>> {
    const scopes = await this.request("scopes", { frameId });
    const found = (scopes.body.scopes as { name: string; variablesReference: number }[]).find((s) => s.name === scope);
    if (!found) throw new Error(`no scope ${scope}: ${JSON.stringify(scopes.body.scopes)}`);
    const vars = await this.request("variables", { variablesReference: found.variablesReference });
    return Object.fromEntries((vars.body.variables as { name: string; value: string }[]).map((v) => [v.name, v.value]));
  }

  /** JupyterLab's start sequence: initialize, attach, debugInfo. */
  async start(): Promise<DapReply> {
    const init = await this.request("initialize", { clientID: "tsloop-test", adapterID: "tsloop", pathFormat: "path", linesStartAt1: true, columnsStartAt1: true });
    expect(init.body.supportsConfigurationDoneRequest).toBe(true);
    await this.request("attach", {});
    return this.request("debugInfo");
  }

  /** dumpCell + setBreakpoints + configurationDone for one cell, as JupyterLab does when a gutter is clicked. */
  async breakAt(code: string, lines: number[]): Promise<{ path: string; lines: number[] }> {
    const dumped = await this.request("dumpCell", { code });
    const path = String(dumped.body.sourcePath);
    const set = await this.request("setBreakpoints", { source: { path }, breakpoints: lines.map((line) => ({ line })), sourceModified: false });
    await this.request("configurationDone");
    return { path, lines: (set.body.breakpoints as { line: number }[]).map((b) => b.line) };
  }
}
