// The kernel's ZeroMQ sockets: router sockets for shell, control and stdin, a publisher for iopub and a
// heartbeat echo. Bound to exactly the transport and ip of the connection file. Only this module imports zeromq.
// No frame may exceed a size limit (TSLOOP_MAX_MESSAGE_MB, default 256 MiB): without one, anyone who can reach a
// port could make the kernel allocate any amount of memory before the signature check rejects the message.
import * as zmq from "zeromq";
import type { Channel, Message, Outgoing } from "../protocol/messages.js";
import { type ConnectionInfo, endpoint } from "./connection.js";
import { decode, encode } from "./frames.js";
import { log } from "./log.js";
import { SendQueue } from "./send-queue.js";
import { Signer } from "./signing.js";

export type InboundHandler = (message: Message) => void;

/** Default limit on one received frame; Jupyter Server's websockets already stop at 10 MiB per message. */
export const DEFAULT_MAX_MESSAGE_MB = 256;
/**
 * Messages iopub queues for a subscriber that reads slower than the kernel publishes. Past it a PUB socket drops
 * messages without a word, `status: idle` included (a frontend then shows the kernel busy for ever). ZeroMQ's
 * default of 1,000 lost 800 of a 20,000-error flood to a client that was only slow to warm up; the cost of a
 * larger queue is memory, and only while a subscriber lags.
 */
export const IOPUB_HIGH_WATER_MARK = 100_000;
/** A client disconnected and reconnecting within this time was most likely cut off by ZeroMQ, not closed. */
const RECONNECT_WINDOW_MS = 1_000;

/** The frame size limit in bytes from TSLOOP_MAX_MESSAGE_MB (MiB; 0, "off" or "unlimited": none, -1 for ZeroMQ). */
export function maxMessageBytes(value = process.env.TSLOOP_MAX_MESSAGE_MB): number {
  if (value === undefined || value.trim() === "") return DEFAULT_MAX_MESSAGE_MB * 1024 * 1024;
  if (/^(0|off|none|unlimited)$/i.test(value.trim())) return -1;
  const mb = Number(value);
  if (!Number.isFinite(mb) || mb <= 0) {
    log.warn(`TSLOOP_MAX_MESSAGE_MB should be a positive number of MiB or "off", got ${JSON.stringify(value)}; using ${DEFAULT_MAX_MESSAGE_MB}`);
    return DEFAULT_MAX_MESSAGE_MB * 1024 * 1024;
  }
  return Math.max(1, Math.round(mb * 1024 * 1024));
}

export class KernelSockets {
  readonly signer: Signer;
  private readonly shell = new zmq.Router();
  private readonly control = new zmq.Router();
  private readonly stdin = new zmq.Router();
  private readonly iopub = new zmq.Publisher();
  private readonly hb = new zmq.Reply();
  private readonly queues: Record<Channel, SendQueue>;
  private loops: Promise<void>[] = [];
  private closed = false;

  constructor(
    private readonly info: ConnectionInfo,
    private readonly maxBytes = maxMessageBytes(),
  ) {
    this.signer = new Signer(info.signature_scheme, info.key);
    const queue = (socket: zmq.Writable, name: string) =>
      new SendQueue(
        (frames) => socket.send(frames),
        (err) => log.error(`send on ${name} failed:`, err),
      );
    this.queues = {
      shell: queue(this.shell, "shell"),
      control: queue(this.control, "control"),
      stdin: queue(this.stdin, "stdin"),
      iopub: queue(this.iopub, "iopub"),
    };
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) {
      s.linger = 0;
      s.maxMessageSize = maxBytes;
    }
    this.iopub.sendHighWaterMark = IOPUB_HIGH_WATER_MARK;
  }

  /** Binds every socket; rejects with a clear message when a port is taken. */
  async bind(): Promise<void> {
    const pairs: [zmq.Socket, "shell" | "control" | "stdin" | "iopub" | "hb"][] = [
      [this.shell, "shell"],
      [this.control, "control"],
      [this.stdin, "stdin"],
      [this.iopub, "iopub"],
      [this.hb, "hb"],
    ];
    for (const [socket, name] of pairs) {
      const address = endpoint(this.info, name);
      try {
        await socket.bind(address);
      } catch (err) {
        throw new Error(`cannot bind ${name} channel to ${address}: ${(err as Error).message}`);
      }
    }
  }

  /** Starts the receive loops. Malformed, unsigned or replayed messages are logged and dropped. */
  start(onMessage: InboundHandler): void {
    const receive = async (socket: zmq.Router, channel: Channel) => {
      for await (const frames of socket) {
        const decoded = decode(frames, channel, this.signer);
        if (!decoded.ok) {
          log.warn(`dropped a message on ${channel}: ${decoded.reason}`);
          continue;
        }
        try {
          onMessage(decoded.message);
        } catch (err) {
          log.error(`handler for ${decoded.message.header.msg_type} on ${channel} threw:`, err);
        }
      }
    };
    const heartbeat = async () => {
      for await (const frames of this.hb) await this.hb.send(frames);
    };
    this.loops = [
      receive(this.shell, "shell"),
      receive(this.control, "control"),
      receive(this.stdin, "stdin"),
      heartbeat(),
      this.watch(this.shell, "shell"),
      this.watch(this.control, "control"),
      this.watch(this.stdin, "stdin"),
    ].map((p) =>
      p.catch((err: unknown) => {
        if (!this.closed) log.error("receive loop ended:", err);
      }),
    );
  }

  /**
   * ZeroMQ refuses a frame over the limit by dropping the client's connection, and says no more than
   * "disconnected". A ZeroMQ client reconnects at once (100 ms by default) while one that closed on purpose does
   * not, so a disconnect followed by a reconnection within a second is reported as a probable refused frame.
   */
  private async watch(socket: zmq.Router, channel: Channel): Promise<void> {
    let disconnectedAt = -Infinity;
    for await (const event of socket.events) {
      if (event.type === "disconnect") {
        disconnectedAt = performance.now();
        log.info(`${channel}: a client disconnected`);
      } else if (event.type === "accept" && performance.now() - disconnectedAt < RECONNECT_WINDOW_MS) {
        disconnectedAt = -Infinity;
        const limit = this.maxBytes > 0 ? `${Math.round((this.maxBytes / 1024 / 1024) * 10) / 10} MiB` : "the limit";
        // Jupyter servers also reopen their channels this way (seen from JupyterLab at every connection and
        // restart), so this is a hint for the log, not a warning.
        log.info(
          `${channel}: a client was disconnected and reconnected at once; ZeroMQ does this to a client that sends a frame ` +
            `larger than ${limit} (TSLOOP_MAX_MESSAGE_MB), and that message was dropped unread`,
        );
      }
    }
  }

  send(message: Outgoing<unknown>): Promise<void> {
    return this.queues[message.channel].send(encode(message, this.signer));
  }

  /** Waits until everything queued on the channel was handed to ZeroMQ. */
  flush(channel: Channel): Promise<void> {
    return this.queues[channel].drain();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(Object.values(this.queues).map((q) => q.drain()));
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) s.close();
    await Promise.all(this.loops);
  }
}
