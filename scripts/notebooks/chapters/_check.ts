// Setup: run this cell first. `assert` checks facts in the lesson cells; `check` grades the exercises; `hint`
// gives an exercise's hints one at a time.
import { strict as assert } from "node:assert";

/** Milliseconds since `start` (a `performance.now()` reading), rounded. */
function msSince(start: number): number {
  return Math.round(performance.now() - start);
}

/** Each exercise's graded hints (the idea, then the tool, then the code) and how many were shown so far. */
const exerciseHints = new Map<string, { hints: readonly string[]; shown: number }>();

/**
 * Run the test of one exercise. Prints `CHECK PASS: name`, or `CHECK FAIL: name: what went wrong (hint: …)`
 * with the first of its `hints`. It never throws, so the notebook still runs top to bottom while exercises are
 * unsolved.
 */
async function check(name: string, test: () => unknown, hints: string | readonly string[]): Promise<boolean> {
  const list = typeof hints === "string" ? [hints] : hints;
  if (!exerciseHints.has(name)) exerciseHints.set(name, { hints: list, shown: 1 });
  let stopTimeLimit = (): void => {};
  const timeLimit = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no answer within 5 seconds")), 5000);
    stopTimeLimit = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  try {
    await Promise.race([Promise.resolve().then(test), timeLimit]);
    console.log(`CHECK PASS: ${name}`);
    return true;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const why = message.split("\n").find((line) => line.trim() !== "") ?? "failed";
    const more = list.length > 1 ? `; more: hint("${name}")` : "";
    console.log(`CHECK FAIL: ${name}: ${why} (hint: ${list[0] ?? "none"}${more})`);
    return false;
  } finally {
    stopTimeLimit();
  }
}

/** The next hint of an exercise whose check has run (or hint number `level`): each one tells a little more. */
function hint(name: string, level?: number): string {
  const entry = exerciseHints.get(name);
  if (!entry) return `no hints for "${name}": run its check cell first (checked so far: ${[...exerciseHints.keys()].join(", ") || "none"})`;
  entry.shown = Math.min(Math.max(level ?? entry.shown + 1, 1), entry.hints.length);
  const next = entry.shown < entry.hints.length ? ` (next: hint("${name}"))` : " (that was the last one)";
  return `hint ${entry.shown} of ${entry.hints.length}: ${entry.hints[entry.shown - 1] ?? ""}${next}`;
}
