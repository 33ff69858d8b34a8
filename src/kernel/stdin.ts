// input_request / input_reply on the stdin channel. The request goes to the identities of the
// execute_request's client; the reply is matched by its parent's msg_id.
import type { Header, Message, Outgoing, SessionIdentity } from "../protocol/messages.js";
import { childOf } from "../protocol/messages.js";
import { log } from "../wire/log.js";

interface Pending {
  resolve: (value: string) => void;
  reject: (err: Error) => void;
}

export class InputBroker {
  private readonly pending = new Map<string, Pending>();
  /** identities of the client that sent each execute_request, by msg_id */
  private readonly routes = new Map<string, Buffer[]>();

  constructor(
    private readonly send: (msg: Outgoing<unknown>) => Promise<void>,
    private readonly identity: SessionIdentity,
  ) {}

  /** Remember where to send input requests for a cell (the shell identities of its execute_request). */
  route(parent: Header, identities: Buffer[]): void {
    this.routes.set(parent.msg_id, identities);
    if (this.routes.size > 1000) {
      const first = this.routes.keys().next().value;
      if (first !== undefined) this.routes.delete(first);
    }
  }

  request(parent: Header, prompt: string, password: boolean): Promise<string> {
    const identities = this.routes.get(parent.msg_id) ?? [];
    const msg = childOf({ header: parent, identities }, "stdin", "input_request", { prompt, password }, this.identity);
    return new Promise<string>((resolve, reject) => {
      this.pending.set(msg.header.msg_id, { resolve, reject });
      this.send(msg).catch(reject);
    });
  }

  receive(msg: Message): void {
    if (msg.header.msg_type !== "input_reply") {
      log.warn(`unexpected ${msg.header.msg_type} on stdin; ignored`);
      return;
    }
    const parentId = "msg_id" in msg.parent_header ? msg.parent_header.msg_id : undefined;
    const waiter = parentId === undefined ? undefined : this.pending.get(parentId);
    if (!waiter || parentId === undefined) {
      log.warn("input_reply that answers no pending input_request; ignored");
      return;
    }
    this.pending.delete(parentId);
    waiter.resolve(typeof msg.content.value === "string" ? msg.content.value : "");
  }

  cancelAll(reason: string): void {
    for (const [id, waiter] of this.pending) {
      this.pending.delete(id);
      const err = new Error(`input request cancelled: ${reason}`);
      err.name = "Interrupted";
      waiter.reject(err);
    }
  }
}
