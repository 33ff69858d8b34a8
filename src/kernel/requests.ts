// Reading a request's content: the fields the kernel uses, with the protocol's defaults where a field is missing or
// of the wrong type (a frontend's odd request gets the default, never an exception).
import type { ExecuteRequest, JSONObject } from "../protocol/messages.js";

export function readExecuteRequest(content: JSONObject): ExecuteRequest {
  const userExpressions = asObject(content.user_expressions);
  return {
    code: typeof content.code === "string" ? content.code : "",
    silent: content.silent === true,
    store_history: content.store_history !== false,
    user_expressions: Object.fromEntries(Object.entries(userExpressions).filter((e): e is [string, string] => typeof e[1] === "string")),
    allow_stdin: content.allow_stdin === true,
    stop_on_error: content.stop_on_error !== false,
  };
}

/** `value` if it is a plain JSON object, else `{}`. */
export function asObject(value: unknown): JSONObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JSONObject) : {};
}

/** `value` as a whole number ≥ 0 (rounded down), else `fallback`. */
export function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}
