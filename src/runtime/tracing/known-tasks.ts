// Which task a promise (or handle) stands for. The await hook asks this of every value a cell awaits, so the
// answer for an unknown promise — nearly every await of a loop — must cost next to nothing. A WeakMap look-up
// costs ~70–140 instructions per await (measured under callgrind, a million `await Promise.resolve(i)`: ~15 % of
// the whole loop); reading a property the promise does not have is an inline-cached miss, ~free. So a value the
// runtime binds to a task gets a hidden mark (a non-enumerable symbol-keyed own property), and only a marked value
// is looked up in the WeakMap, which stays the one record of its task. A value that cannot take the mark (not
// extensible) is kept in the WeakMap alone, and from then on every look-up asks the WeakMap, as before.
import type { TaskRef } from "./task-storage.js";

const MARK: unique symbol = Symbol("tsloop.task");

type Markable = { [MARK]?: true };

export class KnownTasks {
  private readonly refs = new WeakMap<object, TaskRef>();
  /** values bound that could not take the mark (then the mark no longer answers "unknown" alone) */
  private unmarked = 0;

  /** `value` stands for `ref` from now on. */
  bind(value: object, ref: TaskRef): void {
    this.refs.set(value, ref);
    if ((value as Markable)[MARK] === true) return;
    if (Object.isExtensible(value)) Object.defineProperty(value, MARK, { value: true, configurable: true });
    else this.unmarked++;
  }

  /** The task `value` stands for, if the runtime bound it to one. */
  of(value: unknown): TaskRef | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    if ((value as Markable)[MARK] !== true && this.unmarked === 0) return undefined;
    return this.refs.get(value);
  }
}
