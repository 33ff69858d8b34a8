// Routes console.* and process.stdout/stderr writes from user code to the cell that owns the running code.
// A fresh Console over our own Writables (as vitest does) instead of patching Console internals; the
// process streams' write methods are redirected too, for code that writes to them directly.
import { Console } from "node:console";
import { Writable } from "node:stream";
import type { StreamName } from "../protocol/messages.js";
import { currentCell } from "./context.js";
import type { OutputSink } from "./output.js";

/** `console.*` from cells; `mapText` rewrites what the console formatted (stack traces of logged errors → cell lines). */
export function installConsole(output: OutputSink, mapText: (text: string) => string = (text) => text): void {
  const originals = {
    stdout: process.stdout.write.bind(process.stdout),
    stderr: process.stderr.write.bind(process.stderr),
  };
  const sink = (name: StreamName, chunk: unknown, encoding?: BufferEncoding): void => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(encoding ?? "utf8");
    const ctx = currentCell();
    if (ctx) output.stream(ctx.parent, name, text);
    else originals[name](text);
  };
  const writable = (name: StreamName) =>
    new Writable({
      decodeStrings: false,
      write(chunk: unknown, encoding: BufferEncoding, callback: (err?: Error | null) => void) {
        sink(name, typeof chunk === "string" ? mapText(chunk) : chunk, encoding);
        callback();
      },
    });
  const cellConsole = new Console({ stdout: writable("stdout"), stderr: writable("stderr"), colorMode: false });
  Object.defineProperty(globalThis, "console", { value: cellConsole, writable: true, configurable: true, enumerable: false });
  for (const name of ["stdout", "stderr"] as const) {
    const stream = process[name];
    stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
      const cb = typeof encoding === "function" ? encoding : callback;
      sink(name, chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : undefined);
      if (typeof cb === "function") process.nextTick(cb as () => void);
      return true;
    }) as typeof stream.write;
  }
}
