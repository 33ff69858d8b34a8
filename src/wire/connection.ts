// The connection file a Jupyter client writes: which transport, ip and ports to bind, and the key.
// Validated here so that a bad file is a clear error at start, never a hang.
import { readFileSync } from "node:fs";
import { isSupportedScheme } from "./signing.js";

export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  control_port: number;
  stdin_port: number;
  iopub_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

export type ChannelName = "shell" | "control" | "stdin" | "iopub" | "hb";

const PORTS = ["shell_port", "control_port", "stdin_port", "iopub_port", "hb_port"] as const;

export function parseConnectionInfo(text: string, source = "connection file"): ConnectionInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source} is not valid JSON: ${withoutQuotedText((err as Error).message)}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error(`${source} must hold a JSON object`);
  const info = raw as Record<string, unknown>;
  const transport = info.transport ?? "tcp";
  if (transport !== "tcp" && transport !== "ipc") {
    throw new Error(`${source}: transport must be "tcp" or "ipc", got ${JSON.stringify(transport)}`);
  }
  const ip = info.ip ?? "127.0.0.1";
  if (typeof ip !== "string" || ip === "") throw new Error(`${source}: ip must be a non-empty string`);
  for (const port of PORTS) {
    const value = info[port];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 65535) {
      throw new Error(`${source}: ${port} must be an integer port number, got ${JSON.stringify(value)}`);
    }
  }
  const key = info.key ?? "";
  if (typeof key !== "string") throw new Error(`${source}: key must be a string`);
  const scheme = info.signature_scheme ?? "hmac-sha256";
  if (typeof scheme !== "string" || !isSupportedScheme(scheme)) {
    throw new Error(`${source}: unsupported signature_scheme ${JSON.stringify(scheme)}`);
  }
  return { ...(info as object), transport, ip, key, signature_scheme: scheme } as ConnectionInfo;
}

/**
 * V8's JSON errors quote the text around the error ("Unexpected token 'a', "{"key": abcdefsecr"... is not valid
 * JSON"), and in a connection file that text can be the key: keep the reason, drop the quotation.
 */
function withoutQuotedText(message: string): string {
  const quoted = /^(Unexpected token) '.*?', .* is not valid JSON$/s.exec(message);
  if (quoted) return `${quoted[1]} (the text is not shown: the file holds the key)`;
  return message.includes('"') ? "(the parser's message is not shown: it quotes the file, which holds the key)" : message;
}

export function readConnectionFile(path: string): ConnectionInfo {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read connection file ${path}: ${(err as Error).message}`);
  }
  return parseConnectionInfo(text, `connection file ${path}`);
}

/** The ZeroMQ endpoint for a channel: tcp://ip:port, or ipc://ip-port as jupyter_client names ipc files. */
export function endpoint(info: ConnectionInfo, channel: ChannelName): string {
  const port = info[`${channel}_port`];
  if (info.transport === "ipc") return `ipc://${info.ip}-${port}`;
  const host = info.ip.includes(":") && !info.ip.startsWith("[") ? `[${info.ip}]` : info.ip;
  return `tcp://${host}:${port}`;
}
