// Deadlock detection through the real kernel: a cell whose await nothing can settle ends with `Deadlock`
// (detected in ~200 ms; this file bounds only hangs) naming the stuck awaits; waits on real timers, servers, workers and input are left alone.
import { connect } from "node:net";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { kernelBuilt, plain } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";

const strip = stripVTControlCharacters;
/** stderr without the runtime's "blocked the event loop" lines (load-dependent; guarded by their own tests above). */
const withoutBlockedLoopWarnings = (stderr: string) =>
  stderr
    .split("\n")
    .filter((line) => !line.startsWith("warning: blocked the event loop for "))
    .join("\n");

describe.runIf(kernelBuilt())("deadlock detection through the real kernel", () => {
  const session = useKernel("deadlock");

  it("ends a cell awaiting a promise nothing can settle with Deadlock instead of waiting forever", async () => {
    const kernel = session();
    await kernel.execute("const before = 'kept';");
    // Detection takes ~200 ms, but the time to the reply includes the cell's type check, seconds on a loaded
    // machine: the bound only catches a cell left hanging (the awaited promise never settles by itself).
    const r = await kernel.execute("await new Promise<void>(() => {});", { timeoutMs: 30_000 });
    expect(r.reply.content.ename).toBe("Deadlock");
    expect(plain((await kernel.execute("before")).outputs.results[0])).toBe("'kept'");
  });

  it("names both await lines of two tasks that each hold one lock and wait for the other", async () => {
    const kernel = session();
    const code = [
      "class Lock {",
      "  private held: Promise<void> = Promise.resolve();",
      "  async acquire(): Promise<() => void> {",
      "    let release!: () => void;",
      "    const previous = this.held;",
      "    this.held = new Promise<void>((r) => (release = r));",
      "    await previous;",
      "    return release;",
      "  }",
      "}",
      "const lockA = new Lock();",
      "const lockB = new Lock();",
      "async function first() {",
      "  const releaseA = await lockA.acquire();",
      "  await sleep(20);",
      "  const releaseB = await lockB.acquire();",
      "  releaseB(); releaseA();",
      "}",
      "async function second() {",
      "  const releaseB = await lockB.acquire();",
      "  await sleep(20);",
      "  const releaseA = await lockA.acquire();",
      "  releaseA(); releaseB();",
      "}",
      "await Promise.all([first(), second()]);",
    ].join("\n");
    const r = await kernel.execute(code);
    expect(r.reply.content.ename).toBe("Deadlock");
    const text = strip(String(r.reply.content.evalue));
    expect(text).toMatch(/line 16: waits for lockB\.acquire\(\)/);
    expect(text).toMatch(/line 22: waits for lockA\.acquire\(\)/);
    expect(plain((await kernel.execute("typeof lockA")).outputs.results[0])).toBe("'object'");
  });

  it("does not flag a 2 s sleep", async () => {
    const kernel = session();
    const r = await kernel.execute("await sleep(2000); 'slept'");
    expect(plain(r.outputs.results[0])).toBe("'slept'");
  });

  it("does not flag a server waiting for its first connection", async () => {
    const kernel = session();
    // The first connection that says who it is: another test's client that lands on this ephemeral port (a port a
    // helper found free and let go) must not end the wait (CI saw ECONNREFUSED: the server had closed for it).
    const cell = kernel.sendExecute(
      "import net from 'node:net';\nconst server = net.createServer();\nconst firstConnection = new Promise<void>((resolve) => server.on('connection', (s) => s.once('data', (d) => { s.end(); if (String(d) === 'deadlock-test') resolve(); })));\nawait new Promise<void>((r) => server.listen(0, '127.0.0.1', r));\nconsole.log('PORT', (server.address() as net.AddressInfo).port);\nawait firstConnection;\nserver.close();\n'connected'",
    );
    const portLine = await kernel.waitFor((m) => m.header.msg_type === "stream" && /PORT \d+/.test(String(m.content.text)), 10_000);
    const port = Number(/PORT (\d+)/.exec(String(portLine.content.text))?.[1]);
    await new Promise((r) => setTimeout(r, 1500));
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write("deadlock-test");
        resolve();
      });
      socket.on("error", reject);
      socket.on("data", () => undefined);
    });
    const r = await kernel.collect(cell);
    expect(plain(r.outputs.results[0])).toBe("'connected'");
  });

  it("does not flag a worker-thread job that takes 1.5 s", async () => {
    const kernel = session();
    const r = await kernel.execute(
      "import { Worker } from 'node:worker_threads';\nconst job = new Worker('const t = Date.now(); while (Date.now() - t < 1500) {} require(\"node:worker_threads\").parentPort.postMessage(42);', { eval: true });\nawait new Promise((resolve) => job.once('message', resolve))",
    );
    expect(plain(r.outputs.results[0])).toBe("42");
  });

  it("does not flag input() answered after 1 s", async () => {
    const kernel = session();
    const r = await kernel.execute("await input('name? ')", {
      input: () => {
        const t = Date.now();
        while (Date.now() - t < 1000) {
          // the test client answers after a second
        }
        return "Ada";
      },
    });
    expect(plain(r.outputs.results[0])).toBe("'Ada'");
  });
});

