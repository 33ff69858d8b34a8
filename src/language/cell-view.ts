// A cell as the language service sees it: the user's code with a prelude (its `export { … }` line and imports of
// session names that collide with other globals) inserted after its leading pragmas, and the mapping between
// offsets in the user's code and in that text. The prelude comes first, not at the end, so that an unclosed
// `{`, `(` or template literal in code being typed cannot swallow it.
import type { CellShape } from "./cell-shape.js";

export class CellView {
  /** the text of the virtual input file */
  readonly text: string;
  private readonly at: number;
  private readonly length: number;

  constructor(
    readonly shape: CellShape,
    prelude: string,
  ) {
    const code = shape.code;
    this.at = shape.preludeAt;
    // The prelude must start on a line of its own, also after a last line comment with no newline.
    const glue = this.at > 0 && !/[\n\r\u2028\u2029]$/.test(code.slice(0, this.at)) ? "\n" : "";
    const inserted = glue + prelude;
    this.length = inserted.length;
    this.text = code.slice(0, this.at) + inserted + code.slice(this.at);
  }

  get code(): string {
    return this.shape.code;
  }

  /** Offset in the user's code → offset in the file. */
  toFile(offset: number): number {
    return offset < this.at ? offset : offset + this.length;
  }

  /** Offset in the file → offset in the user's code; undefined inside the prelude. */
  fromFile(offset: number): number | undefined {
    if (offset < this.at) return offset;
    if (offset < this.at + this.length) return undefined;
    return offset - this.length;
  }

  /** Whether a file offset lies in the prelude. */
  inPrelude(offset: number): boolean {
    return this.fromFile(offset) === undefined;
  }
}
