// Completion against the session: names and members from earlier cells, Node's modules, npm packages,
// keywords and globals; the replaced range in UTF-16 units; virtual files never offered.
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionLanguageService } from "../../../src/language/session-service.js";
import { SESSION_TIMEOUT, atCursor, matchesAt, newSession, run } from "./helpers.js";

const PACKAGE = {
  "node_modules/greeter/package.json": JSON.stringify({ name: "greeter", version: "1.0.0", type: "module", exports: "./index.js" }),
  "node_modules/greeter/index.js": "export function greet(name) { return `hi ${name}`; }\nexport const greeting = 'hi';\n",
  "node_modules/greeter/index.d.ts": "/** Says hi. */\nexport declare function greet(name: string): string;\nexport declare const greeting: string;\n",
};

describe("completion", () => {
  let session: SessionLanguageService;
  beforeAll(() => {
    session = newSession(PACKAGE);
    run(
      session,
      `const person = { name: "Ada", born: 1815 };`,
      `import * as fs from "node:fs";`,
      `import { greet } from "greeter";\nfunction shout(s: string) { return s.toUpperCase(); }`,
    );
  }, SESSION_TIMEOUT);

  it("offers the members of an object declared in an earlier cell", () => {
    const reply = session.complete("person.", 7);
    expect(reply.matches).toEqual(["born", "name"]);
    expect(reply.cursor_start).toBe(7);
    expect(reply.cursor_end).toBe(7);
  });

  it("offers the exports of a Node builtin module imported by an earlier cell, for the prefix typed", () => {
    const { code, cursor } = atCursor("fs.read|");
    const reply = session.complete(code, cursor);
    expect(reply.matches).toContain("readFileSync");
    expect(reply.matches.every((m) => m.toLowerCase().startsWith("read"))).toBe(true);
    expect([reply.cursor_start, reply.cursor_end]).toEqual([3, 7]);
  });

  it("offers an npm package's exports after import in the same cell", () => {
    expect(matchesAt(session, 'import { gree| } from "greeter";')).toEqual(["greet", "greeting"]);
  });

  it("offers names, keywords and globals at the top level, the session's names first", () => {
    const matches = matchesAt(session, "s|");
    expect(matches[0]).toBe("shout");
    expect(matches).toEqual(expect.arrayContaining(["setTimeout", "structuredClone", "switch", "sleep"]));
  });

  it("keeps working inside an unclosed block of the cell being typed", () => {
    expect(matchesAt(session, "function later() {\n  if (person.born > 1800) {\n    person.|")).toEqual(["born", "name"]);
  });

  it("counts the cursor in UTF-16 units when emoji come before it", () => {
    const { code, cursor } = atCursor('const face = "😀😀";\nperson.na|');
    const reply = session.complete(code, cursor);
    expect(reply.matches).toEqual(["name"]);
    expect(code.slice(reply.cursor_start, reply.cursor_end)).toBe("na");
  });

  it("describes the first matches with their kind and signature", () => {
    const reply = session.complete("sho", 3);
    expect(reply.metadata._jupyter_types_experimental).toEqual([
      { start: 0, end: 3, text: "shout", type: "function", signature: "function shout(s: string): string" },
    ]);
  });

  it("describes an import of an earlier cell by what it imports", () => {
    const [item] = session.complete("gree", 4).metadata._jupyter_types_experimental ?? [];
    expect(item).toMatchObject({ text: "greet", type: "function", signature: "function greet(name: string): string" });
  });

  it("never offers the session's virtual files or their names", () => {
    expect(matchesAt(session, "__tsl|")).toEqual([]);
    expect(matchesAt(session, 'import {} from "./|";').some((m) => m.includes("__tsloop"))).toBe(false);
  });

  it("answers with nothing where nothing completes", () => {
    const reply = session.complete("// a comment", 12);
    expect(reply.matches).toEqual([]);
  });
});
