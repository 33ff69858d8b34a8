// An in-memory Transport for driving the Kernel dispatcher in-process: records every outgoing message in
// order and builds incoming requests as a client would.
import { randomUUID } from "node:crypto";
import type { Channel, JSONObject, Message, Outgoing } from "../../src/protocol/messages.js";
import { newHeader } from "../../src/protocol/messages.js";
import type { Transport } from "../../src/kernel/kernel.js";

export class MemoryTransport implements Transport {
  readonly sent: Outgoing<JSONObject>[] = [];
  private waiters: { predicate: (m: Outgoing<JSONObject>) => boolean; resolve: (m: Outgoing<JSONObject>) => void }[] = [];

  async send(message: Outgoing<unknown>): Promise<void> {
    const m = message as Outgoing<JSONObject>;
    this.sent.push(m);
    this.waiters = this.waiters.filter((w) => (w.predicate(m) ? (w.resolve(m), false) : true));
  }

  async flush(_channel: Channel): Promise<void> {}

  waitFor(predicate: (m: Outgoing<JSONObject>) => boolean): Promise<Outgoing<JSONObject>> {
    const found = this.sent.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  /** Messages parented to a request, in the order they were sent. */
  childrenOf(msgId: string): Outgoing<JSONObject>[] {
    return this.sent.filter((m) => "msg_id" in m.parent_header && m.parent_header.msg_id === msgId);
  }
}

export function request(channel: Channel, msgType: string, content: JSONObject = {}, metadata: JSONObject = {}): Message {
  return {
    identities: [Buffer.from(randomUUID())],
    header: newHeader(msgType, { session: "test-client", username: "test" }),
    parent_header: {},
    metadata,
    content,
    buffers: [],
    channel,
  };
}
