// A kernel's whole process tree from /proc (Linux): the kernel process and every process below it, the CPU time
// they used (user + system, all threads, children that already ended and were reaped included) and their
// proportional set size (PSS: shared pages divided among the processes sharing them, so that twenty kernels'
// shared libraries are not counted twenty times). Undefined where /proc is not there.
import { readFileSync, readdirSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // fields after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

/** The pid and every live descendant's pid. */
export function processTree(root) {
  const parent = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s) parent.set(Number(entry), s.ppid);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parent) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/** CPU seconds used so far by the process tree under `root`. */
export function cpuSeconds(root) {
  let ticks = 0;
  for (const pid of processTree(root)) ticks += stat(pid)?.ticks ?? 0;
  return ticks / TICKS_PER_SECOND;
}

/** PSS in KiB of the process tree under `root` (smaps_rollup), and how many processes it counted. */
export function pssKiB(root) {
  let kib = 0;
  let processes = 0;
  for (const pid of processTree(root)) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
      if (m) {
        kib += Number(m[1]);
        processes++;
      }
    } catch {
      // ended meanwhile
    }
  }
  return { kib, processes };
}

/** RSS in KiB of the process tree under `root` (VmRSS of each process, added up). */
export function rssTreeKiB(root) {
  let kib = 0;
  for (const pid of processTree(root)) {
    try {
      kib += Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // ended meanwhile
    }
  }
  return kib;
}
