// Every client a test file opens (a real kernel's ZeroMQ client, the in-process memory transport) registers
// here; the shared fixture (protocol-check.ts, a setup file of every tier) takes their spec violations after
// each test and fails the test that saw one, so every test checks the protocol without asking.
export interface Watched {
  /** Spec violations seen so far; taken (emptied) by `takeViolations`. */
  readonly violations: string[];
}

const watched = new Set<Watched>();

/** Registers a source of violations for the rest of this test file. */
export function watchProtocol(source: Watched): void {
  watched.add(source);
}

/** Every violation seen since the last call, from every registered source; empties them. */
export function takeViolations(): string[] {
  return [...watched].flatMap((source) => source.violations.splice(0));
}
