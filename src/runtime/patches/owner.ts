// The one owner of everything the runtime patches in the process. `install(table)` applies a declared table of
// patches (./table.ts) in order, recording for each property exactly what was there (its descriptor, or that there
// was none) and the real value it wrapped; it returns `uninstall()`, which puts every one of them back. A table that
// fails half-way is rolled back before the error is thrown. While a property is patched, `real(target, key)` answers
// the value that was there before — the kernel's own timers and exit use it, whatever was loaded first.
import { syncBuiltinESMExports } from "node:module";
import { type Patch, type PropertyPatch, type ListenerPatch, type Uninstall, isListener } from "./table.js";

export class ProcessPatches {
  /** patched properties → the real value each replaced */
  private readonly reals = new WeakMap<object, Map<PropertyKey, unknown>>();

  /** Applies `table` in order; returns the function that undoes all of it (once; later calls do nothing). */
  install(table: readonly Patch[]): Uninstall {
    const undo: Uninstall[] = [];
    const syncModules = table.some((p) => !isListener(p) && p.builtinModule === true);
    for (const patch of table) {
      try {
        undo.push(isListener(patch) ? addListener(patch) : this.replace(patch));
      } catch (err) {
        const rollback = unwind(undo, syncModules);
        const message = `could not install the process patch ${patch.name}: ${err instanceof Error ? err.message : String(err)}`;
        throw rollback ? new AggregateError([err, rollback], message) : new Error(message, { cause: err });
      }
    }
    if (syncModules) syncBuiltinESMExports();
    let installed = true;
    return () => {
      if (!installed) return;
      installed = false;
      const failed = unwind(undo, syncModules);
      if (failed) throw failed;
    };
  }

  /** What `target[key]` was before a patch replaced it; its current value when no patch of this owner holds it. */
  real<T>(target: object, key: PropertyKey): T {
    const slots = this.reals.get(target);
    return (slots?.has(key) ? slots.get(key) : Reflect.get(target, key)) as T;
  }

  /** Whether a patch of this owner holds `target[key]` now. */
  holds(target: object, key: PropertyKey): boolean {
    return this.reals.get(target)?.has(key) === true;
  }

  /**
   * Runs `fn`, then puts each of `properties` back as it was before, whatever `fn` did to them: for a library that
   * changes process-wide hooks as a side effect of something else (ts-node's `create()` installs source-map-support).
   */
  undoSideEffects<T>(properties: readonly (readonly [object, PropertyKey])[], fn: () => T): T {
    const before = properties.map(([target, key]) => ({ target, key, descriptor: Object.getOwnPropertyDescriptor(target, key) }));
    try {
      return fn();
    } finally {
      for (const { target, key, descriptor } of before) restore(target, key, descriptor);
    }
  }

  private replace(patch: PropertyPatch): Uninstall {
    const { target, key } = patch;
    let slots = this.reals.get(target);
    if (slots?.has(key)) throw new Error("it is patched already (uninstall the patches that hold it first)");
    const before = Object.getOwnPropertyDescriptor(target, key);
    const real: unknown = Reflect.get(target, key);
    const value = patch.replacement(real);
    const wasData = before !== undefined && "value" in before;
    Object.defineProperty(target, key, {
      value,
      writable: patch.attributes?.writable ?? (wasData ? before.writable : true),
      enumerable: patch.attributes?.enumerable ?? before?.enumerable ?? false,
      configurable: true,
    });
    if (!slots) this.reals.set(target, (slots = new Map()));
    slots.set(key, real);
    return () => {
      slots.delete(key);
      restore(target, key, before);
    };
  }
}

function addListener(patch: ListenerPatch): Uninstall {
  const listener = patch.listener as (...args: unknown[]) => void;
  patch.emitter.on(patch.event, listener);
  return () => void patch.emitter.off(patch.event, listener);
}

/** `target[key]` back to `descriptor` (none: the property is deleted). */
function restore(target: object, key: PropertyKey, descriptor: PropertyDescriptor | undefined): void {
  if (descriptor) Object.defineProperty(target, key, descriptor);
  else if (!Reflect.deleteProperty(target, key)) throw new Error(`could not delete ${String(key)}`);
}

/** Undoes `applied` in reverse order, every one even when one fails; the failures, if any, as one error. */
function unwind(applied: Uninstall[], syncModules: boolean): Error | undefined {
  const errors: unknown[] = [];
  for (const undo of applied.reverse()) {
    try {
      undo();
    } catch (err) {
      errors.push(err);
    }
  }
  if (syncModules) syncBuiltinESMExports();
  return errors.length === 0 ? undefined : new AggregateError(errors, `could not undo ${errors.length} process patch(es)`);
}

/** The process's one owner: the runtime installs through it, and the kernel's own code asks it for real functions. */
export const processPatches = new ProcessPatches();

/** The process's real exit, for the kernel's own shutdown (user code sees a guarded process.exit). */
export function realExit(code: number): never {
  return processPatches.real<typeof process.exit>(process, "exit").call(process, code);
}
