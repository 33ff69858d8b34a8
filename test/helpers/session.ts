// One real kernel per describe block: started in beforeAll in its own temp folder (its cwd, with a private
// Jupyter data dir for history), closed in afterAll. `kernel()` reads it inside tests.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { KernelClient } from "./kernel-client.js";

export interface SessionOptions {
  env?: NodeJS.ProcessEnv;
  /** prepares the kernel's folder (packages, local modules) before it starts */
  prepare?: (dir: string) => void;
}

export function useKernel(name: string, options: SessionOptions = {}): () => KernelClient {
  let client: KernelClient | undefined;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), `tsloop-${name}-`));
    options.prepare?.(dir);
    client = await KernelClient.start({ cwd: dir, env: { JUPYTER_DATA_DIR: join(dir, "data"), ...options.env } });
  });
  afterAll(async () => {
    await client?.close();
  });
  return () => {
    if (!client) throw new Error("the kernel has not started (beforeAll failed?)");
    return client;
  };
}
