// The shape of a process patch: what the runtime replaces in the process (a property of a global object, a builtin
// module's export, a listener on `process`), declared as data so that one owner (./owner.ts) can install a table
// of them, remember exactly what was there, and put it back.

/** Replace `target[key]` with `replacement(real)`, `real` being what was there when the patch was installed. */
export interface PropertyPatch {
  /** what the patch is, for error messages: `globalThis.setTimeout` */
  name: string;
  target: object;
  key: PropertyKey;
  /** the new value, made from the real one (a wrapper) or ignoring it (a new global) */
  replacement: (real: unknown) => unknown;
  /** attributes of the new property; a property that was already there keeps its own unless given here
   *  (a new one is writable, configurable and not enumerable unless given here) */
  attributes?: { enumerable?: boolean; writable?: boolean };
  /** `target` is a builtin module's exports (`node:timers`): ES module importers see the change too */
  builtinModule?: boolean;
}

/** Add `listener` for `event` on `emitter` (process's uncaughtException, …). */
export interface ListenerPatch {
  name: string;
  emitter: NodeJS.EventEmitter;
  event: string;
  listener: (...args: never[]) => void;
}

export type Patch = PropertyPatch | ListenerPatch;

/** Puts back what `install` replaced; calling it again does nothing. */
export type Uninstall = () => void;

export function isListener(patch: Patch): patch is ListenerPatch {
  return "emitter" in patch;
}

/** A patch that defines a value (a global of the cell API, say) regardless of what was there. */
export function defineValue(name: string, target: object, key: PropertyKey, value: unknown, attributes?: PropertyPatch["attributes"]): PropertyPatch {
  return { name, target, key, replacement: () => value, ...(attributes ? { attributes } : {}) };
}
