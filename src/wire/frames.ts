// Encoding and decoding of a Jupyter message as ZeroMQ frames:
// [identities…, "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers…].
// Decoding returns a result value, never throws: a malformed message is a reason string for the log.
import type { Channel, Header, JSONObject, Message, Outgoing } from "../protocol/messages.js";
import { isHeader } from "../protocol/messages.js";
import type { Signer } from "./signing.js";

export const DELIMITER = Buffer.from("<IDS|MSG>", "ascii");

export type Decoded = { ok: true; message: Message } | { ok: false; reason: string; msgType?: string };

export function encode(message: Outgoing<unknown>, signer: Signer): Buffer[] {
  const json = [
    Buffer.from(JSON.stringify(message.header), "utf8"),
    Buffer.from(JSON.stringify(message.parent_header), "utf8"),
    Buffer.from(JSON.stringify(message.metadata), "utf8"),
    Buffer.from(JSON.stringify(message.content ?? {}), "utf8"),
  ];
  return [...message.identities, DELIMITER, Buffer.from(signer.sign(json), "ascii"), ...json, ...message.buffers];
}

export function decode(frames: readonly Buffer[], channel: Channel, signer: Signer): Decoded {
  const delimiterAt = frames.findIndex((f) => f.equals(DELIMITER));
  if (delimiterAt < 0) return { ok: false, reason: "missing <IDS|MSG> delimiter" };
  if (frames.length < delimiterAt + 6) {
    return { ok: false, reason: `expected at least 5 frames after the delimiter, got ${frames.length - delimiterAt - 1}` };
  }
  const signature = frames[delimiterAt + 1] as Buffer;
  const json = frames.slice(delimiterAt + 2, delimiterAt + 6);
  const verified = signer.verify(signature, json);
  if (!verified.ok) return { ok: false, reason: verified.reason };
  const parsed: unknown[] = [];
  const names = ["header", "parent_header", "metadata", "content"];
  for (const [i, frame] of json.entries()) {
    try {
      parsed.push(JSON.parse(frame.toString("utf8")));
    } catch (err) {
      return { ok: false, reason: `${names[i]} frame is not valid JSON: ${(err as Error).message}` };
    }
  }
  const [header, parent, metadata, content] = parsed;
  if (!isHeader(header)) return { ok: false, reason: "header lacks msg_id, msg_type or session strings" };
  for (const [name, value] of [["parent_header", parent], ["metadata", metadata], ["content", content]] as const) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { ok: false, reason: `${name} frame is not a JSON object`, msgType: header.msg_type };
    }
  }
  return {
    ok: true,
    message: {
      identities: frames.slice(0, delimiterAt),
      header: header as Header,
      parent_header: (isHeader(parent) ? parent : {}) as Header,
      metadata: metadata as JSONObject,
      content: content as JSONObject,
      buffers: frames.slice(delimiterAt + 6),
      channel,
    },
  };
}
