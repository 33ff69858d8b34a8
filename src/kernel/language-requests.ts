// The language requests — complete, inspect, is_complete — as reply content. The protocol counts `cursor_pos` and
// completion ranges in Unicode code points; the interpreter works in UTF-16 offsets, so both ways are converted here.
import type { CompleteReplyOk, JSONObject } from "../protocol/messages.js";
import type { Interpreter } from "./interpreter.js";
import { numberOr } from "./requests.js";
import { codePointToUtf16, utf16ToCodePoint } from "./unicode.js";

/** The cell's code and the cursor as a UTF-16 offset (default: the end of the code). */
function codeAndCursor(content: JSONObject): [string, number] {
  const code = String(content.code ?? "");
  return [code, codePointToUtf16(code, numberOr(content.cursor_pos, [...code].length))];
}

export async function completeReply(interpreter: Interpreter, content: JSONObject): Promise<JSONObject> {
  const [code, cursor] = codeAndCursor(content);
  const result: CompleteReplyOk = await interpreter.complete(code, cursor);
  const items = result.metadata._jupyter_types_experimental?.map((item) => ({
    ...item,
    start: utf16ToCodePoint(code, item.start),
    end: utf16ToCodePoint(code, item.end),
  }));
  return {
    status: "ok",
    matches: result.matches,
    cursor_start: utf16ToCodePoint(code, result.cursor_start),
    cursor_end: utf16ToCodePoint(code, result.cursor_end),
    metadata: items ? { ...result.metadata, _jupyter_types_experimental: items } : result.metadata,
  };
}

export async function inspectReply(interpreter: Interpreter, content: JSONObject): Promise<JSONObject> {
  const [code, cursor] = codeAndCursor(content);
  const detail = content.detail_level === 1 ? 1 : 0;
  const result = await interpreter.inspect(code, cursor, detail);
  return { status: "ok", ...result };
}

export async function isCompleteReply(interpreter: Interpreter, content: JSONObject): Promise<JSONObject> {
  const result = await interpreter.isComplete(String(content.code ?? ""));
  return { ...result };
}
