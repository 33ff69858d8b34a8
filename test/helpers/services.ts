// Driving a kernel through @jupyterlab/services (the code JupyterLab runs) from a test: a recorder of every iopub
// message a cell's future receives, with event-driven waits; `run` for a cell whose future stays alive for late
// output; a validator hook that checks every message the kernel connection receives against the message spec.
import type { Kernel, KernelMessage } from "@jupyterlab/services";
import { watchProtocol } from "./protocol-watch.js";
import { validateMessage } from "./validate.js";

export type IOPub = KernelMessage.IIOPubMessage;
export type ExecuteFuture = Kernel.IShellFuture<KernelMessage.IExecuteRequestMsg, KernelMessage.IExecuteReplyMsg>;

/** Every iopub message a future receives, with event-driven waits for the next one that matches. */
export class Recorder {
  readonly messages: IOPub[] = [];
  private readonly waiters = new Set<{ match: (m: IOPub) => boolean; resolve: (m: IOPub) => void }>();

  constructor(readonly future: ExecuteFuture) {
    future.onIOPub = (msg) => {
      this.messages.push(msg);
      for (const w of this.waiters) {
        if (w.match(msg)) {
          this.waiters.delete(w);
          w.resolve(msg);
        }
      }
    };
  }

  /** The first message (already received or arriving within `ms`) that matches. */
  waitFor(match: (m: IOPub) => boolean, ms: number, what: string): Promise<IOPub> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolveMsg, reject) => {
      const waiter = { match, resolve: (m: IOPub) => (clearTimeout(timer), resolveMsg(m)) };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no ${what} within ${ms} ms; got: ${JSON.stringify(this.messages.map((m) => [m.header.msg_type, m.content]))}`));
      }, ms);
      this.waiters.add(waiter);
    });
  }

  ofType(type: string): IOPub[] {
    return this.messages.filter((m) => m.header.msg_type === type);
  }

  /** The text of the stdout stream (stderr — warnings, say — is not part of it). */
  get stdout(): string {
    return this.ofType("stream")
      .filter((m) => (m.content as { name: string }).name === "stdout")
      .map((m) => (m.content as { text: string }).text)
      .join("");
  }
}

/** Runs a cell; the future stays alive after the reply so late output can still reach it. */
export async function run(kernel: Kernel.IKernelConnection, code: string, ms = 20_000) {
  const future = kernel.requestExecute({ code }, false);
  const recorder = new Recorder(future);
  const reply = await bounded(future.done, ms, `the reply to ${JSON.stringify(code)}`);
  return { future, recorder, reply, content: reply.content as KernelMessage.IExecuteReplyMsg["content"] };
}

export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Checks `condition` until it holds (for process exits, which send no event to us), bounded. */
export async function eventually(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const plain = (m: IOPub | undefined) => ((m?.content as { data?: Record<string, unknown> } | undefined)?.data?.["text/plain"] as string | undefined);

/** What `validateAll` saw: how many received messages it checked, and every violation. */
export interface ProtocolCheck {
  checked: number;
  violations: string[];
}

/** Checks every message the connection receives (all channels) against the message spec, from now on. */
export function validateAll(kernel: Kernel.IKernelConnection): ProtocolCheck {
  const check: ProtocolCheck = { checked: 0, violations: [] };
  watchProtocol(check);
  kernel.anyMessage.connect((_, { msg, direction }) => {
    if (direction !== "recv") return;
    check.checked++;
    check.violations.push(...validateMessage({ channel: msg.channel as never, header: msg.header, parent_header: msg.parent_header, metadata: msg.metadata, content: msg.content }));
  });
  return check;
}
