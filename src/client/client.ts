// A Jupyter client for one tsloop kernel: requests and their replies, cell execution that completes on both the
// execute_reply and the cell's idle status, iopub subscriptions by parent msg_id that outlive the cell (late
// output), the ready handshake, interrupt and shutdown. Waits are event-driven; when the kernel process dies,
// everything pending rejects with a KernelDiedError that quotes the end of the kernel's stderr.
import { randomUUID } from "node:crypto";
import type { Header, JSONObject, KernelInfoReply, Message, Outgoing } from "../protocol/messages.js";
import { newHeader } from "../protocol/messages.js";
import type { ConnectionInfo } from "../wire/connection.js";
import { ClientClosedError, KernelDiedError, KernelTimeoutError } from "./errors.js";
import { type KernelProcess, type LaunchOptions, launchKernel } from "./kernel-process.js";
import { type Listener, MessageRouter, type Subscription, parentMsgId } from "./router.js";
import { ClientTransport, type SendChannel } from "./transport.js";

export type RequestChannel = "shell" | "control";

export interface ClientOptions {
  /** The kernel process, when this client started it: its death fails pending waits, shutdown waits for it. */
  kernel?: KernelProcess;
  /** Reports undecodable messages and socket errors (default: ignored). */
  onProblem?: (description: string) => void;
  username?: string;
}

export interface RequestOptions {
  metadata?: JSONObject;
  /** Bound on the wait for the reply; none by default. */
  timeoutMs?: number;
}

export interface ExecuteOptions {
  silent?: boolean;
  storeHistory?: boolean;
  /** Default false: input() in the cell fails at once. With true, `onInput` answers (or the prompt gets ""). */
  allowStdin?: boolean;
  /** Default true: the kernel aborts execute requests queued behind a failing one. */
  stopOnError?: boolean;
  userExpressions?: Record<string, string>;
  metadata?: JSONObject;
  /** Every iopub message of this request, as it arrives. */
  onIopub?: (message: Message) => void;
  /** Answers the cell's input() calls. */
  onInput?: (prompt: string, password: boolean) => string | Promise<string>;
  /**
   * Keep delivering this request's iopub messages to `onIopub` after the cell's idle (timers, intervals): the
   * result then carries the open `subscription`, which the caller closes.
   */
  keepListening?: boolean;
}

export interface ExecuteResult {
  request: Header;
  reply: Message;
  /** The request's iopub messages up to and including its idle status, in arrival order. */
  messages: Message[];
  /** With `keepListening`: the still-open subscription for late iopub messages. */
  subscription?: Subscription;
}

export interface ReadyOptions {
  /** Overall bound (default 30 s). */
  timeoutMs?: number;
  /** How long to wait before asking again (default 500 ms): the iopub subscription may not have reached the kernel. */
  retryMs?: number;
}

export class KernelClient {
  readonly session = randomUUID();
  readonly router = new MessageRouter();
  private readonly transport: ClientTransport;
  private readonly username: string;
  /** The kernel_info_reply that `waitForReady` got. */
  kernelInfo: Message<KernelInfoReply> | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(
    readonly connection: ConnectionInfo,
    private readonly options: ClientOptions = {},
  ) {
    this.username = options.username ?? "tsloop-client";
    this.transport = new ClientTransport(connection, {
      message: (m) => this.router.dispatch(m),
      problem: (d) => options.onProblem?.(d),
    });
    this.transport.connect();
    const kernel = options.kernel;
    if (kernel) {
      void kernel.exited.then((exit) => {
        this.router.fail((what) => new KernelDiedError(exit.code, exit.signal, kernel.stderrTail(), what));
      });
    }
  }

