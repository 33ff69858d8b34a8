// Jupyter messaging protocol 5.4: message envelopes and the content of every message tsloop speaks.
// Pure types and constructors; no I/O. Replies are built from their parent with `childOf`.
import { randomUUID } from "node:crypto";

export const PROTOCOL_VERSION = "5.4";

export type Channel = "shell" | "control" | "stdin" | "iopub";

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  subshell_id?: string | null;
}

export type JSONValue = null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue };
export type JSONObject = { [key: string]: unknown };

/** A decoded message. `content` is typed per msg_type where it matters; on the wire it is JSON. */
export interface Message<C = JSONObject> {
  /** ZeroMQ routing identities (router sockets) or the topic (iopub). */
  identities: Buffer[];
  header: Header;
  parent_header: Header | Record<string, never>;
  metadata: JSONObject;
  content: C;
  buffers: Buffer[];
  channel: Channel;
}

/** Who a kernel is in the headers it sends. */
export interface SessionIdentity {
  session: string;
  username: string;
}

export function newHeader(msgType: string, identity: SessionIdentity): Header {
  return {
    msg_id: randomUUID(),
    session: identity.session,
    username: identity.username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

/** The parent reference a child message carries: the parent's header, or `{}` for messages with no parent. */
export type ParentRef = Header | Record<string, never>;

export interface Outgoing<C = JSONObject> {
  channel: Channel;
  identities: Buffer[];
  header: Header;
  parent_header: ParentRef;
  metadata: JSONObject;
  content: C;
  buffers: Buffer[];
}

/** Build a message whose parent is `parent` (a reply or an iopub side effect of a request). */
export function childOf<C>(
  parent: { header: Header; identities: Buffer[] } | { header: Header | Record<string, never>; identities?: Buffer[] },
  channel: Channel,
  msgType: string,
  content: C,
  identity: SessionIdentity,
  metadata: JSONObject = {},
  buffers: Buffer[] = [],
): Outgoing<C> {
  const isRouted = channel === "shell" || channel === "control" || channel === "stdin";
  return {
    channel,
    identities: isRouted ? [...(parent.identities ?? [])] : [Buffer.from(iopubTopic(msgType))],
    header: newHeader(msgType, identity),
    parent_header: parent.header,
    metadata,
    content,
    buffers,
  };
}

/** ipykernel's iopub topics: `kernel.<id>.<msg_type>` is conventional; clients subscribe to everything. */
export function iopubTopic(msgType: string): string {
  return `kernel.${msgType}`;
}

export function isHeader(value: unknown): value is Header {
  if (typeof value !== "object" || value === null) return false;
  const h = value as Record<string, unknown>;
  return typeof h.msg_id === "string" && typeof h.msg_type === "string" && typeof h.session === "string";
}

// ---- content types ----

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

export type ReplyStatus<T> = ({ status: "ok" } & T) | ({ status: "error" } & ErrorContent) | { status: "aborted" };

export interface ExecuteRequest {
  code: string;
  silent: boolean;
  store_history: boolean;
  user_expressions: Record<string, string>;
  allow_stdin: boolean;
  stop_on_error: boolean;
}

export type MimeBundle = Record<string, unknown>;

export interface UserExpressionResult {
  status: "ok" | "error";
  data?: MimeBundle;
  metadata?: JSONObject;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface CompleteRequest {
  code: string;
  cursor_pos: number;
}

export interface CompleteItem {
  start: number;
  end: number;
  text: string;
  type: string;
  signature: string;
}

export interface CompleteReplyOk {
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: { _jupyter_types_experimental?: CompleteItem[] } & JSONObject;
}

export interface InspectRequest {
  code: string;
  cursor_pos: number;
  detail_level: 0 | 1;
}

export interface InspectReplyOk {
  found: boolean;
  data: MimeBundle;
  metadata: JSONObject;
}

export interface IsCompleteReply {
  status: "complete" | "incomplete" | "invalid" | "unknown";
  indent?: string;
}

export interface LanguageInfo {
  name: string;
  version: string;
  mimetype: string;
  file_extension: string;
  codemirror_mode: string;
  pygments_lexer: string;
  nbconvert_exporter?: string;
}

export interface KernelInfoReply {
  status: "ok";
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: LanguageInfo;
  banner: string;
  debugger: boolean;
  help_links: { text: string; url: string }[];
}

export type HistoryRequest =
  | { hist_access_type: "tail"; output: boolean; raw: boolean; n: number }
  | { hist_access_type: "range"; output: boolean; raw: boolean; session: number; start: number; stop: number }
  | { hist_access_type: "search"; output: boolean; raw: boolean; pattern: string; unique?: boolean; n?: number };

export type StreamName = "stdout" | "stderr";
