// A message-spec validator for everything a test client receives, modelled on ipykernel's
// tests/test_message_spec.py: header fields and types, protocol version, the parent header naming the
// request, the channel a msg_type may arrive on, and the content fields of each msg_type.
// Returns a list of violations (empty when the message is valid) instead of throwing, so the client can
// record every problem and a test can assert that none was seen.
import type { Channel, Header } from "../../src/protocol/messages.js";

export const SPEC_VERSION = "5.4";

/** A received message as the validator sees it. */
export interface Checked {
  channel: Channel;
  header: unknown;
  parent_header: unknown;
  metadata: unknown;
  content: unknown;
}

type Obj = Record<string, unknown>;
type Check = (content: Obj, v: Violations) => void;

class Violations {
  readonly list: string[] = [];
  constructor(private readonly where: string) {}
  add(problem: string): void {
    this.list.push(`${this.where}: ${problem}`);
  }
  type(obj: Obj, key: string, kind: Kind, optional = false): void {
    if (!(key in obj)) {
      if (!optional) this.add(`missing ${key}`);
      return;
    }
    if (!isKind(obj[key], kind)) this.add(`${key} should be ${kind}, got ${show(obj[key])}`);
  }
  oneOf(obj: Obj, key: string, values: readonly unknown[]): void {
    if (!values.includes(obj[key])) this.add(`${key} should be one of ${values.map(show).join(", ")}, got ${show(obj[key])}`);
  }
}

type Kind = "string" | "integer" | "boolean" | "object" | "array" | "string[]";

function isKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "object":
      return isObj(value);
    case "array":
      return Array.isArray(value);
    case "string[]":
      return Array.isArray(value) && value.every((x) => typeof x === "string");
  }
}

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// ---- content checks per msg_type ----

/** Reply content: status ok|error (+ error fields), or aborted where allowed. */
function reply(ok: Check, allowAborted = false): Check {
  return (c, v) => {
    const statuses = allowAborted ? ["ok", "error", "aborted"] : ["ok", "error"];
    v.oneOf(c, "status", statuses);
    if (c.status === "ok") ok(c, v);
    if (c.status === "error") errorFields(c, v);
  };
}

function errorFields(c: Obj, v: Violations): void {
  v.type(c, "ename", "string");
  v.type(c, "evalue", "string");
  v.type(c, "traceback", "string[]");
}

function mimeBundle(c: Obj, key: string, v: Violations): void {
  v.type(c, key, "object");
  const bundle = c[key];
  if (!isObj(bundle)) return;
  for (const [mime, value] of Object.entries(bundle)) {
    if (!/^[a-z]+\/[a-z0-9.+-]+$/i.test(mime)) v.add(`${key} has a key that is not a MIME type: ${show(mime)}`);
    const jsonValued = mime === "application/json" || mime.endsWith("+json");
    if (!jsonValued && typeof value !== "string") v.add(`${key}[${show(mime)}] should be a string, got ${show(value)}`);
  }
}

function displayLike(requireDisplayId: boolean): Check {
  return (c, v) => {
    mimeBundle(c, "data", v);
    v.type(c, "metadata", "object");
    v.type(c, "transient", "object", !requireDisplayId);
    const transient = c.transient;
    if (isObj(transient)) v.type(transient, "display_id", "string", !requireDisplayId);
    else if (requireDisplayId) v.add("update_display_data needs transient.display_id");
  };
}

const LANGUAGE_INFO: Check = (li, v) => {
  v.type(li, "name", "string");
  v.type(li, "version", "string");
  v.type(li, "mimetype", "string");
  v.type(li, "file_extension", "string");
  if (typeof li.file_extension === "string" && !li.file_extension.startsWith(".")) v.add("language_info.file_extension should start with '.'");
  if ("codemirror_mode" in li && typeof li.codemirror_mode !== "string" && !isObj(li.codemirror_mode)) {
    v.add(`language_info.codemirror_mode should be a string or object, got ${show(li.codemirror_mode)}`);
  }
  v.type(li, "pygments_lexer", "string", true);
  v.type(li, "nbconvert_exporter", "string", true);
};

