// Routes decoded messages from the kernel to whoever waits for them: one-shot waiters (a reply, an idle
// status), subscriptions by parent msg_id (a cell's iopub and stdin messages, which stay open after the cell's
// idle so that late output still arrives), and listeners for everything. Pure: no sockets, no timers of its own
// beyond a waiter's optional bound, so it is tested with hand-made messages.
import type { Header, Message } from "../protocol/messages.js";
import { KernelTimeoutError } from "./errors.js";

export type Listener = (message: Message) => void;

/** An open subscription; `close()` stops delivery (idempotent). */
export interface Subscription {
  close(): void;
}

interface Waiter {
  predicate: (message: Message) => boolean;
  resolve: (message: Message) => void;
  reject: (error: Error) => void;
  what: string;
}

export interface WaitOptions {
  /** Rejects with KernelTimeoutError after this long; no bound when omitted. */
  timeoutMs?: number;
  /** What is awaited, for error messages ("execute_reply to 1f2e…"). */
  what?: string;
}

export class MessageRouter {
  private readonly waiters = new Set<Waiter>();
  private readonly byParent = new Map<string, Set<Listener>>();
  private readonly everything = new Set<Listener>();
  private failure: ((what: string) => Error) | undefined;

  /**
   * Resolves with the next message satisfying the predicate (messages already dispatched do not count: register
   * before sending the request). Rejects when the router fails (kernel died, client closed) or on timeout.
   */
  waitFor(predicate: (message: Message) => boolean, options: WaitOptions = {}): Promise<Message> {
    const what = options.what ?? "a message from the kernel";
    if (this.failure) return Promise.reject(this.failure(what));
    return new Promise<Message>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waiter: Waiter = {
        predicate,
        what,
        resolve: (m) => {
          if (timer) clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          if (timer) clearTimeout(timer);
          reject(e);
        },
      };
      if (options.timeoutMs !== undefined) {
        const ms = options.timeoutMs;
        timer = setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new KernelTimeoutError(what, ms));
        }, ms);
      }
      this.waiters.add(waiter);
    });
  }

  /** The reply (shell or control) to the request with this msg_id. */
  reply(msgId: string, options: WaitOptions = {}): Promise<Message> {
    return this.waitFor((m) => isReplyTo(m, msgId), { what: `the reply to ${msgId}`, ...options });
  }

  /** The `status: idle` on iopub that closes the request with this msg_id. */
  idle(msgId: string, options: WaitOptions = {}): Promise<Message> {
    return this.waitFor((m) => isIdleOf(m, msgId), { what: `the idle status of ${msgId}`, ...options });
  }

  /** Delivers every iopub and stdin message whose parent is `parentMsgId`, until closed. */
  subscribe(parentMsgId: string, listener: Listener): Subscription {
    let set = this.byParent.get(parentMsgId);
    if (!set) {
      set = new Set();
      this.byParent.set(parentMsgId, set);
    }
    set.add(listener);
    return {
      close: () => {
        const current = this.byParent.get(parentMsgId);
        if (!current) return;
        current.delete(listener);
        if (current.size === 0) this.byParent.delete(parentMsgId);
      },
    };
  }

  /** Delivers every message, on every channel, until closed. */
  onMessage(listener: Listener): Subscription {
    this.everything.add(listener);
    return { close: () => void this.everything.delete(listener) };
  }

  /** Hands one decoded message to its subscribers and waiters. A throwing listener does not stop the others. */
  dispatch(message: Message): void {
    const errors: unknown[] = [];
    const call = (listener: Listener) => {
      try {
        listener(message);
      } catch (err) {
        errors.push(err);
      }
    };
    for (const listener of [...this.everything]) call(listener);
    if (message.channel === "iopub" || message.channel === "stdin") {
      const parent = parentMsgId(message);
      const listeners = parent === undefined ? undefined : this.byParent.get(parent);
      if (listeners) for (const listener of [...listeners]) call(listener);
    }
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(message)) {
        this.waiters.delete(waiter);
        waiter.resolve(message);
      }
    }
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors, "message listeners threw");
  }

  /** From now on every waiter, present and future, rejects with the error `makeError(what)` returns. */
  fail(makeError: (what: string) => Error): void {
    if (this.failure) return;
    this.failure = makeError;
    for (const waiter of [...this.waiters]) {
      this.waiters.delete(waiter);
      waiter.reject(makeError(waiter.what));
    }
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** How many one-shot waiters are pending (for tests and leak checks). */
  get pending(): number {
    return this.waiters.size;
  }
}

/** The msg_id of a message's parent, or undefined for messages with no parent (`{}`). */
export function parentMsgId(message: Pick<Message, "parent_header">): string | undefined {
  const id = (message.parent_header as Partial<Header>).msg_id;
  return typeof id === "string" && id !== "" ? id : undefined;
}

export function isReplyTo(message: Message, msgId: string): boolean {
  return (message.channel === "shell" || message.channel === "control") && parentMsgId(message) === msgId && message.header.msg_type.endsWith("_reply");
}

export function isIdleOf(message: Message, msgId: string): boolean {
  return (
    message.channel === "iopub" &&
    message.header.msg_type === "status" &&
    message.content.execution_state === "idle" &&
    parentMsgId(message) === msgId
  );
}
