// Typed calls and events between threads over a MessagePort-like endpoint (Worker, parentPort, MessagePort).
// Each side names the contract (src/session/contract.ts): `serve<Api>(peer, impl)` answers its calls,
// `connect<Api>(peer)` gives a proxy whose methods send them, `emitter<Events>(peer)` and `listen<Events>(peer, …)`
// carry events. A renamed method or a changed argument is a compile error on both sides. Errors cross as
// {name, message, stack} and are rebuilt as Error objects on the caller's side.
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

/** Events a side sends: each name with the tuple of its arguments. */
export type EventMap = Record<string, unknown[]>;

/** An API as its caller sees it across a thread: every method returns a promise of what it returns. */
export type Remote<A> = {
  readonly [K in keyof A]: A[K] extends (...args: infer P) => infer R ? (...args: P) => Promise<Awaited<R>> : never;
};

/** One handler per event: a missing one is a compile error. */
export type Handlers<E extends EventMap> = { [K in keyof E]: (...payload: E[K]) => void };

export type Emit<E extends EventMap> = <K extends keyof E & string>(name: K, ...payload: E[K]) => void;

/** The untyped wire under `serve`/`connect`/`emitter`/`listen`: one per endpoint and direction of use. */
export class RpcPeer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private impl: object | undefined;
  private handlers: Partial<Record<string, (...payload: unknown[]) => void>> = {};

  /** @param self this side's name, for errors the other side reads ("the language worker has no method …") */
  constructor(
    private readonly endpoint: Endpoint,
    private readonly self: string,
  ) {
    endpoint.on("message", (value) => this.onMessage(value as Wire));
  }

  call(method: string, args: unknown[]): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.endpoint.postMessage({ rpc: "call", id, method, args } satisfies Wire);
      } catch (err) {
        this.pending.delete(id); // an argument that cannot be cloned: the call never left
        throw err;
      }
    });
  }

  emit(name: string, payload: unknown[]): void {
    this.endpoint.postMessage({ rpc: "event", name, payload } satisfies Wire);
  }

  handle(impl: object): void {
    if (this.impl) throw new Error(`${this.self} already serves calls on this endpoint`);
    this.impl = impl;
  }

  listen(handlers: object): void {
    this.handlers = { ...this.handlers, ...(handlers as Record<string, (...payload: unknown[]) => void>) };
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
        const handler = Object.hasOwn(this.handlers, msg.name) ? this.handlers[msg.name] : undefined;
        if (!handler) {
          log.warn(`${this.self}: no handler for thread event ${msg.name}`);
          return;
        }
        try {
          handler(...msg.payload);
        } catch (err) {
          log.error(`${this.self}: handler for thread event ${msg.name} threw:`, err);
        }
      }
    }
  }

  /** The method `name` of the served object (its own or its class's), never one every object has. */
  private method(name: string): ((...args: unknown[]) => unknown) | undefined {
    if (!this.impl || name in Object.prototype) return undefined;
    const fn = (this.impl as Record<string, unknown>)[name];
    return typeof fn === "function" ? (fn as (...args: unknown[]) => unknown).bind(this.impl) : undefined;
  }

  private async answer(id: number, method: string, args: unknown[]): Promise<void> {
    try {
      const fn = this.method(method);
      if (!fn) throw new Error(`${this.self} has no method "${method}"`);
      const value = await fn(...args);
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

/** Answers the other side's calls of `A` with `impl` (an object or a class instance implementing `A`). */
export function serve<A extends object>(peer: RpcPeer, impl: A): void {
  peer.handle(impl);
}

/** The other side's `A`: each method sends a call and resolves with its result (or rejects with its error). */
export function connect<A extends object>(peer: RpcPeer): Remote<A> {
  return new Proxy({} as Remote<A>, {
    // `then` stays undefined, so that awaiting the proxy itself is not mistaken for a call.
    get: (_target, name) => (typeof name === "string" && name !== "then" ? (...args: unknown[]) => peer.call(name, args) : undefined),
  });
}

/** Sends the events of `E` to the other side. */
export function emitter<E extends EventMap>(peer: RpcPeer): Emit<E> {
  return (name, ...payload) => peer.emit(name, payload);
}

/** Handles the events of `E` from the other side, one handler per event. */
export function listen<E extends EventMap>(peer: RpcPeer, handlers: Handlers<E>): void {
  peer.listen(handlers);
}