const CONTENT: Record<string, Check> = {
  execute_reply: reply((c, v) => {
    v.type(c, "execution_count", "integer");
    v.type(c, "user_expressions", "object");
    v.type(c, "payload", "array");
  }, true),
  kernel_info_reply: reply((c, v) => {
    v.type(c, "protocol_version", "string");
    if (typeof c.protocol_version === "string" && !/^5\.\d+(\.\d+)?$/.test(c.protocol_version)) {
      v.add(`protocol_version should be 5.x, got ${show(c.protocol_version)}`);
    }
    v.type(c, "implementation", "string");
    v.type(c, "implementation_version", "string");
    v.type(c, "banner", "string");
    v.type(c, "debugger", "boolean", true);
    v.type(c, "help_links", "array", true);
    if (Array.isArray(c.help_links)) {
      for (const link of c.help_links) {
        if (!isObj(link) || typeof link.text !== "string" || typeof link.url !== "string") v.add(`help_links entry should be {text, url}, got ${show(link)}`);
      }
    }
    v.type(c, "language_info", "object");
    if (isObj(c.language_info)) LANGUAGE_INFO(c.language_info, v);
  }),
  complete_reply: reply((c, v) => {
    v.type(c, "matches", "string[]");
    v.type(c, "cursor_start", "integer");
    v.type(c, "cursor_end", "integer");
    v.type(c, "metadata", "object");
    if (typeof c.cursor_start === "number" && typeof c.cursor_end === "number" && c.cursor_start > c.cursor_end) {
      v.add(`cursor_start ${c.cursor_start} is after cursor_end ${c.cursor_end}`);
    }
  }),
  inspect_reply: reply((c, v) => {
    v.type(c, "found", "boolean");
    mimeBundle(c, "data", v);
    v.type(c, "metadata", "object");
  }),
  is_complete_reply: (c, v) => {
    // Any reply may be an error reply (the spec's general rule), even though is_complete has its own statuses.
    if (c.status === "error") return errorFields(c, v);
    v.oneOf(c, "status", ["complete", "incomplete", "invalid", "unknown"]);
    if (c.status === "incomplete") v.type(c, "indent", "string");
  },
  history_reply: reply((c, v) => {
    v.type(c, "history", "array");
    if (!Array.isArray(c.history)) return;
    for (const entry of c.history) {
      const ok =
        Array.isArray(entry) &&
        entry.length === 3 &&
        Number.isInteger(entry[0]) &&
        Number.isInteger(entry[1]) &&
        (typeof entry[2] === "string" ||
          (Array.isArray(entry[2]) && entry[2].length === 2 && typeof entry[2][0] === "string" && (entry[2][1] === null || typeof entry[2][1] === "string")));
      if (!ok) v.add(`history entry should be [session, line, input] or [session, line, [input, output]], got ${show(entry)}`);
    }
  }),
  comm_info_reply: reply((c, v) => {
    v.type(c, "comms", "object");
    if (!isObj(c.comms)) return;
    for (const [id, info] of Object.entries(c.comms)) {
      if (!isObj(info) || typeof info.target_name !== "string") v.add(`comms[${show(id)}] should be {target_name}, got ${show(info)}`);
    }
  }),
  shutdown_reply: reply((c, v) => v.type(c, "restart", "boolean")),
  interrupt_reply: reply(() => {}),
  status: (c, v) => v.oneOf(c, "execution_state", ["busy", "idle", "starting"]),
  stream: (c, v) => {
    v.oneOf(c, "name", ["stdout", "stderr"]);
    v.type(c, "text", "string");
  },
  display_data: displayLike(false),
  update_display_data: displayLike(true),
  execute_input: (c, v) => {
    v.type(c, "code", "string");
    v.type(c, "execution_count", "integer");
  },
  execute_result: (c, v) => {
    v.type(c, "execution_count", "integer");
    mimeBundle(c, "data", v);
    v.type(c, "metadata", "object");
  },
  error: errorFields,
  clear_output: (c, v) => v.type(c, "wait", "boolean"),
  input_request: (c, v) => {
    v.type(c, "prompt", "string");
    v.type(c, "password", "boolean");
  },
  comm_open: (c, v) => {
    v.type(c, "comm_id", "string");
    v.type(c, "target_name", "string");
    v.type(c, "data", "object");
  },
  comm_msg: (c, v) => {
    v.type(c, "comm_id", "string");
    v.type(c, "data", "object");
  },
  comm_close: (c, v) => {
    v.type(c, "comm_id", "string");
    v.type(c, "data", "object");
  },
  // Debug messages (spec 5.4) carry Debug Adapter Protocol messages as their content, not a status.
  debug_reply: (c, v) => {
    v.oneOf(c, "type", ["response"]);
    for (const key of ["seq", "request_seq"]) v.type(c, key, "integer");
    v.type(c, "success", "boolean");
    v.type(c, "command", "string");
    v.type(c, "body", "object", true);
    if (c.success === false) v.type(c, "message", "string");
  },
  debug_event: (c, v) => {
    v.oneOf(c, "type", ["event"]);
    v.type(c, "seq", "integer");
    v.type(c, "event", "string");
    v.type(c, "body", "object", true);
  },
};

