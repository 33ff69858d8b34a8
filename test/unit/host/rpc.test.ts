// Typed calls and events between threads (src/host/rpc.ts): over a real MessageChannel (structured clone, the
// real port), and into a real worker thread running the built module.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { MessageChannel, Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { RpcPeer, connect, emitter, listen, serve } from "../../../src/host/rpc.js";

interface CalcApi {
  add(a: number, b: number): Promise<number>;
  fail(message: string): Promise<never>;
  echo(value: { when: Date; bytes: Uint8Array }): Promise<{ when: Date; bytes: Uint8Array }>;
}

type CalcEvents = {
  tick: [n: number, label: string];
  done: [];
};

class Calc implements CalcApi {
  private readonly base = 0;
  async add(a: number, b: number): Promise<number> {
    return this.base + a + b; // a class method: `this` is the instance
  }
  async fail(message: string): Promise<never> {
    throw Object.assign(new RangeError(message), { code: "E_TEST" });
  }
  async echo(value: { when: Date; bytes: Uint8Array }) {
    return value;
  }
  secret(): string {
    return "not part of CalcApi, but a method of the instance";
  }
}

const ports: MessageChannel[] = [];
afterEach(() => {
  for (const channel of ports.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

function pair(): { server: RpcPeer; client: RpcPeer } {
  const channel = new MessageChannel();
  ports.push(channel);
  return { server: new RpcPeer(channel.port1, "the calc thread"), client: new RpcPeer(channel.port2, "the test thread") };
}

describe("typed RPC over a MessageChannel", () => {
  it("answers a call with the served object's result, methods of a class instance included", async () => {
    const { server, client } = pair();
    serve<CalcApi>(server, new Calc());
    const calc = connect<CalcApi>(client);
    expect(await calc.add(2, 40)).toBe(42);
  });

  it("carries structured-clone values (a Date, bytes) both ways", async () => {
    const { server, client } = pair();
    serve<CalcApi>(server, new Calc());
    const back = await connect<CalcApi>(client).echo({ when: new Date(0), bytes: new Uint8Array([1, 2, 3]) });
    expect(back.when).toBeInstanceOf(Date);
    expect(back.when.getTime()).toBe(0);
    expect([...back.bytes]).toEqual([1, 2, 3]);
  });

  it("rejects with the thrown error's name, message and stack", async () => {
    const { server, client } = pair();
    serve<CalcApi>(server, new Calc());
    const error = await connect<CalcApi>(client).fail("out of range").catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("RangeError");
    expect(error.message).toBe("out of range");
    expect(error.stack).toContain("Calc.fail");
  });

  it.each([
    ["a method the served object does not have", "multiply"],
    ["a method every object has", "toString"],
    ["the constructor", "constructor"],
  ])("rejects %s with an error naming the thread and the method", async (_what, method) => {
    const { server, client } = pair();
    serve<CalcApi>(server, new Calc());
    await expect(client.call(method, [])).rejects.toThrow(`the calc thread has no method "${method}"`);
  });

  it("rejects every call when nothing is served on the other side", async () => {
    const { client } = pair();
    await expect(connect<CalcApi>(client).add(1, 2)).rejects.toThrow('the calc thread has no method "add"');
  });

  it("refuses a second object served on the same endpoint", () => {
    const { server } = pair();
    serve<CalcApi>(server, new Calc());
    expect(() => serve<CalcApi>(server, new Calc())).toThrow("the calc thread already serves calls on this endpoint");
  });

  it("rejects a call whose argument cannot be cloned, and forgets it", async () => {
    const { server, client } = pair();
    serve<CalcApi>(server, new Calc());
    await expect(client.call("add", [() => 1, 2])).rejects.toThrow(/could not be cloned/);
    expect(await connect<CalcApi>(client).add(1, 2)).toBe(3);
  });

  it("delivers typed events in the order they were sent", async () => {
    const { server, client } = pair();
    const seen: string[] = [];
    const done = new Promise<void>((resolve) =>
      listen<CalcEvents>(server, {
        tick: (n, label) => void seen.push(`${label}${n}`),
        done: () => resolve(),
      }),
    );
    const emit = emitter<CalcEvents>(client);
    for (let i = 0; i < 5; i++) emit("tick", i, "t");
    emit("done");
    await done;
    expect(seen).toEqual(["t0", "t1", "t2", "t3", "t4"]);
  });

  it("rejects the calls still waiting when the other side goes away", async () => {
    const { client } = pair(); // nobody answers on the other port
    const waiting = connect<CalcApi>(client).add(1, 2);
    client.failAll("the calc thread stopped");
    await expect(waiting).rejects.toThrow("the calc thread stopped");
  });

  it("is not thenable: awaiting the proxy itself sends nothing", async () => {
    const { client } = pair();
    const calc = connect<CalcApi>(client);
    expect(await Promise.resolve(calc)).toBe(calc);
  });

  it("makes a wrong name or argument a compile error (checked by npm run typecheck)", () => {
    const { server, client } = pair();
    const calc = connect<CalcApi>(client);
    const emit = emitter<CalcEvents>(client);
    const typeErrors = () => {
      // @ts-expect-error: CalcApi has no `multiply`
      void calc.multiply(1, 2);
      // @ts-expect-error: `add` takes numbers
      void calc.add("1", 2);
      // @ts-expect-error: `tick` carries a number and a label
      emit("tick", "1");
      // @ts-expect-error: no event `tock`
      emit("tock");
      // @ts-expect-error: a served object must implement the whole API
      serve<CalcApi>(server, { add: async (a: number, b: number) => a + b });
      // @ts-expect-error: every event needs a handler
      listen<CalcEvents>(server, { tick: () => undefined });
    };
    expect(typeof typeErrors).toBe("function"); // never called: the point is that it compiles only with the errors
  });
});

const DIST_RPC = join(__dirname, "..", "..", "..", "dist", "host", "rpc.js");

describe.runIf(existsSync(DIST_RPC) || process.env.CI)("typed RPC with a real worker thread", () => {
  it("calls into a worker, gets its errors, and hears its events", async () => {
    const worker = new Worker(
      `const { parentPort } = require("node:worker_threads");
       const { RpcPeer, serve, emitter } = require(${JSON.stringify(DIST_RPC)});
       const peer = new RpcPeer(parentPort, "the worker");
       const emit = emitter(peer);
       serve(peer, {
         async add(a, b) { emit("tick", a + b, "sum"); return a + b; },
         async fail(message) { throw new TypeError(message); },
       });`,
      { eval: true },
    );
    try {
      const peer = new RpcPeer(worker, "the test thread");
      const ticks: string[] = [];
      listen<CalcEvents>(peer, { tick: (n, label) => void ticks.push(`${label}=${n}`), done: () => undefined });
      const calc = connect<CalcApi>(peer);
      expect(await calc.add(20, 22)).toBe(42);
      expect(ticks).toEqual(["sum=42"]); // the event was posted before the result, on the same port
      await expect(calc.fail("bad input")).rejects.toMatchObject({ name: "TypeError", message: "bad input" });
      await expect(peer.call("echo", [])).rejects.toThrow('the worker has no method "echo"');
    } finally {
      await worker.terminate();
    }
  });
});
