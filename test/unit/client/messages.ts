// Hand-made kernel messages for the client's unit tests.
import type { Channel, Header, JSONObject, Message } from "../../../src/protocol/messages.js";
import { newHeader } from "../../../src/protocol/messages.js";

const kernel = { session: "kernel-session", username: "kernel" };

export function request(msgType: string): Header {
  return newHeader(msgType, { session: "client-session", username: "client" });
}

export function message(channel: Channel, msgType: string, parent: Header | undefined, content: JSONObject = {}): Message {
  return {
    identities: [],
    header: newHeader(msgType, kernel),
    parent_header: parent ?? {},
    metadata: {},
    content,
    buffers: [],
    channel,
  };
}

export const status = (parent: Header, state: "busy" | "idle") => message("iopub", "status", parent, { execution_state: state });
export const stream = (parent: Header, text: string, name = "stdout") => message("iopub", "stream", parent, { name, text });
