// For a kernelspec every user of a machine sees (`install --prefix` or `--sys-prefix`, e.g. a JupyterHub): the
// paths its argv needs that other users cannot reach. A student whose uid cannot run the Node binary or read the
// launcher and the package gets a kernel that never starts, so `install` warns at once. Only the "other" mode
// bits count (students rarely share the installer's group); POSIX only.
import { statSync } from "node:fs";
import { dirname, join, parse } from "node:path";

export interface ModeOf {
  (path: string): { mode: number } | undefined;
}

const realMode: ModeOf = (path) => {
  try {
    const s = statSync(path);
    return { mode: s.mode & 0o7777 };
  } catch {
    return undefined;
  }
};

/** Every directory from the root down to `path`'s parent. */
function ancestors(path: string): string[] {
  const dirs: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    dirs.unshift(dir);
    if (dir === parse(dir).root) return dirs;
  }
}

/** One line per path other users cannot reach: a dir without o+x, a file without the bits it needs. */
export function unreachableForOthers(node: string, packageRoot: string, modeOf: ModeOf = realMode): string[] {
  const needs: { path: string; bits: number; what: string }[] = [
    { path: node, bits: 0o001, what: "execute" },
    { path: join(packageRoot, "kernel", "tsloop.js"), bits: 0o004, what: "read" },
    { path: join(packageRoot, "dist"), bits: 0o005, what: "read" },
    { path: join(packageRoot, "node_modules"), bits: 0o005, what: "read" },
  ];
  const problems: string[] = [];
  const reported = new Set<string>();
  for (const need of needs) {
    const blockedDir = ancestors(need.path).find((dir) => {
      const m = modeOf(dir);
      return m !== undefined && (m.mode & 0o001) === 0;
    });
    if (blockedDir !== undefined) {
      if (!reported.has(blockedDir)) problems.push(`${blockedDir} (mode ${octal(modeOf(blockedDir)?.mode)}) cannot be entered by other users, so they cannot ${need.what} ${need.path}`);
      reported.add(blockedDir);
      continue;
    }
    const m = modeOf(need.path);
    if (m !== undefined && (m.mode & need.bits) !== need.bits) problems.push(`other users cannot ${need.what} ${need.path} (mode ${octal(m.mode)})`);
  }
  return problems;
}

function octal(mode: number | undefined): string {
  return mode === undefined ? "?" : `0${(mode & 0o777).toString(8)}`;
}
