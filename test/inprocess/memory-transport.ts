// An in-memory Transport for driving the Kernel dispatcher in-process: records every outgoing message in
// order, checks each against the message spec as a client would receive it (the shared fixture fails a test
// that saw a violation), and builds incoming requests as a client would.
import { randomUUID } from "node:crypto";
import type { Channel, Header, JSONObject, Message, Outgoing } from "../../src/protocol/messages.js";
import { newHeader } from "../../src/protocol/messages.js";
import type { Transport } from "../../src/kernel/kernel.js";
import { watchProtocol } from "../helpers/protocol-watch.js";
import { validateMessage } from "../helpers/validate.js";

/** Headers of every request built by `request`, by msg_id: the parents the kernel's messages must name. */
const requests = new Map<string, Header>();

export class MemoryTransport implements Transport {
  readonly sent: Outgoing<JSONObject>[] = [];
  /** Spec violations in the messages the kernel sent. */
  readonly violations: string[] = [];
  private waiters: { predicate: (m: Outgoing<JSONObject>) => boolean; resolve: (m: Outgoing<JSONObject>) => void }[] = [];

  constructor() {
    watchProtocol(this);
  }

  async send(message: Outgoing<unknown>): Promise<void> {
    const m = message as Outgoing<JSONObject>;
    this.violations.push(...validateAsReceived(m));
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

/** The message as a client decodes it from the wire (JSON parts), checked against the request it answers. */
function validateAsReceived(m: Outgoing<JSONObject>): string[] {
  const wire = (part: unknown): unknown => JSON.parse(JSON.stringify(part));
  const parentId = "msg_id" in m.parent_header ? m.parent_header.msg_id : undefined;
  const request = parentId === undefined ? undefined : requests.get(parentId);
  const unknownParent = parentId !== undefined && request === undefined ? [`${m.channel} ${m.header.msg_type}: parent ${parentId} is not a request this test built`] : [];
  const checked = { channel: m.channel, header: wire(m.header), parent_header: wire(m.parent_header), metadata: wire(m.metadata), content: wire(m.content) };
  return [...unknownParent, ...validateMessage(checked, request)];
}

export function request(channel: Channel, msgType: string, content: JSONObject = {}, metadata: JSONObject = {}): Message {
  const header = newHeader(msgType, { session: "test-client", username: "test" });
  requests.set(header.msg_id, header);
  return {
    identities: [Buffer.from(randomUUID())],
    header,
    parent_header: {},
    metadata,
    content,
    buffers: [],
    channel,
  };
}
