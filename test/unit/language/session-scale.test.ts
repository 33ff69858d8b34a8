// A 200-cell session keeps working, and its per-cell costs stay flat: prints the cold first check, the check
// and completion latency at cell 2 and at cell 201 (wall and CPU medians), and the commit time. No timed
// assertions: the figures go to the test output (and docs/language-service.md).
import { describe, expect, it } from "vitest";
import type { SessionLanguageService } from "../../../src/language/session-service.js";
import { newSession } from "./helpers.js";

const CELLS = 200;
const ROUNDS = 15;

const cell = (n: number): string =>
  `const c${n} = ${n};\nfunction f${n}(x: number) { return x + c${n}; }\nclass C${n} { v = f${n}(1); }\ninterface I${n} { a: C${n} }`;

interface Timing {
  wall: number;
  cpu: number;
}

function timed(fn: () => void): Timing {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const cpu = process.cpuUsage(cpu0);
  return { wall: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000 };
}

function median(timings: Timing[]): Timing {
  const mid = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  return { wall: round(mid(timings.map((t) => t.wall))), cpu: round(mid(timings.map((t) => t.cpu))) };
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/** Check, member completion and top-level completion at cell `n`, each `ROUNDS` times with a new text. */
function measure(session: SessionLanguageService, n: number): Record<string, Timing> {
  const check: Timing[] = [];
  const member: Timing[] = [];
  const global: Timing[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const probe = `const probe${i} = c${n - 1} + f${n - 1}(2);\nlet q${i}: I${n - 1} = { a: new C${n - 1}() };`;
    check.push(timed(() => expect(session.check(probe, "probe")).toEqual([])));
    const dotted = `const z${i} = 1;\nnew C${n - 1}().`;
    member.push(timed(() => expect(session.complete(dotted, dotted.length).matches).toEqual(["v"])));
    const top = `const z${i} = 1;\nc`;
    global.push(timed(() => expect(session.complete(top, top.length).matches).toContain(`c${n - 1}`)));
  }
  return { check: median(check), completeMember: median(member), completeGlobal: median(global) };
}

describe("a long session", () => {
  it(`works at ${CELLS + 1} cells, and prints its timings`, () => {
    const session = newSession();
    const cold = timed(() => session.check("const warm = 1;", "cold"));
    session.commit(cell(1), 1);
    measure(session, 2); // JIT warm-up, so that cell 2 is not measured on cold code
    const atCell2 = measure(session, 2);
    const commits: Timing[] = [];
    for (let n = 2; n <= CELLS; n++) commits.push(timed(() => session.commit(cell(n), n)));
    const atCell201 = measure(session, CELLS + 1);
    expect(session.sessionNames()).toHaveLength(4 * CELLS);
    const report = { cold: { wall: round(cold.wall), cpu: round(cold.cpu) }, atCell2, atCell201, commit: median(commits) };
    console.log(`language service timings (ms, medians of ${ROUNDS}):\n${JSON.stringify(report, null, 1)}`);
  }, 600_000);
});
