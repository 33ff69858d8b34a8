// An in-process kernel for the client's tests: the project's own kernel sockets (router, publisher, heartbeat)
// on free ports, with a scripted handler per request type. Lets a test decide exactly what the kernel sends,
// in which order, and when — including out-of-order replies and late output.
import type { Header, JSONObject, Message } from "../../../src/protocol/messages.js";
import { childOf } from "../../../src/protocol/messages.js";
import { type KernelExit, type KernelProcess, newConnectionInfo } from "../../../src/client/kernel-process.js";
import type { ConnectionInfo } from "../../../src/wire/connection.js";
import { KernelSockets } from "../../../src/wire/sockets.js";

export type Handler = (msg: Message, kernel: FakeKernel) => void | Promise<void>;

const identity = { session: "fake-kernel", username: "fake" };

export class FakeKernel {
  readonly received: Message[] = [];
  private readonly handlers = new Map<string, Handler>();
  private inputWaiters: ((msg: Message) => void)[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private closing = false;

  private constructor(
    readonly connection: ConnectionInfo,
    private readonly sockets: KernelSockets,
  ) {}

  static async start(handlers: Record<string, Handler> = {}): Promise<FakeKernel> {
    const connection = await newConnectionInfo();
    const sockets = new KernelSockets(connection);
    await sockets.bind();
    const kernel = new FakeKernel(connection, sockets);
    kernel.handlers.set("kernel_info_request", (m, k) => k.bracket(m, () => k.reply(m, "kernel_info_reply", { status: "ok", protocol_version: "5.4" })));
    for (const [type, handler] of Object.entries(handlers)) kernel.handlers.set(type, handler);
    sockets.start((msg) => {
      if (kernel.closing) return;
      kernel.received.push(msg);
      if (msg.channel === "stdin") {
        const waiters = kernel.inputWaiters;
        kernel.inputWaiters = [];
        for (const w of waiters) w(msg);
        return;
      }
      const handler = kernel.handlers.get(msg.header.msg_type);
      if (!handler) return;
      const running = Promise.resolve(handler(msg, kernel)).finally(() => kernel.inflight.delete(running));
      kernel.inflight.add(running);
    });
    return kernel;
  }

  reply(parent: Message, msgType: string, content: JSONObject): Promise<void> {
    return this.sockets.send(childOf(parent, parent.channel, msgType, content, identity));
  }

  publish(parent: Header | undefined, msgType: string, content: JSONObject): Promise<void> {
    return this.sockets.send(childOf({ header: parent ?? {} }, "iopub", msgType, content, identity));
  }

  status(parent: Message, state: "busy" | "idle"): Promise<void> {
    return this.publish(parent.header, "status", { execution_state: state });
  }

  /** busy → body → idle, as a kernel brackets every request. */
  async bracket(parent: Message, body: () => Promise<void>): Promise<void> {
    await this.status(parent, "busy");
    await body();
    await this.status(parent, "idle");
  }

  /** Sends input_request on stdin and resolves with the client's input_reply. */
  async input(parent: Message, prompt: string): Promise<Message> {
    const answer = new Promise<Message>((resolve) => this.inputWaiters.push(resolve));
    await this.sockets.send(childOf(parent, "stdin", "input_request", { prompt, password: false }, identity));
    return answer;
  }

  /** Lets running handlers finish (so nothing sends on a closed socket), then closes the sockets. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.inflight]);
    await this.sockets.close();
  }
}

/** A deferred promise: resolve it from the test. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

/** A stand-in for a kernel process whose exit the test triggers. */
export function fakeProcess(stderr: string): KernelProcess & { exit: (info: KernelExit) => void; killed: NodeJS.Signals[] } {
  const exit = gate<KernelExit>();
  const killed: NodeJS.Signals[] = [];
  const proc = {
    connection: undefined as never,
    connectionFile: "",
    pid: 1,
    exited: exit.promise,
    exitInfo: undefined as KernelExit | undefined,
    stderr,
    stderrTail: () => stderr,
    killed,
    exit: (info: KernelExit) => {
      proc.exitInfo = info;
      exit.open(info);
    },
    kill: async (signal: NodeJS.Signals = "SIGKILL") => {
      killed.push(signal);
      proc.exit({ code: null, signal });
      return exit.promise;
    },
  };
  return proc;
}

