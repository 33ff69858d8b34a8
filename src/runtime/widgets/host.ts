// The session's widget host: the registry of live widgets (for `IPY_MODEL_` references and `request_states`),
// how widget comms are opened and written to, and the echo setting. One per runtime, installed with the cell API.
import { ownerCell, type CellContext } from "../context.js";
import type { Comm, CommManager } from "../comms.js";
import type { Header, JSONObject } from "../../protocol/messages.js";
import type { OutputSink } from "../output.js";
import { type ErrorReporter, throwInCell } from "./events.js";
import { CONTROL_TARGET, PROTOCOL_VERSION, removeBuffers, WIDGET_TARGET } from "./protocol.js";

/** What the host needs from a widget. */
export interface HostedWidget {
  readonly modelId: string;
  wireState(): Record<string, unknown>;
}

export interface WidgetHostOptions {
  /** send `echo_update` for state the frontend changed (protocol 2.1); default on, like ipywidgets 8 */
  echo?: boolean;
  report?: ErrorReporter;
}

export class WidgetHost {
  readonly widgets = new Map<string, HostedWidget>();
  echo: boolean;
  readonly report: ErrorReporter;
  private controlTarget = false;

  constructor(
    private readonly comms: CommManager,
    private readonly output: OutputSink,
    options: WidgetHostOptions = {},
  ) {
    this.echo = options.echo ?? process.env.JUPYTER_WIDGETS_ECHO?.toLowerCase() !== "false";
    this.report = options.report ?? throwInCell;
  }

  /** Opens a widget comm (`comm_open` with `{state, buffer_paths}` and metadata `{version: "2.1.0"}`). */
  open(state: Record<string, unknown>): Comm {
    this.registerControlTarget();
    const split = removeBuffers(state);
    return this.comms.open(WIDGET_TARGET, { state: split.state, buffer_paths: split.bufferPaths } as JSONObject, {
      metadata: { version: PROTOCOL_VERSION },
      buffers: split.buffers,
    });
  }

  /**
   * Sends `comm_msg` on a widget's comm, parented to `parent` if given, else to the cell whose code is running (as
   * ipykernel parents it to the current request, so nbclient records it with that cell), else to the owner cell.
   */
  send(comm: Comm, owner: CellContext, data: Record<string, unknown>, buffers: readonly Uint8Array[] = [], parent: Header = ownerCell()?.parent ?? owner.parent): void {
    if (comm.isClosed) return;
    this.output.publish(parent, "comm_msg", { comm_id: comm.commId, data } as JSONObject, {}, buffers.map(toBuffer));
  }

  /** A state message (`update` or `echo_update`) with its binary values lifted out. */
  sendState(comm: Comm, owner: CellContext, method: "update" | "echo_update", state: Record<string, unknown>, parent?: Header): void {
    const split = removeBuffers(state);
    this.send(comm, owner, { method, state: split.state, buffer_paths: split.bufferPaths }, split.buffers, parent);
  }

  /**
   * The `jupyter.widget.control` target (control protocol 1.0): a frontend reconnecting to the kernel asks for
   * every widget's state in one `request_states` message. Registered from the cell that creates the first widget.
   */
  private registerControlTarget(): void {
    if (this.controlTarget) return;
    this.controlTarget = true;
    this.comms.registerTarget(CONTROL_TARGET, (comm) => {
      comm.onMessage((data) => {
        if (data.method !== "request_states") return;
        const states: Record<string, unknown> = {};
        for (const [id, widget] of this.widgets) states[id] = widget.wireState();
        const split = removeBuffers(states);
        comm.send({ method: "update_states", states: split.state, buffer_paths: split.bufferPaths } as JSONObject, split.buffers);
      });
    });
  }
}

function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

let current: WidgetHost | undefined;

export function setWidgetHost(host: WidgetHost | undefined): void {
  current = host;
}

export function widgetHost(): WidgetHost {
  if (!current) throw new Error("widgets are not available: the widget host is not installed");
  return current;
}