  /** Launches a kernel, connects and waits until it is ready. Kills the kernel again if it never gets ready. */
  static async start(launch: LaunchOptions, options: Omit<ClientOptions, "kernel"> & { ready?: ReadyOptions } = {}): Promise<KernelClient> {
    const kernel = await launchKernel(launch);
    const client = new KernelClient(kernel.connection, { ...options, kernel });
    try {
      await client.waitForReady(options.ready);
    } catch (err) {
      await kernel.kill();
      await client.close();
      throw err;
    }
    return client;
  }

  get kernel(): KernelProcess | undefined {
    return this.options.kernel;
  }

  /** A header for a request from this client's session. */
  header(msgType: string): Header {
    return newHeader(msgType, { session: this.session, username: this.username });
  }

  /** Sends a message and resolves once ZeroMQ accepted it. */
  async send(channel: SendChannel, header: Header, content: JSONObject, metadata: JSONObject = {}, parent: Header | Record<string, never> = {}): Promise<void> {
    this.assertOpen(header.msg_type);
    const message: Outgoing<JSONObject> & { channel: SendChannel } = { channel, identities: [], header, parent_header: parent, metadata, content, buffers: [] };
    await this.transport.send(message);
  }

  /** Sends a request on shell or control and resolves with its reply. */
  async request(channel: RequestChannel, msgType: string, content: JSONObject = {}, options: RequestOptions = {}): Promise<Message> {
    const header = this.header(msgType);
    const reply = this.router.reply(header.msg_id, {
      what: `the ${msgType.replace(/_request$/, "_reply")}`,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    const answered = this.withStderr(reply);
    answered.catch(() => undefined); // a failed send rejects below; the reply wait must not go unhandled
    await this.send(channel, header, content, options.metadata);
    return answered;
  }

  /**
   * Runs code and resolves when both its execute_reply and its `status: idle` arrived (whichever comes last).
   * The reply's `content.status` says whether the cell failed; this rejects only when the kernel is gone.
   */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const header = this.header("execute_request");
    const messages: Message[] = [];
    let settled = false;
    const subscription = this.router.subscribe(header.msg_id, (m) => {
      if (m.channel === "stdin") {
        if (m.header.msg_type === "input_request") void this.answerInput(m, options);
        return;
      }
      if (!settled) messages.push(m);
      options.onIopub?.(m);
    });
    const content = {
      code,
      silent: options.silent ?? false,
      store_history: options.storeHistory ?? true,
      user_expressions: options.userExpressions ?? {},
      allow_stdin: options.allowStdin ?? false,
      stop_on_error: options.stopOnError ?? true,
    };
    try {
      const reply = this.router.reply(header.msg_id, { what: "the execute_reply" });
      const idle = this.router.idle(header.msg_id, { what: "the cell's idle status" });
      const finished = this.withStderr(Promise.all([reply, idle]));
      finished.catch(() => undefined); // a failed send rejects below; the waits must not go unhandled
      await this.send("shell", header, content, options.metadata);
      const [replyMessage] = await finished;
      settled = true;
      if (!options.keepListening) subscription.close();
      return { request: header, reply: replyMessage, messages, ...(options.keepListening ? { subscription } : {}) };
    } catch (err) {
      subscription.close();
      throw err;
    }
  }

  /** Delivers every iopub (and stdin) message parented to `msgId` — including late ones — until closed. */
  subscribe(msgId: string, listener: Listener): Subscription {
    return this.router.subscribe(msgId, listener);
  }

  /** Every message from the kernel on any channel, until closed. */
  onMessage(listener: Listener): Subscription {
    return this.router.onMessage(listener);
  }

  /**
   * Like jupyter_client's wait_for_ready: repeats kernel_info_request until a reply *and* an iopub message
   * parented to one of those requests arrived — a subscriber misses whatever was published before its
   * subscription reached the kernel. Resolves with the kernel_info_reply.
   */
  async waitForReady(options: ReadyOptions = {}): Promise<Message<KernelInfoReply>> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const retryMs = options.retryMs ?? 500;
    const ours = new Set<string>();
    const reply = this.router.waitFor((m) => m.channel === "shell" && m.header.msg_type === "kernel_info_reply" && ours.has(parentMsgId(m) ?? ""), {
      what: "a kernel_info_reply",
      timeoutMs,
    });
    const iopub = this.router.waitFor((m) => m.channel === "iopub" && ours.has(parentMsgId(m) ?? ""), { what: "an iopub message", timeoutMs });
    const both = Promise.all([reply, iopub]);
    let done = false;
    both.then(
      () => (done = true),
      () => (done = true),
    );
    while (!done) {
      const header = this.header("kernel_info_request");
      ours.add(header.msg_id);
      await this.send("shell", header, {});
      let timer: ReturnType<typeof setTimeout> | undefined;
      const retry = new Promise<void>((resolve) => (timer = setTimeout(resolve, retryMs)));
      await Promise.race([both.then(() => undefined, () => undefined), retry]);
      clearTimeout(timer);
    }
    try {
      const [info] = await both;
      this.kernelInfo = info as unknown as Message<KernelInfoReply>;
      return this.kernelInfo;
    } catch (err) {
      if (err instanceof KernelTimeoutError && this.kernel) {
        throw new KernelTimeoutError("ready kernel (kernel_info_reply and an iopub message)", timeoutMs, this.kernel.stderrTail());
      }
      throw err;
    }
  }

