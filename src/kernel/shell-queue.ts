// The shell channel's queue: requests are handled one at a time, in arrival order. When a cell fails with
// stop_on_error, every execute_request already queued is marked aborted (it is answered `aborted`, not run).
import type { Message } from "../protocol/messages.js";

interface Queued {
  msg: Message;
  aborted: boolean;
}

export class ShellQueue {
  private readonly queue: Queued[] = [];
  private running = false;

  /** `handle` serves one request (or answers it `aborted`); the next waits until it settled. */
  constructor(private readonly handle: (msg: Message, aborted: boolean) => Promise<void>) {}

  /** Requests waiting (not counting the one being handled). */
  get length(): number {
    return this.queue.length;
  }

  push(msg: Message): void {
    this.queue.push({ msg, aborted: false });
    void this.pump();
  }

  /** stop_on_error: every execute_request queued now is answered `aborted`. */
  abortExecutes(): void {
    for (const q of this.queue) if (q.msg.header.msg_type === "execute_request") q.aborted = true;
  }

  /** Drops every waiting request (at shutdown). */
  clear(): void {
    this.queue.length = 0;
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) await this.handle(next.msg, next.aborted);
    } finally {
      this.running = false;
    }
  }
}
