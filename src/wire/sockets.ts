// The kernel's ZeroMQ sockets: router sockets for shell, control and stdin, a publisher for iopub and a
// heartbeat echo. Bound to exactly the transport and ip of the connection file. Only this module imports zeromq.
import * as zmq from "zeromq";
import type { Channel, Message, Outgoing } from "../protocol/messages.js";
import { type ConnectionInfo, endpoint } from "./connection.js";
import { decode, encode } from "./frames.js";
import { log } from "./log.js";
import { SendQueue } from "./send-queue.js";
import { Signer } from "./signing.js";

export type InboundHandler = (message: Message) => void;

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

  constructor(private readonly info: ConnectionInfo) {
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
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) s.linger = 0;
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
    ].map((p) =>
      p.catch((err: unknown) => {
        if (!this.closed) log.error("receive loop ended:", err);
      }),
    );
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
