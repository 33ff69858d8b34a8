// An in-process widget session for unit tests: the real CommManager, OutputSink and widget host over a channel
// that records every published message, cell contexts to run code in, and a fake frontend that sends comm messages.
import { newHeader, type Header, type JSONObject, type ParentRef } from "../../../src/protocol/messages.js";
import { CommManager } from "../../../src/runtime/comms.js";
import { type CellContext, cellStorage } from "../../../src/runtime/context.js";
import { OutputSink } from "../../../src/runtime/output.js";
import { installWidgets } from "../../../src/runtime/widgets/index.js";

export interface Published {
  parent: ParentRef;
  msgType: string;
  content: JSONObject;
  metadata: JSONObject;
  buffers: Buffer[];
}

let count = 0;
export function cell(): CellContext {
  count++;
  return { parent: newHeader("execute_request", { session: "s", username: "u" }), executionCount: count, fileName: `cell${count}.ts`, allowStdin: false, abort: new AbortController() };
}

export function widgetSession(options: { echo?: boolean } = {}) {
  const sent: Published[] = [];
  const errors: { cell: CellContext | undefined; error: unknown }[] = [];
  const output = new OutputSink({
    publish: (parent, msgType, content, metadata = {}, buffers = []) => sent.push({ parent, msgType, content, metadata, buffers }),
    requestInput: () => Promise.resolve(""),
  });
  const comms = new CommManager(output);
  const api = installWidgets({ comms, output, echo: options.echo ?? true, report: (c, error) => errors.push({ cell: c, error }) });
  const first = cell();
  return {
    ...api,
    sent,
    errors,
    output,
    cell: first,
    /** Runs fn as code of a cell (default: the session's first cell). */
    run<T>(fn: () => T, ctx: CellContext = first): T {
      return cellStorage.run(ctx, fn);
    },
    /** A comm_msg from the frontend. */
    frontend(commId: string, data: JSONObject, buffers: Buffer[] = []): Promise<boolean> {
      return comms.frontendMsg(commId, data, buffers);
    },
    frontendClose(commId: string): Promise<boolean> {
      return comms.frontendClose(commId, {});
    },
    /** comm_msg data sent on a comm since index `since`. */
    commData(commId: string, since = 0): Record<string, unknown>[] {
      output.flush();
      return sent
        .slice(since)
        .filter((m) => m.msgType === "comm_msg" && m.content.comm_id === commId)
        .map((m) => m.content.data as Record<string, unknown>);
    },
    /** The parent msg_id of a published message. */
    parentOf(m: Published): string | undefined {
      return (m.parent as Partial<Header>).msg_id;
    },
  };
}