describe.runIf(kernelBuilt())("blocked event loop warnings through the real kernel", () => {
  const session = useKernel("blocked");

  it("warns about a 300 ms synchronous loop while a 10 ms timer is due, naming the loop's line and the lateness", async () => {
    const kernel = session();
    const r = await kernel.execute("setTimeout(() => {}, 10);\nconst t0 = Date.now();\nwhile (Date.now() - t0 < 300) {}");
    const text = strip(r.outputs.stderr);
    expect(text).toMatch(/blocked the event loop for \d{3} ms at line 3 of cell \[\d+\]/);
    const late = Number(/ran up to (\d+) ms late/.exec(text)?.[1]);
    expect(late).toBeGreaterThanOrEqual(200);
  });

  it("stays quiet for a busy loop with nothing due, and when silenced", async () => {
    const kernel = session();
    const quiet = await kernel.execute("const t1 = Date.now();\nwhile (Date.now() - t1 < 200) {}");
    expect(quiet.outputs.stderr).toBe("");
    const silenced = await kernel.execute("// @warnings off\nsetTimeout(() => {}, 10);\nconst t2 = Date.now();\nwhile (Date.now() - t2 < 200) {}");
    expect(silenced.outputs.stderr).toBe("");
  });
});

describe.runIf(kernelBuilt())("lost-update warnings through the real kernel", () => {
  const session = useKernel("race");

  it("warns about the tutorial's lost-update counter, and the race really loses updates", async () => {
    const kernel = session();
    const r = await kernel.execute(
      "let counter = 0;\nasync function increment() {\n  const v = counter;\n  await sleep(1);\n  counter = v + 1;\n}\nawait Promise.all(Array.from({ length: 10 }, () => increment()));\ncounter",
    );
    const text = strip(r.outputs.stderr);
    expect(text).toMatch(/warning \(line 5\): possible lost update: `counter` is read on line 3, the function awaits on line 4/);
    expect(plain(r.outputs.results[0])).toBe("1");
  });
});

describe.runIf(kernelBuilt())("forgotten-await warnings through the real kernel", () => {
  const session = useKernel("floating");

  it("warns at the line of an async call whose promise is dropped, and still runs the cell", async () => {
    const kernel = session();
    const r = await kernel.execute("let saved = 0;\nasync function save(n: number) { await sleep(10); saved = n; }\nsave(1);\n'ran'");
    expect(strip(r.outputs.stderr)).toMatch(/warning \(line 3\): the promise of `save\(1\)` is neither awaited nor handled/);
    expect(plain(r.outputs.results[0])).toBe("'ran'");
  });

  it("stays quiet for void, await, an assignment, and .catch", async () => {
    const kernel = session();
    const r = await kernel.execute("void save(2);\nawait save(3);\nconst pending = save(4);\nsave(5).catch(() => {});\nawait pending;");
    // The runtime's blocked-loop warning is about the machine, not this cell's code: on a starved CPU its await
    // resumes late and the sleep timer looks overdue. Every other line of stderr (a forgotten-await warning above all)
    // must be absent.
    expect(withoutBlockedLoopWarnings(strip(r.outputs.stderr))).toBe("");
  });
});
