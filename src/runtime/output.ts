// Output of user code towards the frontend. Stream text is coalesced per (cell, stream) and flushed after a
// few milliseconds, when it grows past a chunk size, before any other output, and when a cell ends — so a
// cell printing 100,000 lines sends a few hundred messages, in order, and nothing is lost. A write after a
// quiet spell goes out at once, and a write finding text older than 50 ms flushes it: output printed just
// before a long synchronous stretch is shown while that stretch runs (the flush timer cannot fire then).
import type { Header, JSONObject, ParentRef, StreamName } from "../protocol/messages.js";
import { realSetTimeout, realClearTimeout } from "./real-timers.js";

export interface OutputChannel {
  publish(parent: ParentRef, msgType: string, content: JSONObject, metadata?: JSONObject, buffers?: Buffer[]): void;
  requestInput(parent: Header, prompt: string, password: boolean): Promise<string>;
}

const FLUSH_DELAY_MS = 4;
/** Pending text older than this is flushed by the next write, even while the thread is busy. */
const MAX_HOLD_MS = 50;
const CHUNK_BYTES = 64 * 1024;
/** Per cell, stream text beyond this is dropped with a visible notice (the kernel's memory stays bounded). */
export const STREAM_CAP_BYTES = 64 * 1024 * 1024;


interface Pending {
  parent: Header;
  name: StreamName;
  text: string[];
  size: number;
}

export class OutputSink {
  private pending: Pending | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlushAt = 0;
  private pendingSince = 0;
  private readonly sentBytes = new Map<string, { sent: number; dropped: number }>();

  constructor(private readonly channel: OutputChannel) {}

  stream(parent: Header, name: StreamName, text: string): void {
    if (text.length === 0) return;
    const budget = this.budget(parent.msg_id);
    const room = STREAM_CAP_BYTES - budget.sent;
    if (text.length > room) {
      budget.dropped += text.length - Math.max(room, 0);
      if (room <= 0) return;
      text = text.slice(0, room);
    }
    budget.sent += text.length;
    const p = this.pending;
    if (p && (p.parent.msg_id !== parent.msg_id || p.name !== name)) this.flush();
    const t = performance.now();
    if (!this.pending) {
      this.pending = { parent, name, text: [], size: 0 };
      this.pendingSince = t;
    }
    this.pending.text.push(text);
    this.pending.size += text.length;
    const quietBefore = this.pendingSince - this.lastFlushAt >= FLUSH_DELAY_MS && this.pending.text.length === 1;
    if (this.pending.size >= CHUNK_BYTES || quietBefore || t - this.pendingSince >= MAX_HOLD_MS) this.flush();
    else if (!this.timer) {
      this.timer = realSetTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, FLUSH_DELAY_MS);
      this.timer.unref?.();
    }
  }

  /** Any message other than stream text: flush the streams first to keep the order the user saw. */
  publish(parent: ParentRef, msgType: string, content: JSONObject, metadata?: JSONObject, buffers?: Buffer[]): void {
    this.flush();
    this.channel.publish(parent, msgType, content, metadata, buffers);
  }

  flush(): void {
    if (this.timer) {
      realClearTimeout(this.timer);
      this.timer = undefined;
    }
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    this.lastFlushAt = performance.now();
    this.channel.publish(p.parent, "stream", { name: p.name, text: p.text.join("") });
  }

  /** At the end of a cell: say how much output was dropped past the cap, and forget the cell's budget. */
  endCell(parent: Header): void {
    const budget = this.sentBytes.get(parent.msg_id);
    if (budget && budget.dropped > 0) {
      this.flush();
      this.channel.publish(parent, "stream", {
        name: "stderr",
        text: `\n[tsloop] output truncated: ${budget.dropped} characters past the ${STREAM_CAP_BYTES / 1024 / 1024} MiB per-cell limit were dropped\n`,
      });
      budget.dropped = 0;
    }
    this.flush();
  }

  /** Input requests waiting for the frontend's answer (a cell awaiting one is not deadlocked). */
  pendingInputs = 0;

  async requestInput(parent: Header, prompt: string, password: boolean): Promise<string> {
    this.flush();
    this.pendingInputs++;
    try {
      return await this.channel.requestInput(parent, prompt, password);
    } finally {
      this.pendingInputs--;
    }
  }

  private budget(msgId: string): { sent: number; dropped: number } {
    let b = this.sentBytes.get(msgId);
    if (!b) {
      b = { sent: 0, dropped: 0 };
      this.sentBytes.set(msgId, b);
      if (this.sentBytes.size > 256) {
        const oldest = this.sentBytes.keys().next().value;
        if (oldest !== undefined) this.sentBytes.delete(oldest);
      }
    }
    return b;
  }
}
