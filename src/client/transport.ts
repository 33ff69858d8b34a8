// The client side of the five Jupyter channels over ZeroMQ: Dealer sockets for shell, control and stdin, a
// Subscriber (to every topic) for iopub, and a Request socket for the heartbeat. Sends are queued per socket and
// awaited (zeromq.js 6 rejects a send while the previous one is pending); frames are signed and decoded by the
// wire layer. This is the only client module that imports zeromq.
import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import type { Channel, Message, Outgoing } from "../protocol/messages.js";
import { type ConnectionInfo, endpoint } from "../wire/connection.js";
import { decode, encode } from "../wire/frames.js";
import { SendQueue } from "../wire/send-queue.js";
import { Signer } from "../wire/signing.js";

export type SendChannel = "shell" | "control" | "stdin";

export interface TransportEvents {
  /** A decoded, verified message. */
  message(message: Message): void;
  /** A message that failed to decode or verify, or a socket error; the transport keeps running. */
  problem(description: string): void;
}

export class ClientTransport {
  private readonly outbound: Signer;
  private readonly inbound: Signer;
  private readonly dealers: Record<SendChannel, zmq.Dealer>;
  private readonly iopub: zmq.Subscriber;
  private readonly hb: zmq.Request;
  private readonly queues: Record<SendChannel, SendQueue>;
  private readonly loops: Promise<void>[] = [];
  private hbChain: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    readonly info: ConnectionInfo,
    private readonly events: TransportEvents,
  ) {
    this.outbound = new Signer(info.signature_scheme, info.key);
    this.inbound = new Signer(info.signature_scheme, info.key);
    const routingId = `tsloop-client-${randomUUID().slice(0, 8)}`;
    this.dealers = {
      shell: new zmq.Dealer({ routingId, linger: 0 }),
      control: new zmq.Dealer({ routingId, linger: 0 }),
      stdin: new zmq.Dealer({ routingId, linger: 0 }),
    };
    this.iopub = new zmq.Subscriber({ linger: 0 });
    this.hb = new zmq.Request({ linger: 0, relaxed: true, correlate: true });
    const failures: Record<SendChannel, (err: unknown) => void> = {
      shell: (err) => events.problem(`send on shell failed: ${String(err)}`),
      control: (err) => events.problem(`send on control failed: ${String(err)}`),
      stdin: (err) => events.problem(`send on stdin failed: ${String(err)}`),
    };
    const queue = (channel: SendChannel) => new SendQueue((frames) => this.dealers[channel].send(frames), failures[channel]);
    this.queues = { shell: queue("shell"), control: queue("control"), stdin: queue("stdin") };
  }

  /** Connects every socket and starts the receive loops (ZeroMQ connects lazily: the kernel may bind later). */
  connect(): void {
    for (const channel of ["shell", "control", "stdin"] as const) this.dealers[channel].connect(endpoint(this.info, channel));
    this.iopub.connect(endpoint(this.info, "iopub"));
    this.iopub.subscribe();
    this.hb.connect(endpoint(this.info, "hb"));
    this.loops.push(this.receive(this.dealers.shell, "shell"), this.receive(this.dealers.control, "control"));
    this.loops.push(this.receive(this.dealers.stdin, "stdin"), this.receive(this.iopub, "iopub"));
  }

  /** Signs and queues a message; resolves once ZeroMQ accepted it (send failures go to `problem`). */
  send(message: Outgoing<unknown> & { channel: SendChannel }): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`cannot send ${message.header.msg_type}: the client is closed`));
    return this.queues[message.channel].send(encode({ ...message, identities: [] }, this.outbound));
  }

  /** Queues frames exactly as given (from the delimiter on): for tests of tampered and malformed messages. */
  sendFrames(channel: SendChannel, frames: Buffer[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`cannot send raw frames on ${channel}: the client is closed`));
    return this.queues[channel].send(frames);
  }

  /** One heartbeat round trip in ms; rejects when no echo arrives within `timeoutMs`. Pings are serialised. */
  heartbeat(timeoutMs: number): Promise<number> {
    const ping = async (): Promise<number> => {
      const payload = Buffer.from(randomUUID());
      const started = performance.now();
      this.hb.receiveTimeout = timeoutMs;
      await this.hb.send(payload);
      const [echo] = await this.hb.receive();
      if (!echo?.equals(payload)) throw new Error("the heartbeat echoed something else");
      return performance.now() - started;
    };
    const result = this.hbChain.then(ping, ping);
    this.hbChain = result.catch(() => undefined);
    return result;
  }

  /** Lets queued sends finish, closes every socket and waits for the receive loops to end. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(Object.values(this.queues).map((q) => q.drain()));
    await this.hbChain;
    for (const socket of [...Object.values(this.dealers), this.iopub, this.hb]) socket.close();
    await Promise.all(this.loops);
  }

  private async receive(socket: zmq.Dealer | zmq.Subscriber, channel: Channel): Promise<void> {
    try {
      for await (const frames of socket) {
        const decoded = decode(frames, channel, this.inbound);
        if (!decoded.ok) {
          this.events.problem(`dropped a message on ${channel}: ${decoded.reason}`);
          continue;
        }
        try {
          this.events.message(decoded.message);
        } catch (err) {
          this.events.problem(`a listener for ${decoded.message.header.msg_type} on ${channel} threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        }
      }
    } catch (err) {
      if (!this.closed) this.events.problem(`the ${channel} receive loop failed: ${String(err)}`);
    }
  }
}
