// A promise-based Chrome DevTools Protocol session with the main thread's V8, opened from the I/O worker
// (`inspector.Session#connectToMainThread`): the worker keeps running while the main thread is paused, so
// it can answer Jupyter while user code sits at a breakpoint. Event handlers run on the worker's loop.
import { Session } from "node:inspector";

export interface RemoteObject {
  type: string;
  subtype?: string;
  className?: string;
  value?: unknown;
  unserializableValue?: string;
  description?: string;
  objectId?: string;
  /** with generatePreview: the first few properties */
  preview?: { overflow: boolean; properties: { name: string; type: string; value?: string; subtype?: string }[] };
}

export interface Location {
  scriptId: string;
  lineNumber: number;
  columnNumber?: number;
}

export interface CallFrame {
  callFrameId: string;
  functionName: string;
  location: Location;
  url: string;
  scopeChain: { type: string; object: RemoteObject; name?: string }[];
  this: RemoteObject;
}

export interface RuntimeCallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface StackTrace {
  description?: string;
  callFrames: RuntimeCallFrame[];
  parent?: StackTrace;
}

export interface PausedEvent {
  callFrames: CallFrame[];
  reason: string;
  data?: Record<string, unknown>;
  hitBreakpoints?: string[];
  asyncStackTrace?: StackTrace;
}

export interface PropertyDescriptor {
  name: string;
  value?: RemoteObject;
  get?: RemoteObject;
  enumerable?: boolean;
  isOwn?: boolean;
}

export interface EvaluateResult {
  result: RemoteObject;
  exceptionDetails?: { text: string; exception?: RemoteObject };
}

export class Cdp {
  private readonly session = new Session();
  private connected = false;

  connect(): void {
    this.session.connectToMainThread();
    this.connected = true;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  post<T = Record<string, unknown>>(method: string, params: object = {}): Promise<T> {
    return new Promise((resolve, reject) => {
      this.session.post(method, params, (err, result) => (err ? reject(new Error(`${method}: ${err.message}`)) : resolve(result as T)));
    });
  }

  on<T>(event: string, handler: (params: T) => void): void {
    this.session.on(event, (message: { params: T }) => handler(message.params));
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    this.session.disconnect();
  }
}
