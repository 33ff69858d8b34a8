// The slice of the Debug Adapter Protocol (microsoft.github.io/debug-adapter-protocol) that the Jupyter debug
// protocol carries in `debug_request` / `debug_reply` / `debug_event` contents, plus Jupyter's own requests
// (debugInfo, dumpCell, inspectVariables, richInspectVariables; messaging spec 5.4, "Debug request").
export interface DapRequest {
  type: "request";
  seq: number;
  command: string;
  arguments?: Record<string, unknown>;
}

export interface DapResponse {
  type: "response";
  seq: number;
  request_seq: number;
  success: boolean;
  command: string;
  message?: string;
  body: Record<string, unknown>;
}

export interface DapEvent {
  type: "event";
  seq: number;
  event: string;
  body: Record<string, unknown>;
}

export interface DapSource {
  name?: string;
  path?: string;
  sourceReference?: number;
}

export interface DapStackFrame {
  id: number;
  name: string;
  source?: DapSource;
  line: number;
  column: number;
  presentationHint?: "normal" | "label" | "subtle";
}

export interface DapScope {
  name: string;
  variablesReference: number;
  expensive: boolean;
  presentationHint?: "arguments" | "locals" | "registers";
}

export interface DapVariable {
  name: string;
  value: string;
  type?: string;
  variablesReference: number;
  evaluateName?: string;
}

export interface DapBreakpoint {
  id?: number;
  verified: boolean;
  line?: number;
  source?: DapSource;
  message?: string;
}

/** Thrown by a request handler: answered as `success: false` with this message (the error is the user's, not ours). */
export class DapError extends Error {
  override name = "DapError";
}

export function argument<T>(request: DapRequest, key: string, check: (v: unknown) => v is T, what: string): T {
  const value = request.arguments?.[key];
  if (!check(value)) throw new DapError(`${request.command}: argument ${key} should be ${what}, got ${JSON.stringify(value)}`);
  return value;
}

export const isString = (v: unknown): v is string => typeof v === "string";
export const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
