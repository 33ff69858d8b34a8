// Routes console.* and process.stdout/stderr writes from user code to the cell that owns the running code.
// A fresh Console over our own Writables (as vitest does) instead of patching Console internals; the
// process streams' write methods are redirected too, for code that writes to them directly. Both are entries of
// the runtime's patch table (./patches/); outside a cell, writes go to the streams' real write methods.
import { Console } from "node:console";
import { Writable } from "node:stream";
import type { StreamName } from "../protocol/messages.js";
import { currentCell } from "./context.js";
import type { OutputSink } from "./output.js";
import type { Patch } from "./patches/table.js";

type Write = (chunk: unknown) => boolean;

/** `console.*` from cells, and the process streams' writes; `mapText` rewrites what the console formatted (stack
 *  traces of logged errors → cell lines). */
export function consolePatches(output: OutputSink, mapText: (text: string) => string = (text) => text): Patch[] {
  const originals: Partial<Record<StreamName, Write>> = {};
  const sink = (name: StreamName, chunk: unknown, encoding?: BufferEncoding): void => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(encoding ?? "utf8");
    const ctx = currentCell();
    if (ctx) output.stream(ctx.parent, name, text);
    else originals[name]?.(text);
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
  const streamWrite = (name: StreamName): Patch => ({
    name: `process.${name}.write`,
    target: process[name],
    key: "write",
    attributes: { enumerable: true, writable: true }, // as an assignment makes it
    replacement: (real) => {
      originals[name] = (real as Write).bind(process[name]);
      return (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
        const cb = typeof encoding === "function" ? encoding : callback;
        sink(name, chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : undefined);
        if (typeof cb === "function") process.nextTick(cb as () => void);
        return true;
      };
    },
  });
  return [
    { name: "globalThis.console", target: globalThis, key: "console", attributes: { enumerable: false, writable: true }, replacement: () => cellConsole },
    streamWrite("stdout"),
    streamWrite("stderr"),
  ];
}
