// The kernel's registry of open comms (for comm_info_request) and the routing of comm messages from
// the frontend to the interpreter. Unknown targets and comms are closed politely and logged.
import type { JSONObject, Message } from "../protocol/messages.js";
import { log } from "../wire/log.js";
import type { Interpreter } from "./interpreter.js";
import { asObject } from "./requests.js";

export interface OpenComm {
  targetName: string;
}

export class CommRegistry {
  private readonly comms = new Map<string, OpenComm>();

  opened(commId: string, targetName: string): void {
    this.comms.set(commId, { targetName });
  }

  closed(commId: string): void {
    this.comms.delete(commId);
  }

  has(commId: string): boolean {
    return this.comms.has(commId);
  }

  list(targetName?: string): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const [id, comm] of this.comms) {
      if (targetName === undefined || targetName === comm.targetName) out[id] = { target_name: comm.targetName };
    }
    return out;
  }
}

/** The frontend's comm requests (comm_info, comm_open, comm_msg, comm_close), routed to the interpreter. */
export class CommRouter {
  constructor(
    private readonly registry: CommRegistry,
    private readonly interpreter: Interpreter,
    /** Publishes on iopub as a child of `parent`. */
    private readonly publish: (parent: Message, msgType: string, content: JSONObject) => Promise<void>,
  ) {}

  /** comm_info_reply's content: the open comms, of one target if the request names it. */
  info(content: JSONObject): JSONObject {
    const target = typeof content.target_name === "string" ? content.target_name : undefined;
    return { status: "ok", comms: this.registry.list(target) };
  }

  async open(msg: Message): Promise<void> {
    const commId = String(msg.content.comm_id ?? "");
    const target = String(msg.content.target_name ?? "");
    const data = asObject(msg.content.data);
    const accepted = (await this.interpreter.commOpen?.(msg.header, commId, target, data, msg.buffers)) ?? false;
    if (accepted) {
      this.registry.opened(commId, target);
      return;
    }
    log.warn(`comm_open for unknown target ${JSON.stringify(target)}; closing comm ${commId}`);
    await this.publish(msg, "comm_close", { comm_id: commId, data: {} });
  }

  async message(msg: Message): Promise<void> {
    const commId = String(msg.content.comm_id ?? "");
    const handled = this.registry.has(commId) && ((await this.interpreter.commMsg?.(msg.header, commId, asObject(msg.content.data), msg.buffers)) ?? false);
    if (!handled) log.warn(`comm_msg for unknown comm ${commId}; ignored`);
  }

  async close(msg: Message): Promise<void> {
    const commId = String(msg.content.comm_id ?? "");
    if (this.registry.has(commId)) await this.interpreter.commClose?.(msg.header, commId, asObject(msg.content.data));
    else log.warn(`comm_close for unknown comm ${commId}; ignored`);
    this.registry.closed(commId);
  }
}
