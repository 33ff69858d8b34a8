// The session's names: which committed cell declared each name last, and how later cells see them.
// The latest declaration of a name is a global (inside its cell file's `declare global`), so a new cell's own
// declarations shadow it for free and checking a cell costs the same at cell 200 as at cell 2. When a later
// cell re-declares the name, the old declaration moves to module level in its file, and the cells that
// referred to it get an import of it, so that their types keep meaning what they meant.
// Names an existing global already uses (`crypto`, `input`…) never become globals: a new cell sees them
// through a prelude of imports instead.
import { cellTypeScope, type CellRunId } from "../session/plan.js";
import type { DeclarationKind, TopLevelName } from "./cell-shape.js";
import { renderDeclarations, type DeclarationModel } from "./declaration-file.js";

export interface CommittedCell {
  /** the cell run's identity (increasing in commit order; gaps for runs that added nothing) */
  id: CellRunId;
  /** the virtual declaration file holding the cell's declarations */
  fileName: string;
  /** how other virtual files import it, e.g. `./__tsloop_cell_3.mjs` */
  specifier: string;
  names: ReadonlyMap<string, TopLevelName>;
  declarations: DeclarationModel;
  /** names of earlier cells this file refers to that are no longer globals → the file that declares them */
  injected: Map<string, string>;
}

export class SessionTable {
  private readonly owners = new Map<string, CommittedCell>();
  private readonly cells: CommittedCell[] = [];
  /** session names that a global from elsewhere uses; once colliding, always colliding */
  private readonly collisions = new Set<string>();

  /** The cell that declared `name` last, if any. */
  ownerOf(name: string): CommittedCell | undefined {
    return this.owners.get(name);
  }

  /** The cell whose declaration of `name` is a global now, if any. */
  globalOwnerOf(name: string): CommittedCell | undefined {
    const owner = this.owners.get(name);
    return owner !== undefined && this.isGlobal(name, owner) ? owner : undefined;
  }

  /** What `name` is, as declared by the cell that declared it last. */
  kindsOf(name: string): ReadonlySet<DeclarationKind> | undefined {
    return this.owners.get(name)?.names.get(name)?.kinds;
  }

  /** How types of committed cell `id` are shown once re-declared (`cell_3`); undefined for no committed cell. */
  cellName(id: number): string | undefined {
    return this.cells.some((c) => c.id === id) ? cellTypeScope(id) : undefined;
  }

  /** The identity of the last committed cell. */
  lastId(): CellRunId | undefined {
    return this.cells.at(-1)?.id;
  }

  /** Every name of the session. */
  names(): string[] {
    return [...this.owners.keys()];
  }

  /**
   * Add a cell; `collisions` are session names (the new cell's included) that a non-session global uses.
   * Returns the cells whose declaration file must be (re)written, the new one included.
   */
  commit(cell: CommittedCell, collisions: Iterable<string>): CommittedCell[] {
    const wasGlobal = new Map<string, CommittedCell>();
    const candidates = new Set([...cell.names.keys(), ...collisions]);
    for (const name of candidates) {
      const owner = this.owners.get(name);
      if (owner !== undefined && this.isGlobal(name, owner)) wasGlobal.set(name, owner);
    }
    for (const name of cell.names.keys()) this.owners.set(name, cell);
    for (const name of collisions) this.collisions.add(name);
    this.cells.push(cell);
    const changed = new Set<CommittedCell>([cell]);
    for (const [name, owner] of wasGlobal) {
      if (this.isGlobal(name, owner)) continue;
      changed.add(owner);
      for (const later of this.cells) {
        if (later.id <= owner.id || !refersTo(later, name)) continue;
        later.injected.set(name, owner.specifier);
        changed.add(later);
      }
    }
    return [...changed];
  }

  /** The declaration file of a committed cell, as the session stands. */
  render(cell: CommittedCell): string {
    const globals = new Set([...cell.names.keys()].filter((name) => this.isGlobal(name, cell)));
    return renderDeclarations(cell.declarations, globals, cell.injected);
  }

  /**
   * Statements that bring colliding session names the cell does not declare itself into its scope:
   * `import { … }` for functions, classes, types, enums, namespaces and imports; `declare let x: typeof
   * import(…).x` for variables (an imported binding could not be assigned).
   */
  prelude(declared: ReadonlyMap<string, unknown>, javascript = false): string {
    let text = "";
    for (const name of this.collisions) {
      const cell = this.owners.get(name);
      const info = cell?.names.get(name);
      if (cell === undefined || info === undefined || declared.has(name)) continue;
      const keyword = variableKeyword(info);
      const from = JSON.stringify(cell.specifier);
      if (keyword === undefined) text += `import { ${name} } from ${from};\n`;
      else if (javascript) text += `/** @type {typeof import(${from}).${name}} */ let ${name};\n`; // a .js file has no "declare", and a const needs a value
      else text += `declare ${keyword} ${name}: typeof import(${from}).${name};\n`;
    }
    return text;
  }

  private isGlobal(name: string, cell: CommittedCell): boolean {
    return this.owners.get(name) === cell && !this.collisions.has(name);
  }
}

/** Whether a cell's declarations may refer to another cell's `name` (as a global, not a name of its own). */
function refersTo(cell: CommittedCell, name: string): boolean {
  const d = cell.declarations;
  return d.references.has(name) && !cell.names.has(name) && !d.importedNames.has(name) && !cell.injected.has(name);
}

const VARIABLE_KINDS: ReadonlySet<DeclarationKind> = new Set(["let", "var", "const"]);

/** `let`, `var` or `const` when the name has only variable declarations; undefined otherwise. */
export function variableKeyword(name: TopLevelName): "let" | "var" | "const" | undefined {
  if (![...name.kinds].every((k) => VARIABLE_KINDS.has(k))) return undefined;
  if (name.kinds.has("let")) return "let";
  return name.kinds.has("var") ? "var" : "const";
}
