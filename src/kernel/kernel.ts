// The dispatcher: one handler per request type, each bracketed busy → handler → flush → idle, replies
// built from their parent. Shell requests run one at a time in arrival order (`ShellQueue`); control requests
// are served at once. Execution counts, execute_input, history and the stop_on_error abort live here; comm
// requests are routed by `CommRouter` (comms.ts), language requests answered by language-requests.ts.
import type { Channel, Header, HistoryRequest, JSONObject, Message, Outgoing, ParentRef, SessionIdentity } from "../protocol/messages.js";
import { PROTOCOL_VERSION, childOf } from "../protocol/messages.js";
import { log } from "../wire/log.js";
import { CommRegistry, CommRouter } from "./comms.js";
import { History } from "./history.js";
import type { ExecuteOutcome, Frontend, Interpreter } from "./interpreter.js";
import { completeReply, inspectReply, isCompleteReply } from "./language-requests.js";
import { readExecuteRequest } from "./requests.js";
import { ShellQueue } from "./shell-queue.js";
import { InputBroker } from "./stdin.js";

/** Where the kernel sends messages: the ZeroMQ sockets, or an in-memory transport in tests. */
export interface Transport {
  send(message: Outgoing<unknown>): Promise<void>;
  flush(channel: Channel): Promise<void>;
}

export interface KernelOptions {
  identity: SessionIdentity;
  historyFile: string | null;
  /** Called after shutdown_reply was sent; the owner closes sockets and exits. */
  onShutdown: (restart: boolean) => void;
  /** The debugger (src/debugger): kernel_info says `debugger: true` and debug_request is served when set. */
  debugger?: DebugBackend;
}

/** What the dispatcher needs of a debugger: a DAP response per debug_request, and the interrupt/shutdown hooks. */
export interface DebugBackend {
  request(content: JSONObject): Promise<JSONObject>;
  /** after an interrupt: a main thread paused at a breakpoint must resume to see it */
  interrupted(): Promise<void>;
  /** before shutdown: detach, so that a paused main thread runs again and can exit */
  close(): Promise<void>;
}

type Handler = (msg: Message) => Promise<void>;

/** Messages of comms that are handled even while a cell runs (see receive). */
const COMM_MESSAGES = new Set(["comm_open", "comm_msg", "comm_close"]);

export class Kernel {
  readonly comms = new CommRegistry();
  private readonly history: History;
  private readonly input: InputBroker;
  private readonly commRouter: CommRouter;
  private executionCount = 0;
  private readonly shellQueue = new ShellQueue((msg, aborted) =>
    aborted ? this.bracket(msg, () => this.abortReply(msg)) : this.dispatch(msg, this.shellHandlers),
  );
  private commChain: Promise<void> = Promise.resolve();
  /** An execute_request is in the interpreter (a shutdown must free the main thread for the process to exit). */
  private executing = false;
  private shuttingDown = false;
  /** Set by the shutdown handler; acted on once its idle status went out. */
  private shutdownRequested: boolean | undefined;

  private readonly shellHandlers = {
    execute_request: (m) => this.execute(m),
    kernel_info_request: (m) => this.kernelInfo(m),
    complete_request: async (m) => this.reply(m, "complete_reply", await completeReply(this.interpreter, m.content)),
    inspect_request: async (m) => this.reply(m, "inspect_reply", await inspectReply(this.interpreter, m.content)),
    is_complete_request: async (m) => this.reply(m, "is_complete_reply", await isCompleteReply(this.interpreter, m.content)),
    history_request: (m) => this.historyRequest(m),
    comm_info_request: (m) => this.reply(m, "comm_info_reply", this.commRouter.info(m.content)),
    comm_open: (m) => this.commRouter.open(m),
    comm_msg: (m) => this.commRouter.message(m),
    comm_close: (m) => this.commRouter.close(m),
    shutdown_request: (m) => this.shutdown(m),
    interrupt_request: (m) => this.interruptRequest(m),
  } satisfies Record<string, Handler>;

