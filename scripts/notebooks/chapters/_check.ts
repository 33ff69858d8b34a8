// Setup: run this cell first. `assert` checks facts in the lesson cells; `check` grades the exercises.
import { strict as assert } from "node:assert";

/** Milliseconds since `start` (a `performance.now()` reading), rounded. */
function msSince(start: number): number {
  return Math.round(performance.now() - start);
}

/**
 * Run the test of one exercise. Prints `CHECK PASS: name`, or `CHECK FAIL: name: what went wrong (hint: …)`.
 * It never throws, so the notebook still runs top to bottom while exercises are unsolved.
 */
async function check(name: string, test: () => unknown, hint: string): Promise<boolean> {
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
    console.log(`CHECK FAIL: ${name}: ${why} (hint: ${hint})`);
    return false;
  } finally {
    stopTimeLimit();
  }
}
