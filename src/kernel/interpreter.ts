// The one interface between the protocol side and the language side. The kernel layer owns counts,
// busy/idle, execute_input and replies; an Interpreter compiles, runs, completes and inspects, and
// publishes outputs through the injected `Frontend` — it never sees a socket or builds a header.
import type { CompleteReplyOk, Header, InspectReplyOk, IsCompleteReply, JSONObject, LanguageInfo, ParentRef } from "../protocol/messages.js";
import type { ExecuteOutcome } from "../session/contract.js";

export type { ExecuteOutcome };

/** What the interpreter may do towards the frontend. Every call is attributed to a parent message. */
export interface Frontend {
  /** Publish on iopub: stream, display_data, update_display_data, clear_output, error, comm_* … */
  publish(parent: ParentRef, msgType: string, content: JSONObject, metadata?: JSONObject, buffers?: Buffer[]): void;
  /** Ask the frontend for a line of input (stdin channel); rejects when the request did not allow stdin. */
  requestInput(parent: Header, prompt: string, password: boolean): Promise<string>;
}

export interface CellRequest {
  code: string;
  silent: boolean;
  storeHistory: boolean;
  allowStdin: boolean;
  userExpressions: Record<string, string>;
  executionCount: number;
  /** The execute_request's header: every output of this cell, now or later, names it as parent. */
  parent: Header;
  /** `metadata.cellId` sent by JupyterLab and VS Code, if any. */
  cellId?: string;
}

export interface KernelIdentityInfo {
  implementation: string;
  implementationVersion: string;
  languageInfo: LanguageInfo;
  banner: string;
  helpLinks: { text: string; url: string }[];
}

export interface Interpreter {
  info(): KernelIdentityInfo;
  execute(request: CellRequest): Promise<ExecuteOutcome>;
  /** `cursorPos` is a UTF-16 offset here; the kernel converts code points at the protocol edge. */
  complete(code: string, cursorPos: number): Promise<CompleteReplyOk>;
  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectReplyOk>;
  isComplete(code: string): Promise<IsCompleteReply>;
  /** Stop whatever user code runs now; the session keeps its state. Must not block. */
  interrupt(): void;
  /** Comm messages from the frontend; resolve to false when the comm or target is unknown. */
  commOpen?(parent: Header, commId: string, targetName: string, data: JSONObject, buffers: Buffer[]): Promise<boolean>;
  commMsg?(parent: Header, commId: string, data: JSONObject, buffers: Buffer[]): Promise<boolean>;
  commClose?(parent: Header, commId: string, data: JSONObject): Promise<boolean>;
  shutdown(restart: boolean): Promise<void>;
}
