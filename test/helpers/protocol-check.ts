// The shared fixture of every test tier (vitest `setupFiles`): after each test, and after a file's own
// afterAll hooks (shutdown replies), no client registered in protocol-watch.ts may have seen a message that
// breaks the Jupyter message spec (test/helpers/validate.ts). Setup-file hooks run outside the file's own
// after-hooks, so a kernel a file closes in afterAll is checked too.
import { afterAll, afterEach, expect } from "vitest";
import { takeViolations } from "./protocol-watch.js";

function expectNoViolations(): void {
  expect(takeViolations(), "spec violations in messages from the kernel").toEqual([]);
}

afterEach(expectNoViolations);
afterAll(expectNoViolations);
