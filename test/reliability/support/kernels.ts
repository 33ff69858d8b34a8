// Kernel processes for the reliability suite: started with `--log-level debug` (the most the kernel ever
// says), and checked when they end: the connection key must never appear in the kernel's stderr or stdout,
// nor in any message it sent. The tally feeds each area's "key never appears" case.
import { KernelClient, type StartOptions } from "../../helpers/kernel-client.js";

export interface SecrecyTally {
  kernels: number;
  stderrBytes: number;
  messages: number;
  leaks: string[];
}

export class Kernels {
  readonly tally: SecrecyTally = { kernels: 0, stderrBytes: 0, messages: 0, leaks: [] };
  private readonly open = new Set<KernelClient>();

  async start(options: StartOptions = {}): Promise<KernelClient> {
    const start = (startTimeoutMs: number) =>
      KernelClient.start({
        startTimeoutMs,
        ...options,
        args: ["--log-level", "debug", ...(options.args ?? [])],
        env: { TSLOOP_HISTORY: "off", ...options.env },
      });
    // KernelClient.start waits for the idle of every kernel_info it sent, also of the first ones, whose iopub
    // messages went out before its subscription reached the kernel and never arrive: each start then lasts its
    // whole timeout (20 s by default). A short timeout keeps starts at a few seconds; a kernel that really is slow
    // to start gets a second try with the default.
    let client: KernelClient;
    try {
      client = await start(options.startTimeoutMs ?? 5_000);
    } catch (err) {
      if (options.startTimeoutMs !== undefined || !/did not become ready/.test(String(err))) throw err;
      client = await start(20_000);
    }
    this.open.add(client);
    return client;
  }

  /** Checks a kernel's output for its key and forgets it (its messages can be large). */
  check(client: KernelClient): void {
    if (!this.open.delete(client)) return;
    this.tally.kernels++;
    this.tally.stderrBytes += Buffer.byteLength(client.stderr);
    this.tally.messages += client.messages.length;
    this.tally.leaks.push(...keyLeaks(client.info.key, client.stderr, client.stdout, client.messages));
  }

  /** Shuts a kernel down (or kills it if it does not answer) and checks it. */
  async shutdown(client: KernelClient): Promise<void> {
    await client.shutdown();
    this.check(client);
  }

  async kill(client: KernelClient): Promise<void> {
    await client.kill();
    this.check(client);
  }

  async closeAll(): Promise<void> {
    for (const client of [...this.open]) await this.kill(client);
  }
}

/** Where the key shows up: the kernel's stderr or stdout, or any frame of a message it sent. */
export function keyLeaks(key: string, stderr: string, stdout: string, messages: readonly { header: unknown; parent_header: unknown; metadata: unknown; content: unknown; buffers: Buffer[]; channel: string }[]): string[] {
  if (key === "") return [];
  const leaks: string[] = [];
  if (stderr.includes(key)) leaks.push("stderr");
  if (stdout.includes(key)) leaks.push("stdout");
  for (const m of messages) {
    const text = JSON.stringify([m.header, m.parent_header, m.metadata, m.content]);
    if (text.includes(key) || m.buffers.some((b) => b.includes(key))) leaks.push(`${m.channel} ${(m.header as { msg_type?: string }).msg_type}`);
  }
  return leaks;
}
