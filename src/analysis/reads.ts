// The abstract values of the lost-update analysis: a value is the list of shared reads it was computed from,
// each remembering whether (and where) the function has awaited since. A `FlowState` holds those lists for
// every local variable and for the partial results of the expression being evaluated, so that an `await`
// can mark them all stale at once.

/** One read of a shared variable or property (`key` is its text: `counter`, `obj.total`, `this.count`). */
export interface Read {
  readonly key: string;
  readonly readLine: number;
  /** The first await after the read on this path; `undefined` while the read is still fresh. */
  readonly awaitLine: number | undefined;
}

export type Reads = readonly Read[];

export const NONE: Reads = [];

function sameRead(a: Read, b: Read): boolean {
  return a.key === b.key && a.readLine === b.readLine && a.awaitLine === b.awaitLine;
}

/** Both lists, without duplicates (the lists stay short: only reads of keys the function also writes). */
export function union(a: Reads, b: Reads): Reads {
  if (b.length === 0 || a === b) return a;
  if (a.length === 0) return b;
  const out = [...a];
  for (const read of b) if (!out.some((o) => sameRead(o, read))) out.push(read);
  return out;
}

function hasFresh(reads: Reads): boolean {
  return reads.some((r) => r.awaitLine === undefined);
}

/** The same reads after an await on `line`: fresh ones become stale there, stale ones keep their first await. */
export function afterAwait(reads: Reads, line: number): Reads {
  if (!hasFresh(reads)) return reads;
  return reads.map((r) => (r.awaitLine === undefined ? { ...r, awaitLine: line } : r));
}

/** A partial result held while the rest of its expression is evaluated (`x` in `x + (await f())`). */
export interface Pending {
  reads: Reads;
}

/** What one path through the function knows at one point. Branches clone it and join the clones back. */
export class FlowState {
  private constructor(
    private locals: Map<string, Reads>,
    /** The locals holding fresh reads: the only ones an await changes (so a long cell is not quadratic). */
    private fresh: Set<string>,
    readonly pending: Pending[],
    /** The path has left the function, loop or switch (`return`, `throw`, `break`, `continue`). */
    public dead: boolean,
  ) {}

  static start(): FlowState {
    return new FlowState(new Map(), new Set(), [], false);
  }

  local(name: string): Reads {
    return this.locals.get(name) ?? NONE;
  }

  setLocal(name: string, reads: Reads): void {
    this.locals.set(name, reads);
    if (hasFresh(reads)) this.fresh.add(name);
    else this.fresh.delete(name);
  }

  clone(): FlowState {
    return new FlowState(new Map(this.locals), new Set(this.fresh), this.pending.map((p) => ({ reads: p.reads })), this.dead);
  }

  /** The function awaits: every value computed so far now rests on reads that may be out of date. */
  awaitAt(line: number): void {
    for (const name of this.fresh) this.locals.set(name, afterAwait(this.local(name), line));
    this.fresh.clear();
    for (const p of this.pending) p.reads = afterAwait(p.reads, line);
  }

  /** Become the join of `paths` (which may include this state): a read on any live path counts. */
  join(paths: readonly FlowState[]): void {
    const live = paths.filter((p) => !p.dead);
    if (live.length === 0) {
      this.dead = true;
      return;
    }
    const locals = new Map<string, Reads>();
    for (const path of live) for (const [name, reads] of path.locals) locals.set(name, union(locals.get(name) ?? NONE, reads));
    // The pending slots are shared with the evaluator on the stack, so they are updated in place.
    const pending = this.pending.map((_, i) => live.reduce((acc, path) => union(acc, path.pending[i]?.reads ?? NONE), NONE));
    this.locals = locals;
    this.fresh = new Set([...locals].filter(([, reads]) => hasFresh(reads)).map(([name]) => name));
    pending.forEach((reads, i) => {
      const slot = this.pending[i];
      if (slot !== undefined) slot.reads = reads;
    });
    this.dead = false;
  }
}
