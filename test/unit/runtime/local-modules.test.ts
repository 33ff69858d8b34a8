// Where a cell's local import points at run time: a table of specifier → file over a real folder, in the order
// TypeScript's bundler resolution uses (the type checker's retry in src/language/host.ts).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalModules } from "../../../src/runtime/local-modules.js";

const FILES = [
  "helpers.ts",
  "both.ts",
  "both.js",
  "card.tsx",
  "plain.js",
  "plain.d.ts",
  "compiled.ts",
  "lib/index.ts",
  "lib/util.ts",
  "vendor/tool.js",
  "data.json",
];

function folder(tsconfig?: object): string {
  const dir = mkdtempSync(join(tmpdir(), "tsloop-local-modules-"));
  for (const file of FILES) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), "");
  }
  if (tsconfig) writeFileSync(join(dir, "tsconfig.json"), `// comments are allowed\n${JSON.stringify(tsconfig)}`);
  return dir;
}

const cases: [specifier: string, file: string | undefined][] = [
  ["./helpers", "helpers.ts"],
  ["./helpers.ts", "helpers.ts"],
  ["./both", "both.ts"],
  ["./card", "card.tsx"],
  ["./plain", "plain.js"],
  ["./plain.js", "plain.js"],
  ["./compiled.js", "compiled.ts"],
  ["./lib", "lib/index.ts"],
  ["./lib/util", "lib/util.ts"],
  ["./data.json", "data.json"],
  ["./missing", undefined],
  ["some-package", undefined],
  ["node:fs", undefined],
];

describe("local modules at run time", () => {
  const dir = folder();
  const local = new LocalModules(dir);
  for (const [specifier, file] of cases) {
    it(`${specifier} → ${file ?? "not local"}`, () => {
      expect(local.resolve(specifier)).toBe(file === undefined ? undefined : join(dir, file));
    });
  }

  it("maps bare specifiers through tsconfig paths (with a star, exact, and several targets)", () => {
    const mapped = folder({ compilerOptions: { paths: { "@lib/*": ["./missing/*", "./lib/*"], tool: ["./vendor/tool"] } } });
    const modules = new LocalModules(mapped);
    expect(modules.resolve("@lib/util")).toBe(join(mapped, "lib/util.ts"));
    expect(modules.resolve("tool")).toBe(join(mapped, "vendor/tool.js"));
    expect(modules.resolve("@lib/nothing")).toBeUndefined();
    expect(modules.resolve("react")).toBeUndefined();
  });
});
