// Errors a kernel client rejects with. Each says what happened in words a person can act on, and carries the
// data as fields so that callers can branch on them without parsing messages.

/** The kernel process ended while the client was waiting for it. */
export class KernelDiedError extends Error {
  override name = "KernelDiedError";
  constructor(
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    /** The last lines the kernel wrote on stderr (may be empty). */
    readonly stderrTail: string,
    waitingFor?: string,
  ) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    const what = waitingFor ? ` while the client was waiting for ${waitingFor}` : "";
    const tail = stderrTail.trim() === "" ? " (it wrote nothing on stderr)" : `; the end of its stderr:\n${indent(stderrTail.trimEnd())}`;
    super(`the kernel ${how}${what}${tail}`);
  }
}

/** A bounded wait (a reply, a ready kernel) ran out. */
export class KernelTimeoutError extends Error {
  override name = "KernelTimeoutError";
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    stderrTail = "",
  ) {
    const tail = stderrTail.trim() === "" ? "" : `; the end of the kernel's stderr:\n${indent(stderrTail.trimEnd())}`;
    super(`no ${what} within ${timeoutMs} ms${tail}`);
  }
}

/** The client was closed while something still waited on it. */
export class ClientClosedError extends Error {
  override name = "ClientClosedError";
  constructor(waitingFor?: string) {
    super(`the kernel client was closed${waitingFor ? ` while waiting for ${waitingFor}` : ""}`);
  }
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  | ${line}`)
    .join("\n");
}