  private readonly controlHandlers = {
    kernel_info_request: (m) => this.kernelInfo(m),
    shutdown_request: (m) => this.shutdown(m),
    interrupt_request: (m) => this.interruptRequest(m),
    debug_request: (m) => this.debugRequest(m),
  } satisfies Record<string, Handler>;
  /** The latest debug_request: debug_events go out as its children. */
  private debugParent: Message | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly interpreter: Interpreter,
    private readonly options: KernelOptions,
  ) {
    this.history = new History(options.historyFile);
    this.input = new InputBroker((msg) => this.transport.send(msg), options.identity);
    this.commRouter = new CommRouter(this.comms, interpreter, (parent, msgType, content) => this.publish(parent, msgType, content));
  }

  /** The Frontend the interpreter publishes through. */
  readonly frontend: Frontend = {
    publish: (parent, msgType, content, metadata = {}, buffers = []) => {
      if (msgType === "comm_open") this.comms.opened(String(content.comm_id), String(content.target_name));
      if (msgType === "comm_close") this.comms.closed(String(content.comm_id));
      void this.transport.send(childOf({ header: parent }, "iopub", msgType, content, this.options.identity, metadata, buffers));
    },
    requestInput: (parent, prompt, password) => this.input.request(parent, prompt, password),
  };

  /** Entry point for every decoded message from the wire. */
  receive(msg: Message): void {
    if (this.shuttingDown) {
      log.info(`ignored ${msg.header.msg_type} during shutdown`);
      return;
    }
    if (msg.channel === "stdin") {
      this.input.receive(msg);
      return;
    }
    if (msg.channel === "control") {
      void this.dispatch(msg, this.controlHandlers);
      return;
    }
    if (this.executing && this.shellQueue.length === 0 && COMM_MESSAGES.has(msg.header.msg_type)) {
      // A cell may be awaiting a widget or comm event: comm messages reach it while it runs, in their own order.
      // The kernel is busy already, so no busy/idle bracket (an idle here would tell frontends the cell ended).
      this.commChain = this.commChain.then(() => this.handleComm(msg));
      return;
    }
    this.shellQueue.push(msg);
  }

  private async handleComm(msg: Message): Promise<void> {
    try {
      await this.shellHandlers[msg.header.msg_type as "comm_open" | "comm_msg" | "comm_close"](msg);
    } catch (err) {
      log.error(`handler for ${msg.header.msg_type} failed:`, err);
    }
  }

  /** Session-wide startup broadcast: ipykernel publishes `starting` once. */
  async announce(): Promise<void> {
    await this.transport.send(childOf({ header: {} }, "iopub", "status", { execution_state: "starting" }, this.options.identity));
  }

  private async dispatch(msg: Message, handlers: Record<string, Handler>): Promise<void> {
    const type = msg.header.msg_type;
    const handler = Object.hasOwn(handlers, type) ? handlers[type] : undefined;
    if (!handler) {
      log.warn(`unknown message type ${JSON.stringify(type)} on ${msg.channel}; ignored`);
      return;
    }
    await this.bracket(msg, async () => {
      try {
        await handler(msg);
      } catch (err) {
        log.error(`handler for ${type} failed:`, err);
        if (type.endsWith("_request")) {
          const e = err instanceof Error ? err : new Error(String(err));
          await this.reply(msg, type.replace(/_request$/, "_reply"), {
            status: "error",
            ename: e.name,
            evalue: e.message,
            traceback: [e.stack ?? e.message],
          });
        }
      }
    });
    if (this.shutdownRequested !== undefined) {
      const restart = this.shutdownRequested;
      this.shutdownRequested = undefined;
      await this.transport.flush("iopub");
      this.options.onShutdown(restart);
    }
  }

  private async bracket(msg: Message, body: () => Promise<void>): Promise<void> {
    await this.status(msg, "busy");
    try {
      await body();
    } finally {
      await this.transport.flush("iopub");
      await this.status(msg, "idle");
    }
  }

  private status(parent: Message, state: "busy" | "idle"): Promise<void> {
    return this.transport.send(childOf(parent, "iopub", "status", { execution_state: state }, this.options.identity));
  }

  private reply(parent: Message, msgType: string, content: JSONObject): Promise<void> {
    return this.transport.send(childOf(parent, parent.channel, msgType, content, this.options.identity));
  }

  private publish(parent: Message, msgType: string, content: JSONObject): Promise<void> {
    return this.transport.send(childOf(parent, "iopub", msgType, content, this.options.identity));
  }

  // ---- handlers ----

  private async kernelInfo(msg: Message): Promise<void> {
    const info = this.interpreter.info();
    await this.reply(msg, "kernel_info_reply", {
      status: "ok",
      protocol_version: PROTOCOL_VERSION,
      implementation: info.implementation,
      implementation_version: info.implementationVersion,
      language_info: { ...info.languageInfo },
      banner: info.banner,
      debugger: this.options.debugger !== undefined,
      help_links: info.helpLinks,
    });
  }

  private async execute(msg: Message): Promise<void> {
    const req = readExecuteRequest(msg.content);
    this.input.route(msg.header, msg.identities);
    const storeHistory = req.store_history && !req.silent;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    if (!req.silent) await this.publish(msg, "execute_input", { code: req.code, execution_count: count });
    if (storeHistory) this.history.append(count, req.code);
    const cellId = typeof msg.metadata.cellId === "string" ? msg.metadata.cellId : undefined;
    let outcome: ExecuteOutcome;
    this.executing = true;
    try {
      outcome = await this.interpreter.execute({
        code: req.code,
        silent: req.silent,
        storeHistory,
        allowStdin: req.allow_stdin,
        userExpressions: req.user_expressions,
        executionCount: count,
        parent: msg.header,
        ...(cellId === undefined ? {} : { cellId }),
      });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      log.error("interpreter failed to execute a cell:", e);
      outcome = { status: "error", ename: "KernelError", evalue: e.message, traceback: [e.stack ?? e.message] };
    } finally {
      this.executing = false;
    }
    await this.commChain; // comm messages that arrived during the cell are handled before its reply
    if (outcome.status === "ok") {
      if (outcome.result && !req.silent) {
        await this.publish(msg, "execute_result", { execution_count: count, data: outcome.result.data, metadata: outcome.result.metadata });
      }
      await this.reply(msg, "execute_reply", {
        status: "ok",
        execution_count: count,
        user_expressions: outcome.userExpressions,
        payload: [],
      });
      return;
    }
    const error = { ename: outcome.ename, evalue: outcome.evalue, traceback: outcome.traceback };
    if (!req.silent) await this.publish(msg, "error", error);
    if (req.stop_on_error) this.shellQueue.abortExecutes();
    await this.reply(msg, "execute_reply", { status: "error", execution_count: count, ...error, user_expressions: {}, payload: [] });
  }

  private async abortReply(msg: Message): Promise<void> {
    log.info(`aborted ${msg.header.msg_id} after an earlier error (stop_on_error)`);
    await this.reply(msg, "execute_reply", { status: "aborted", execution_count: this.executionCount, user_expressions: {}, payload: [] });
  }

  private async historyRequest(msg: Message): Promise<void> {
    const history = this.history.query(msg.content as unknown as HistoryRequest);
    await this.reply(msg, "history_reply", { status: "ok", history });
  }

  private async interruptRequest(msg: Message): Promise<void> {
    this.interpreter.interrupt();
    await this.options.debugger?.interrupted();
    this.input.cancelAll("interrupted");
    await this.reply(msg, "interrupt_reply", { status: "ok" });
  }

  private async debugRequest(msg: Message): Promise<void> {
    if (!this.options.debugger) throw new Error("this kernel has no debugger");
    this.debugParent = msg;
    await this.reply(msg, "debug_reply", await this.options.debugger.request(msg.content));
  }

  /** A DAP event from the debugger, on iopub as a child of the latest debug_request. */
  debugEvent(event: JSONObject): void {
    void this.transport.send(childOf(this.debugParent ?? { header: {} }, "iopub", "debug_event", event, this.options.identity));
  }

  private async shutdown(msg: Message): Promise<void> {
    const restart = msg.content.restart === true;
    this.shuttingDown = true;
    await this.options.debugger?.close().catch((err: unknown) => log.error("debugger: detaching at shutdown failed:", err));
    this.input.cancelAll("kernel shutting down");
    // Nothing queued runs any more, and a running cell is interrupted: a cell spinning in `while (true) {}` holds the
    // main thread, which must be free to end the process after the reply.
    if (this.shellQueue.length > 0) log.info(`shutdown: dropped ${this.shellQueue.length} queued shell request(s)`);
    this.shellQueue.clear();
    if (this.executing) {
      log.info("shutdown: interrupting the running cell so that the process can exit");
      this.interpreter.interrupt();
    }
    try {
      await this.interpreter.shutdown(restart);
    } catch (err) {
      log.error("interpreter shutdown failed:", err);
    }
    await this.reply(msg, "shutdown_reply", { status: "ok", restart });
    await this.transport.flush(msg.channel);
    this.shutdownRequested = restart;
  }
}

export type { Header, ParentRef };