/** Which channel each msg_type a kernel sends belongs on. */
const CHANNELS: Record<string, readonly Channel[]> = {
  execute_reply: ["shell"],
  complete_reply: ["shell"],
  inspect_reply: ["shell"],
  is_complete_reply: ["shell"],
  history_reply: ["shell"],
  comm_info_reply: ["shell"],
  kernel_info_reply: ["shell", "control"],
  shutdown_reply: ["shell", "control"],
  interrupt_reply: ["shell", "control"],
  debug_reply: ["control"],
  input_request: ["stdin"],
};
const IOPUB_TYPES = [
  "status",
  "stream",
  "display_data",
  "update_display_data",
  "execute_input",
  "execute_result",
  "error",
  "clear_output",
  "comm_open",
  "comm_msg",
  "comm_close",
  "debug_event",
];
for (const t of IOPUB_TYPES) CHANNELS[t] = ["iopub"];

export const KNOWN_MSG_TYPES: readonly string[] = Object.keys(CONTENT);

/**
 * Checks one received message. `request` is the header of the request this message answers (or whose side
 * effect it is), when the client knows it; the parent_header must then equal it.
 */
export function validateMessage(msg: Checked, request?: Header): string[] {
  const header = msg.header;
  const msgType = isObj(header) && typeof header.msg_type === "string" ? header.msg_type : "?";
  const v = new Violations(`${msg.channel} ${msgType}`);

  if (!isObj(header)) {
    v.add(`header should be an object, got ${show(header)}`);
    return v.list;
  }
  for (const key of ["msg_id", "msg_type", "session", "username", "date", "version"]) v.type(header, key, "string");
  if (header.version !== SPEC_VERSION) v.add(`header.version should be ${show(SPEC_VERSION)}, got ${show(header.version)}`);
  if (typeof header.msg_id === "string" && header.msg_id === "") v.add("header.msg_id is empty");
  if (typeof header.date === "string" && Number.isNaN(Date.parse(header.date))) v.add(`header.date is not an ISO 8601 date: ${show(header.date)}`);

  if (!isObj(msg.parent_header)) v.add(`parent_header should be an object, got ${show(msg.parent_header)}`);
  else if (request !== undefined && !sameHeader(msg.parent_header, request)) {
    v.add(`parent_header should be the request's header ${show(request)}, got ${show(msg.parent_header)}`);
  }
  if (!isObj(msg.metadata)) v.add(`metadata should be an object, got ${show(msg.metadata)}`);

  const allowed = CHANNELS[msgType];
  if (allowed === undefined) v.add(`unexpected msg_type ${show(msgType)} from a kernel`);
  else if (!allowed.includes(msg.channel)) v.add(`${msgType} should arrive on ${allowed.join(" or ")}, not ${msg.channel}`);

  if (request !== undefined && msg.channel !== "iopub" && msg.channel !== "stdin") {
    const expected = request.msg_type.replace(/_request$/, "_reply");
    if (msgType !== expected) v.add(`a ${request.msg_type} should be answered by ${expected}, got ${msgType}`);
  }

  const check = CONTENT[msgType];
  if (!isObj(msg.content)) v.add(`content should be an object, got ${show(msg.content)}`);
  else if (check) check(msg.content, v);
  return v.list;
}

function sameHeader(a: Obj, b: Header): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (a[key] !== (b as unknown as Obj)[key]) return false;
  }
  return true;
}