  /** interrupt_request on control (tsloop's interrupt_mode is "message"). */
  interrupt(timeoutMs = 5_000): Promise<Message> {
    return this.request("control", "interrupt_request", {}, { timeoutMs });
  }

  /** One heartbeat round trip in ms. */
  heartbeat(timeoutMs = 5_000): Promise<number> {
    return this.transport.heartbeat(timeoutMs);
  }

  /**
   * Asks the kernel to shut down (shutdown_request on control), waits up to `timeoutMs` for the process to exit,
   * kills it if it did not, and closes the client. Never rejects.
   */
  async shutdown(timeoutMs = 2_000): Promise<void> {
    const kernel = this.kernel;
    const deadline = Date.now() + timeoutMs;
    if (!this.closed && !kernel?.exitInfo && !this.router.failed) {
      await this.request("control", "shutdown_request", { restart: false }, { timeoutMs }).catch(() => undefined);
    }
    if (kernel && !kernel.exitInfo) {
      const left = Math.max(deadline - Date.now(), 0);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const gone = await Promise.race([kernel.exited.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), left)))]);
      clearTimeout(timer);
      if (!gone) await kernel.kill("SIGKILL");
    }
    await this.close();
  }

  /** Closes the sockets; whatever still waits rejects with ClientClosedError. Leaves the kernel process alone. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      this.router.fail((what) => new ClientClosedError(what));
      this.closing = this.transport.close();
    }
    return this.closing;
  }

  private async answerInput(request: Message, options: ExecuteOptions): Promise<void> {
    const prompt = typeof request.content.prompt === "string" ? request.content.prompt : "";
    const password = request.content.password === true;
    let value = "";
    try {
      value = options.onInput ? await options.onInput(prompt, password) : "";
    } catch (err) {
      this.options.onProblem?.(`the input handler threw: ${String(err)}`);
    }
    if (this.closed) return;
    await this.send("stdin", this.header("input_reply"), { value }, {}, request.header).catch((err: unknown) =>
      this.options.onProblem?.(`could not send input_reply: ${String(err)}`),
    );
  }

  /** A timeout while the kernel is alive names the kernel's recent stderr too. */
  private async withStderr<T>(promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (err) {
      if (err instanceof KernelTimeoutError && this.kernel) {
        throw new KernelTimeoutError(err.what, err.timeoutMs, this.kernel.stderrTail());
      }
      throw err;
    }
  }

  private assertOpen(what: string): void {
    if (this.closed) throw new ClientClosedError(`sending ${what}`);
  }
}
