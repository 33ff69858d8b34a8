// What the operating system says about a kernel process (Linux /proc): its resident memory, whether it
// still exists, the processes it started, and whether its ports can be bound again.
import { readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:net";

/** VmRSS of a process in KiB, or undefined once it is gone. */
export function rssKiB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export const MiB = (kib: number | undefined) => Math.round(((kib ?? 0) / 1024) * 10) / 10;

/** Samples a process's RSS every `everyMs` until stopped; `peak` and `samples` in KiB. */
export function sampleRss(pid: number, everyMs = 25): { stop(): { peakKiB: number; samples: number[] } } {
  const samples: number[] = [];
  const take = () => {
    const v = rssKiB(pid);
    if (v !== undefined) samples.push(v);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakKiB: Math.max(0, ...samples), samples };
    },
  };
}

/** True while a process with this pid exists and is not a zombie. */
export function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Pids of the live processes whose parent is `pid`. */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) === pid && fields[0] !== "Z") out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** The first of the ports that cannot be bound on 127.0.0.1 right now, or undefined when all can. */
export async function unbindablePort(ports: number[]): Promise<number | undefined> {
  for (const port of ports) {
    const ok = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (!ok) return port;
  }
  return undefined;
}

/** Resolves once `check` returns true, polling every `everyMs`; rejects after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string | (() => string), everyMs = 20): Promise<number> {
  const t0 = performance.now();
  while (!(await check())) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return performance.now() - t0;
}
