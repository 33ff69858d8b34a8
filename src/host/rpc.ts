// Request/response and events between threads over a MessagePort-like endpoint (Worker, parentPort,
// MessagePort). Errors cross as {name, message, stack} and are rebuilt as Error objects on the caller's side.
import { log } from "../wire/log.js";

export interface Endpoint {
  postMessage(value: unknown): void;
  on(event: "message", listener: (value: unknown) => void): unknown;
}

type Wire =
  | { rpc: "call"; id: number; method: string; args: unknown[] }
  | { rpc: "result"; id: number; ok: true; value: unknown }
  | { rpc: "result"; id: number; ok: false; error: { name: string; message: string; stack?: string } }
  | { rpc: "event"; name: string; payload: unknown[] };

type AnyFn = (...args: never[]) => unknown;

export class RpcPeer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly methods = new Map<string, AnyFn>();
  private readonly events = new Map<string, (...payload: never[]) => void>();

  constructor(private readonly endpoint: Endpoint) {
    endpoint.on("message", (value) => this.onMessage(value as Wire));
  }

  call<T>(method: string, ...args: unknown[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.endpoint.postMessage({ rpc: "call", id, method, args } satisfies Wire);
    });
  }

  emit(name: string, ...payload: unknown[]): void {
    this.endpoint.postMessage({ rpc: "event", name, payload } satisfies Wire);
  }

  /** Serve every method of `impl` named in `names`. */
  serve(methods: Record<string, AnyFn>): void {
    for (const [name, fn] of Object.entries(methods)) this.methods.set(name, fn);
  }

  on(name: string, handler: (...payload: never[]) => void): void {
    this.events.set(name, handler);
  }

  /** Rejects every call still waiting (the peer went away). */
  failAll(reason: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new Error(reason));
    }
  }

  private onMessage(msg: Wire): void {
    if (typeof msg !== "object" || msg === null || !("rpc" in msg)) return;
    switch (msg.rpc) {
      case "call":
        void this.answer(msg.id, msg.method, msg.args);
        return;
      case "result": {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name, stack: msg.error.stack }));
        return;
      }
      case "event": {
        const handler = this.events.get(msg.name);
        if (!handler) {
          log.warn(`no handler for thread event ${msg.name}`);
          return;
        }
        try {
          (handler as (...p: unknown[]) => void)(...msg.payload);
        } catch (err) {
          log.error(`handler for thread event ${msg.name} threw:`, err);
        }
      }
    }
  }

  private async answer(id: number, method: string, args: unknown[]): Promise<void> {
    const fn = this.methods.get(method);
    try {
      if (!fn) throw new Error(`no such method ${method}`);
      const value = await (fn as (...a: unknown[]) => unknown)(...args);
      this.endpoint.postMessage({ rpc: "result", id, ok: true, value } satisfies Wire);
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      this.endpoint.postMessage({
        rpc: "result",
        id,
        ok: false,
        error: { name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) },
      } satisfies Wire);
    }
  }
}
