// A bounded record of what a child process wrote on a stream: the last `limit` characters, enough to show why
// a kernel died without holding everything a chatty kernel ever logged.
export class OutputTail {
  private text = "";
  private dropped = 0;

  constructor(private readonly limit = 64 * 1024) {}

  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.limit * 2) {
      const cut = this.text.length - this.limit;
      this.dropped += cut;
      this.text = this.text.slice(cut);
    }
  }

  /** Everything kept (the last `limit`..`2 × limit` characters). */
  get all(): string {
    return this.text;
  }

  /** The last `lines` lines, for an error message. */
  lastLines(lines = 20): string {
    const all = this.text.endsWith("\n") ? this.text.slice(0, -1) : this.text;
    const parts = all.split("\n");
    const kept = parts.slice(-lines).join("\n");
    return parts.length > lines || this.dropped > 0 ? `…\n${kept}` : kept;
  }
}
