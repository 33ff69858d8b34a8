// inspect_request: the signature and JSDoc of the name at the cursor, as text and Markdown; detail level 1
// adds the declaration as the user wrote it (or every overload of a library function).
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionLanguageService } from "../../../src/language/session-service.js";
import { SESSION_TIMEOUT, newSession, run } from "./helpers.js";

const AREA = [
  "/**",
  " * Area of a circle.",
  " * @param r the radius",
  " * @returns square units",
  " */",
  "function area(r: number): number {",
  "  return Math.PI * r * r;",
  "}",
].join("\n");

describe("inspect", () => {
  let session: SessionLanguageService;
  beforeAll(() => {
    session = newSession();
    run(session, AREA, "let hits = 0;", 'import { basename } from "node:path";\nimport * as os from "node:os";');
  }, SESSION_TIMEOUT);

  it("shows the signature and JSDoc of a function from an earlier cell", () => {
    const reply = session.inspect("area(2)", 2, 0);
    expect(reply.found).toBe(true);
    expect(reply.data["text/plain"]).toBe(
      "function area(r: number): number\n\nArea of a circle.\n\n@param r the radius\n@returns square units",
    );
    expect(reply.data["text/markdown"]).toBe(
      "```ts\nfunction area(r: number): number\n```\n\nArea of a circle.\n\n*@param* r the radius\n\n*@returns* square units",
    );
  });

  it("finds the name just before the cursor, and the call the cursor is in", () => {
    expect(session.inspect("area", 4, 0).data["text/plain"]).toMatch(/^function area\(r: number\): number/);
    expect(session.inspect("area(", 5, 0).data["text/plain"]).toMatch(/^function area\(r: number\): number/);
    expect(session.inspect("area(  ", 7, 0).data["text/plain"]).toMatch(/^area\(r: number\): number\n\nArea of a circle\./);
  });

  it("shows an import of an earlier cell as what it imports, with no trace of the session's files", () => {
    const text = String(session.inspect("basename", 3, 0).data["text/plain"]);
    expect(text).toMatch(/^function basename\(path: string, suffix\?: string\): string\n\nReturn the last portion of a path\./);
    expect(String(session.inspect("os", 1, 0).data["text/plain"])).toBe('module "node:os"');
  });

  it("adds the declaration's source at detail level 1", () => {
    expect(session.inspect("area(2)", 2, 1).data["text/plain"]).toContain("\n\n" + AREA);
    expect(session.inspect("hits", 1, 1).data["text/plain"]).toBe("let hits: number\n\nlet hits = 0;");
  });

  it("adds every overload of a library function at detail level 1", () => {
    const text = String(session.inspect('import { readFileSync } from "node:fs";\nreadFileSync', 45, 1).data["text/plain"]);
    expect(text.match(/export function readFileSync\(/g)?.length).toBeGreaterThan(1);
  });

  it("answers found: false where there is nothing to show", () => {
    expect(session.inspect("   ", 1, 0)).toEqual({ found: false, data: {}, metadata: {} });
  });
});
