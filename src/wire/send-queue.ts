// Serialises sends on one socket: zeromq.js 6 rejects a send while the previous one is pending (EBUSY),
// so every send is chained after the last and awaited. `drain()` resolves once all queued sends are done.
export class SendQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly sendNow: (frames: Buffer[]) => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Queues frames; the returned promise settles when they were handed to ZeroMQ (never rejects). */
  send(frames: Buffer[]): Promise<void> {
    this.pending++;
    this.tail = this.tail.then(async () => {
      try {
        await this.sendNow(frames);
      } catch (err) {
        this.onError(err);
      } finally {
        this.pending--;
      }
    });
    return this.tail;
  }

  get size(): number {
    return this.pending;
  }

  drain(): Promise<void> {
    return this.tail;
  }
}
