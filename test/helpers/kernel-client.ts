// The end-to-end tests' Jupyter client: starts the real kernel process (`node kernel/tsloop.js kernel -f <file>`)
// on free 127.0.0.1 ports with a random HMAC key and talks to it through the project's own client transport
// (src/client/transport.ts: the sockets, signing, framing and heartbeat `tsloop run` uses). On top it keeps what
// tests need: every message in arrival order, each validated against the spec (validate.ts, violations asserted
// by the shared fixture), raw and tampered frames, the kernel's stderr. All waits are event-driven: a promise
// per awaited message, resolved when that message arrives, with a timeout only as a failure bound.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePorts } from "../../src/client/ports.js";
import { ClientTransport } from "../../src/client/transport.js";
import type { Header, JSONObject, Message } from "../../src/protocol/messages.js";
import { newHeader } from "../../src/protocol/messages.js";
import type { ConnectionInfo } from "../../src/wire/connection.js";
import { DELIMITER } from "../../src/wire/frames.js";
import { Signer } from "../../src/wire/signing.js";
import { watchProtocol } from "./protocol-watch.js";
import { validateMessage } from "./validate.js";

/** Free 127.0.0.1 ports: the client's own (src/client/ports.ts), re-exported for the tests. */
export { freePorts };

export const REPO_ROOT = resolve(__dirname, "..", "..");
export const LAUNCHER = join(REPO_ROOT, "kernel", "tsloop.js");
/** The compiled kernel entry; e2e tests need `npm run build` to have produced it. */
export const KERNEL_ENTRY = join(REPO_ROOT, "dist", "cli", "kernel-command.js");

/**
 * `TSLOOP_E2E_COMMAND` (a JSON array, e.g. `["node", "other/kernel.js", "kernel"]`) runs the e2e tests against
 * another kernel command; the connection file's `-f FILE` is appended.
 */
function commandFromEnv(): string[] | undefined {
  const text = process.env.TSLOOP_E2E_COMMAND;
  if (!text) return undefined;
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((x) => typeof x === "string")) {
    throw new Error(`TSLOOP_E2E_COMMAND should be a JSON array of strings, got ${text}`);
  }
  return parsed as string[];
}

export function kernelBuilt(): boolean {
  return existsSync(KERNEL_ENTRY) || commandFromEnv() !== undefined;
}

export type RequestChannel = "shell" | "control";

/** A received message plus when it arrived (performance.now()). */
export type Received = Message & { receivedAt: number };

export interface StartOptions {
  /** The command before `-f FILE`; default `node kernel/tsloop.js kernel`. */
  command?: string[];
  /** Extra arguments after `kernel -f FILE`, e.g. ["--log-level", "debug"]. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Bound on kernel start-up (first kernel_info reply and iopub message). */
  startTimeoutMs?: number;
}

export interface ExecuteOptions {
  silent?: boolean;
  storeHistory?: boolean;
  allowStdin?: boolean;
  stopOnError?: boolean;
  userExpressions?: Record<string, string>;
  metadata?: JSONObject;
  /** Answers input_request messages of this cell. */
  input?: (prompt: string, password: boolean) => string;
  timeoutMs?: number;
}

export interface CellOutputs {
  /** All stdout stream text of the cell, concatenated. */
  stdout: string;
  stderr: string;
  streams: Received[];
  displays: Received[];
  updates: Received[];
  results: Received[];
  errors: Received[];
  clears: Received[];
  executeInput: Received[];
}

export interface ExecuteResult {
  request: Header;
  reply: Received;
  /** Every iopub message whose parent is this request, in arrival order, up to and including its idle status. */
  iopub: Received[];
  outputs: CellOutputs;
}

