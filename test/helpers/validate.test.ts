// The validator itself: a table of valid and invalid messages, so the e2e tests' "no violations" means something.
import { describe, expect, it } from "vitest";
import type { Channel, Header } from "../../src/protocol/messages.js";
import { newHeader } from "../../src/protocol/messages.js";
import { type Checked, validateMessage } from "./validate.js";

const who = { session: "s", username: "u" };
const request: Header = newHeader("execute_request", who);

function msg(channel: Channel, msgType: string, content: Record<string, unknown>, parent: Header | Record<string, never> = request): Checked {
  return { channel, header: newHeader(msgType, who), parent_header: parent, metadata: {}, content };
}

const languageInfo = {
  name: "typescript",
  version: "5.0",
  mimetype: "text/typescript",
  file_extension: ".ts",
  codemirror_mode: "typescript",
  pygments_lexer: "typescript",
};

const valid: [string, Checked, Header?][] = [
  ["execute_reply ok", msg("shell", "execute_reply", { status: "ok", execution_count: 1, user_expressions: {}, payload: [] }), request],
  [
    "execute_reply error",
    msg("shell", "execute_reply", { status: "error", execution_count: 1, ename: "Error", evalue: "x", traceback: ["a"] }),
    request,
  ],
  ["execute_reply aborted", msg("shell", "execute_reply", { status: "aborted" }), request],
  [
    "kernel_info_reply",
    msg("control", "kernel_info_reply", {
      status: "ok",
      protocol_version: "5.4",
      implementation: "tsloop",
      implementation_version: "0.1.0",
      language_info: languageInfo,
      banner: "",
      help_links: [{ text: "a", url: "b" }],
      debugger: false,
    }),
  ],
  ["complete_reply", msg("shell", "complete_reply", { status: "ok", matches: ["abc"], cursor_start: 0, cursor_end: 2, metadata: {} })],
  ["inspect_reply", msg("shell", "inspect_reply", { status: "ok", found: true, data: { "text/plain": "x" }, metadata: {} })],
  ["is_complete_reply incomplete", msg("shell", "is_complete_reply", { status: "incomplete", indent: "  " })],
  ["history_reply", msg("shell", "history_reply", { status: "ok", history: [[1, 2, "x"], [1, 3, ["y", null]]] })],
  ["comm_info_reply", msg("shell", "comm_info_reply", { status: "ok", comms: { a: { target_name: "t" } } })],
  ["status", msg("iopub", "status", { execution_state: "busy" })],
  ["starting status without parent", msg("iopub", "status", { execution_state: "starting" }, {})],
  ["stream", msg("iopub", "stream", { name: "stdout", text: "hi\n" })],
  ["display_data", msg("iopub", "display_data", { data: { "text/html": "<b>", "application/json": { a: 1 } }, metadata: {} })],
  ["update_display_data", msg("iopub", "update_display_data", { data: { "text/plain": "x" }, metadata: {}, transient: { display_id: "d" } })],
  ["execute_input", msg("iopub", "execute_input", { code: "1", execution_count: 1 })],
  ["execute_result", msg("iopub", "execute_result", { execution_count: 1, data: { "text/plain": "2" }, metadata: {} })],
  ["error", msg("iopub", "error", { ename: "E", evalue: "v", traceback: [] })],
  ["clear_output", msg("iopub", "clear_output", { wait: false })],
  ["input_request", msg("stdin", "input_request", { prompt: "> ", password: false })],
  ["shutdown_reply", msg("control", "shutdown_reply", { status: "ok", restart: false })],
  ["interrupt_reply", msg("control", "interrupt_reply", { status: "ok" })],
  ["comm_close", msg("iopub", "comm_close", { comm_id: "c", data: {} })],
];

const invalid: [string, Checked, RegExp, Header?][] = [
  ["wrong version", { ...msg("iopub", "status", { execution_state: "idle" }), header: { ...newHeader("status", who), version: "5.3" } }, /version/],
  ["missing header field", { ...msg("iopub", "status", { execution_state: "idle" }), header: { msg_type: "status", msg_id: "x" } }, /missing session/],
  ["bad execution_state", msg("iopub", "status", { execution_state: "sleeping" }), /execution_state/],
  ["parent is not the request", msg("shell", "execute_reply", { status: "aborted" }, newHeader("execute_request", who)), /parent_header/, request],
  ["reply of the wrong type", msg("shell", "complete_reply", { status: "ok", matches: [], cursor_start: 0, cursor_end: 0, metadata: {} }), /answered by execute_reply/, request],
  ["execute_reply without count", msg("shell", "execute_reply", { status: "ok", user_expressions: {}, payload: [] }), /execution_count/],
  ["error reply without traceback", msg("shell", "execute_reply", { status: "error", execution_count: 1, ename: "E", evalue: "v" }), /traceback/],
  ["language_info without file_extension", msg("shell", "kernel_info_reply", {
    status: "ok", protocol_version: "5.4", implementation: "t", implementation_version: "1", banner: "",
    language_info: { ...languageInfo, file_extension: undefined },
  }), /file_extension/],
  ["update_display_data without display_id", msg("iopub", "update_display_data", { data: {}, metadata: {} }), /display_id/],
  ["display_data with a non-string text/html", msg("iopub", "display_data", { data: { "text/html": 3 }, metadata: {} }), /text\/html/],
  ["stream on the wrong channel", msg("shell", "stream", { name: "stdout", text: "" }), /should arrive on iopub/],
  ["unknown msg_type", msg("iopub", "weird", {}), /unexpected msg_type/],
  ["incomplete without indent", msg("shell", "is_complete_reply", { status: "incomplete" }), /indent/],
  ["history entry of the wrong shape", msg("shell", "history_reply", { status: "ok", history: [[1, "x"]] }), /history entry/],
  ["clear_output without wait", msg("iopub", "clear_output", {}), /wait/],
  ["bad date", { ...msg("iopub", "status", { execution_state: "idle" }), header: { ...newHeader("status", who), date: "yesterday" } }, /date/],
];

describe("message-spec validator", () => {
  it.each(valid)("accepts %s", (_name, message, req) => {
    expect(validateMessage(message, req)).toEqual([]);
  });

  it.each(invalid)("rejects %s", (_name, message, pattern, req) => {
    const violations = validateMessage(message, req);
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.join("\n")).toMatch(pattern);
  });
});
