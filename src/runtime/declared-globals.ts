// The globals a cell declares: created before the cell runs (so strict-mode code can assign them), and after a
// failure put back as they were — except the names whose initialisers completed (`__tsloop.defined`), which the
// cell keeps, as IPython keeps what ran before an exception. See docs/architecture.md.
import { log } from "../wire/log.js";
import { CELL_GLOBAL } from "../session/cell-globals.js";

export type Saved = { name: string; descriptor: PropertyDescriptor | undefined }[];

/** Creates each declared name as a plain global (so cell code can assign it), remembering what was there. */
export function declareGlobals(names: string[]): Saved {
  const saved: Saved = [];
  const g = globalThis as Record<string, unknown>;
  for (const name of names) {
    if (name === CELL_GLOBAL) continue; // the runtime's own global is read-only: a cell cannot replace it
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
    saved.push({ name, descriptor });
    if (!descriptor) Object.defineProperty(g, name, { value: undefined, writable: true, configurable: true, enumerable: true });
    else if (descriptor.configurable && (descriptor.writable === false || (descriptor.get && !descriptor.set))) {
      // A read-only global such as Node's `crypto` getter: the cell's declaration replaces it, as it would shadow it.
      Object.defineProperty(g, name, { value: g[name], writable: true, configurable: true, enumerable: descriptor.enumerable ?? true });
    }
  }
  return saved;
}

/** A failed cell leaves no half-made declarations: each declared name not `defined` gets back what it was
 *  before. Returns those names. */
export function restoreGlobals(saved: Saved, defined: ReadonlySet<string>): string[] {
  const dropped: string[] = [];
  for (const { name, descriptor } of saved.reverse()) {
    if (defined.has(name)) continue;
    dropped.unshift(name);
    try {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else delete (globalThis as Record<string, unknown>)[name];
    } catch (err) {
      log.warn(`could not restore global ${name} after a failed cell:`, err);
    }
  }
  return dropped;
}