/** Kernel processes still running; killed if the test process exits without shutting them down. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

interface Waiter {
  predicate: (m: Received) => boolean;
  resolve: (m: Received) => void;
}

export class KernelClient {
  /** Every message received, on every channel, in arrival order. */
  readonly messages: Received[] = [];
  /** Spec violations seen in received messages (the shared fixture, protocol-check.ts, fails a test that saw one). */
  readonly violations: string[] = [];
  /** Headers of every request this client sent, by msg_id. */
  readonly sent = new Map<string, Header>();
  readonly session = randomUUID();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stderrText = "";
  private stdoutText = "";
  private readonly waiters = new Set<Waiter>();
  private readonly stderrWaiters = new Set<() => void>();
  /** Signs what `build` makes (the transport signs only whole messages; tests also send tampered frames). */
  private readonly signer: Signer;
  private readonly transport: ClientTransport;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private closed = false;

  private constructor(
    readonly info: ConnectionInfo,
    readonly dir: string,
    readonly child: ChildProcess,
  ) {
    watchProtocol(this);
    this.signer = new Signer(info.signature_scheme, info.key);
    // Undecodable messages, failed sends and receive loops are all protocol problems for a test.
    this.transport = new ClientTransport(info, { message: (m) => this.onMessage(m), problem: (p) => this.violations.push(p) });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderrText += chunk;
      for (const w of this.stderrWaiters) w();
    });
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      this.stdoutText += chunk;
    });
    this.exited = new Promise((resolveExit) => {
      child.on("exit", (code, signal) => {
        this.exitInfo = { code, signal };
        resolveExit(this.exitInfo);
        for (const w of this.stderrWaiters) w();
      });
    });
  }

  /** Starts a kernel process and waits until it answers kernel_info and its iopub messages reach us. */
  static async start(options: StartOptions = {}): Promise<KernelClient> {
    const dir = mkdtempSync(join(tmpdir(), "tsloop-e2e-"));
    const ports = await freePorts(5);
    const info: ConnectionInfo = {
      transport: "tcp",
      ip: "127.0.0.1",
      shell_port: ports[0] as number,
      control_port: ports[1] as number,
      stdin_port: ports[2] as number,
      iopub_port: ports[3] as number,
      hb_port: ports[4] as number,
      key: randomUUID(),
      signature_scheme: "hmac-sha256",
      kernel_name: "tsloop",
    };
    const file = join(dir, "kernel.json");
    writeFileSync(file, JSON.stringify(info));
    const [program, ...programArgs] = options.command ?? commandFromEnv() ?? [process.execPath, LAUNCHER, "kernel"];
    const child = spawn(program ?? process.execPath, [...programArgs, "-f", file, ...(options.args ?? [])], {
      cwd: options.cwd ?? dir,
      env: { ...process.env, JUPYTER_DATA_DIR: join(dir, "data"), ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    live.add(child);
    child.once("exit", () => live.delete(child));
    const client = new KernelClient(info, dir, child);
    client.transport.connect();
    try {
      await client.waitUntilReady(options.startTimeoutMs ?? 20_000);
    } catch (err) {
      await client.kill();
      throw err;
    }
    return client;
  }

  get stderr(): string {
    return this.stderrText;
  }

  get stdout(): string {
    return this.stdoutText;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /**
   * Like jupyter_client's wait_for_ready: a subscriber misses what is published before its subscription
   * reached the kernel, so kernel_info_request is repeated until a reply *and* an iopub message parented
   * to one of those requests arrived.
   */
  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const ours = new Set<string>();
    const seenIopub = () => this.messages.some((m) => m.channel === "iopub" && ours.has(parentId(m)));
    while (Date.now() < deadline) {
      if (this.exitInfo) throw new Error(`kernel exited during start-up (${JSON.stringify(this.exitInfo)}); stderr:\n${this.stderrText}`);
      const header = this.send("shell", "kernel_info_request", {});
      ours.add(header.msg_id);
      const perTry = Math.min(deadline - Date.now(), 250);
      const got = await this.waitFor((m) => m.channel === "iopub" && ours.has(parentId(m)), perTry).catch(() => undefined);
      if (got || seenIopub()) {
        await this.waitFor((m) => m.channel === "shell" && ours.has(parentId(m)), Math.max(deadline - Date.now(), 1));
        // Let every start-up request finish, so its late idle never lands in a test's window. Only requests whose
        // busy this subscriber saw can still send it an idle: the others were published before it was subscribed.
        const seen = (id: string) => this.messages.some((m) => m.channel === "iopub" && parentId(m) === id);
        for (const id of ours) if (seen(id)) await this.idle(id, Math.max(deadline - Date.now(), 1)).catch(() => undefined);
        return;
      }
    }
    throw new Error(`kernel did not become ready within ${timeoutMs} ms; stderr:\n${this.stderrText}`);
  }

  private onMessage(message: Message): void {
    const msg: Received = Object.assign(message, { receivedAt: performance.now() });
    const channel = msg.channel;
    const parent = parentId(msg);
    const request = parent ? this.sent.get(parent) : undefined;
    if (parent && !request) this.violations.push(`${channel} ${msg.header.msg_type}: parent ${parent} is not a request this client sent`);
    this.violations.push(...validateMessage(msg, request));
    this.messages.push(msg);
    if (msg.channel === "stdin" && msg.header.msg_type === "input_request") this.onInputRequest?.(msg);
    for (const w of [...this.waiters]) {
      if (w.predicate(msg)) {
        this.waiters.delete(w);
        w.resolve(msg);
      }
    }
  }

  private onInputRequest: ((msg: Received) => void) | undefined;

  /** Builds a signed message: its header and the frames (without routing identities) a Dealer sends. */
  build(msgType: string, content: JSONObject = {}, options: { metadata?: JSONObject; parent?: Header | Record<string, never> } = {}) {
    const header = newHeader(msgType, { session: this.session, username: "test" });
    const json = [header, options.parent ?? {}, options.metadata ?? {}, content].map((part) => Buffer.from(JSON.stringify(part), "utf8"));
    const frames = [DELIMITER, Buffer.from(this.signer.sign(json), "ascii"), ...json];
    return { header, frames };
  }

  /** Sends a request without waiting; returns its header. */
  send(channel: RequestChannel | "stdin", msgType: string, content: JSONObject = {}, metadata: JSONObject = {}, parent?: Header): Header {
    const { header, frames } = this.build(msgType, content, { metadata, ...(parent ? { parent } : {}) });
    this.sent.set(header.msg_id, header);
    void this.transport.sendFrames(channel, frames).catch((err: unknown) => this.violations.push(`could not send ${msgType}: ${String(err)}`));
    return header;
  }

  /** Sends frames exactly as given (for tampered, replayed and malformed messages). */
  sendRaw(channel: RequestChannel | "stdin", frames: Buffer[]): Promise<void> {
    return this.transport.sendFrames(channel, frames);
  }

  /** Sends a request and resolves with its reply. */
  async request(channel: RequestChannel, msgType: string, content: JSONObject = {}, timeoutMs = 10_000): Promise<Received> {
    const header = this.send(channel, msgType, content);
    return this.reply(header.msg_id, timeoutMs);
  }

  /** The reply (shell or control) to the request with this msg_id. */
  reply(msgId: string, timeoutMs = 10_000): Promise<Received> {
    return this.waitFor((m) => (m.channel === "shell" || m.channel === "control") && parentId(m) === msgId, timeoutMs, `reply to ${msgId}`);
  }

  /** The `status: idle` that closes the request with this msg_id. */
  idle(msgId: string, timeoutMs = 10_000): Promise<Received> {
    return this.waitFor(
      (m) => m.channel === "iopub" && parentId(m) === msgId && m.header.msg_type === "status" && m.content.execution_state === "idle",
      timeoutMs,
      `idle for ${msgId}`,
    );
  }

  /** Every iopub message parented to the request with this msg_id, so far. */
  iopubFor(msgId: string): Received[] {
    return this.messages.filter((m) => m.channel === "iopub" && parentId(m) === msgId);
  }

  /** Sends an execute_request and waits for both its reply and its idle status. */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const request = this.sendExecute(code, options);
    return this.collect(request, options.timeoutMs);
  }

  /** Sends an execute_request without waiting (answering its input requests if `options.input` is given). */
  sendExecute(code: string, options: ExecuteOptions = {}): Header {
    const content = {
      code,
      silent: options.silent ?? false,
      store_history: options.storeHistory ?? true,
      user_expressions: options.userExpressions ?? {},
      allow_stdin: options.allowStdin ?? options.input !== undefined,
      stop_on_error: options.stopOnError ?? true,
    };
    const header = this.send("shell", "execute_request", content, options.metadata ?? {});
    if (options.input) {
      const answer = options.input;
      const previous = this.onInputRequest;
      this.onInputRequest = (msg) => {
        if (parentId(msg) !== header.msg_id) return previous?.(msg);
        const value = answer(String(msg.content.prompt ?? ""), msg.content.password === true);
        this.send("stdin", "input_reply", { value }, {}, msg.header);
      };
    }
    return header;
  }

  /** Waits for an execute request's reply and idle, and sorts its iopub messages. */
  async collect(request: Header, timeoutMs = 20_000): Promise<ExecuteResult> {
    const [reply] = await Promise.all([this.reply(request.msg_id, timeoutMs), this.idle(request.msg_id, timeoutMs)]);
    const iopub = this.iopubFor(request.msg_id);
    const of = (type: string) => iopub.filter((m) => m.header.msg_type === type);
    const streams = of("stream");
    const text = (name: string) =>
      streams
        .filter((m) => m.content.name === name)
        .map((m) => String(m.content.text))
        .join("");
    return {
      request,
      reply,
      iopub,
      outputs: {
        stdout: text("stdout"),
        stderr: text("stderr"),
        streams,
        displays: of("display_data"),
        updates: of("update_display_data"),
        results: of("execute_result"),
        errors: of("error"),
        clears: of("clear_output"),
        executeInput: of("execute_input"),
      },
    };
  }

  /** Resolves with the first message (already received or arriving later) that satisfies the predicate. */
  waitFor(predicate: (m: Received) => boolean, timeoutMs = 10_000, what = "a matching message"): Promise<Received> {
    const found = this.messages.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolvePromise, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (m) => {
          clearTimeout(timer);
          resolvePromise(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; kernel stderr:\n${this.stderrText}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Resolves once the kernel's stderr matches `pattern`. */
  waitForStderr(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    return new Promise((resolvePromise, reject) => {
      const check = () => {
        const match = pattern.exec(this.stderrText);
        if (match) {
          done();
          resolvePromise(match[0]);
        } else if (this.exitInfo) {
          done();
          reject(new Error(`kernel exited before its stderr matched ${pattern}; stderr:\n${this.stderrText}`));
        }
      };
      const done = () => {
        clearTimeout(timer);
        this.stderrWaiters.delete(check);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for stderr to match ${pattern}; stderr:\n${this.stderrText}`));
      }, timeoutMs);
      this.stderrWaiters.add(check);
      check();
    });
  }

  /** Sends a heartbeat and resolves with the round trip in milliseconds (pings are serialised). */
  heartbeat(timeoutMs = 5_000): Promise<number> {
    return this.transport.heartbeat(timeoutMs);
  }

  /** Asks the kernel to shut down over control, and waits for the reply and the process exit. */
  async shutdown(timeoutMs = 10_000): Promise<Received | undefined> {
    let reply: Received | undefined;
    if (!this.exitInfo) {
      reply = await this.request("control", "shutdown_request", { restart: false }, timeoutMs).catch(() => undefined);
      await withTimeout(this.exited, timeoutMs, "kernel exit after shutdown_request").catch(() => this.child.kill("SIGKILL"));
    }
    await this.close();
    return reply;
  }

  /** Kills the kernel process (SIGKILL) and closes the client. */
  async kill(): Promise<void> {
    if (!this.exitInfo) {
      this.child.kill("SIGKILL");
      await this.exited;
    }
    await this.close();
  }

  /** Closes the sockets and removes the connection file's directory; a kernel still running is killed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.exitInfo) {
      this.child.kill("SIGKILL");
      await this.exited;
    }
    await this.transport.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function parentId(m: Message): string {
  const parent = m.parent_header as Partial<Header>;
  return typeof parent.msg_id === "string" ? parent.msg_id : "";
}

/** The text/plain of an execute_result (or display), or undefined. */
export function plain(m: Message | undefined): string | undefined {
  const data = m?.content.data as Record<string, unknown> | undefined;
  return typeof data?.["text/plain"] === "string" ? data["text/plain"] : undefined;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolvePromise(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
