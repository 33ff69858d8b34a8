// Jupyter comms on the runtime side, both ways: cells register targets for comms the frontend opens, and
// open comms of their own. A comm remembers the cell that made it (or registered its target): everything
// it sends, and everything its handlers print, is parented to that cell.
import { randomUUID } from "node:crypto";
import type { Header, JSONObject } from "../protocol/messages.js";
import { type CellContext, cellStorage, currentCell } from "./context.js";
import { NO_ECHO } from "./display.js";
import type { OutputSink } from "./output.js";

export type CommData = JSONObject;
/** `header` is the frontend's comm_msg header (a widget's echo_update names it as parent). */
export type MessageHandler = (data: CommData, buffers: Buffer[], header?: Header) => void | Promise<void>;
export type OpenHandler = (comm: Comm, data: CommData, buffers: Buffer[]) => void | Promise<void>;

const CHAINING: ReadonlySet<string> = new Set(["onMessage", "onClose"]);

export class Comm {
  private readonly messageHandlers: MessageHandler[] = [];
  private readonly closeHandlers: ((data: CommData) => void)[] = [];
  private closed = false;

  constructor(
    readonly commId: string,
    readonly targetName: string,
    private readonly owner: CellContext,
    private readonly output: OutputSink,
    private readonly forget: (id: string) => void,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** `onMessage(…)` and `onClose(…)` return the comm for chaining: as a cell's value they show nothing. */
  get [NO_ECHO](): ReadonlySet<string> {
    return CHAINING;
  }

  /** Send `comm_msg` to the frontend. */
  send(data: CommData = {}, buffers: (Buffer | Uint8Array)[] = []): void {
    if (this.closed) throw new Error(`comm ${this.commId} (${this.targetName}) is closed`);
    this.output.publish(this.owner.parent, "comm_msg", { comm_id: this.commId, data }, {}, buffers.map(toBuffer));
  }

  /** Close the comm (sends `comm_close`). */
  close(data: CommData = {}): void {
    if (this.closed) return;
    this.output.publish(this.owner.parent, "comm_close", { comm_id: this.commId, data });
    this.closedBy(data);
  }

  onMessage(handler: MessageHandler): this {
    this.messageHandlers.push(handler);
    return this;
  }

  onClose(handler: (data: CommData) => void): this {
    this.closeHandlers.push(handler);
    return this;
  }

  /** A `comm_msg` from the frontend: handlers run in the owning cell's context. */
  async deliver(data: CommData, buffers: Buffer[], header?: Header): Promise<void> {
    await cellStorage.run(this.owner, async () => {
      for (const handler of this.messageHandlers) await handler(data, buffers, header);
    });
  }

  closedBy(data: CommData): void {
    if (this.closed) return;
    this.closed = true;
    this.forget(this.commId);
    cellStorage.run(this.owner, () => {
      for (const handler of this.closeHandlers) handler(data);
    });
  }
}

export class CommManager {
  private readonly comms = new Map<string, Comm>();
  private readonly targets = new Map<string, { handler: OpenHandler; owner: CellContext }>();

  constructor(private readonly output: OutputSink) {}

  /** Accept comms the frontend opens for `targetName`. */
  registerTarget(targetName: string, handler: OpenHandler): void {
    const owner = currentCell();
    if (!owner) throw new Error("registerTarget must be called from a cell");
    this.targets.set(targetName, { handler, owner });
  }

  unregisterTarget(targetName: string): void {
    this.targets.delete(targetName);
  }

  /** Open a comm from the kernel side (sends `comm_open`). */
  open(targetName: string, data: CommData = {}, options: { buffers?: (Buffer | Uint8Array)[]; metadata?: JSONObject; commId?: string } = {}): Comm {
    const owner = currentCell();
    if (!owner) throw new Error("a comm can only be opened from a cell");
    const comm = this.add(options.commId ?? randomUUID().replace(/-/g, ""), targetName, owner);
    this.output.publish(owner.parent, "comm_open", { comm_id: comm.commId, target_name: targetName, data }, options.metadata ?? {}, (options.buffers ?? []).map(toBuffer));
    return comm;
  }

  /** Open comms and registered targets: each may still deliver a message that wakes a waiting cell. */
  activeCount(): number {
    return this.comms.size + this.targets.size;
  }

  get(commId: string): Comm | undefined {
    return this.comms.get(commId);
  }

  // ---- messages from the frontend ----

  async frontendOpen(commId: string, targetName: string, data: CommData, buffers: Buffer[]): Promise<boolean> {
    const target = this.targets.get(targetName);
    if (!target) return false;
    const comm = this.add(commId, targetName, target.owner);
    await cellStorage.run(target.owner, () => target.handler(comm, data, buffers));
    return true;
  }

  async frontendMsg(commId: string, data: CommData, buffers: Buffer[], header?: Header): Promise<boolean> {
    const comm = this.comms.get(commId);
    if (!comm) return false;
    await comm.deliver(data, buffers, header);
    return true;
  }

  async frontendClose(commId: string, data: CommData): Promise<boolean> {
    const comm = this.comms.get(commId);
    if (!comm) return false;
    comm.closedBy(data);
    return true;
  }

  private add(commId: string, targetName: string, owner: CellContext): Comm {
    const comm = new Comm(commId, targetName, owner, this.output, (id) => this.comms.delete(id));
    this.comms.set(commId, comm);
    return comm;
  }
}

function toBuffer(b: Buffer | Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
