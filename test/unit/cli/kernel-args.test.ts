// `tsloop kernel`'s command line as a table: the connection file and the cell language, or the usage error.
import { describe, expect, it } from "vitest";
import { parseKernelArgs } from "../../../src/cli/kernel-args.js";

describe("parseKernelArgs", () => {
  const good: [string[], object][] = [
    [["-f", "/run/k.json"], { connectionFile: "/run/k.json", language: "typescript" }],
    [["--connection-file=/run/k.json"], { connectionFile: "/run/k.json", language: "typescript" }],
    [["--connection-file", "/run/k.json", "--language", "javascript"], { connectionFile: "/run/k.json", language: "javascript" }],
    [["--language=typescript", "-f", "k.json"], { connectionFile: "k.json", language: "typescript" }],
    [["/run/kernel-1.json"], { connectionFile: "/run/kernel-1.json", language: "typescript" }],
    [["-f", "k.json", "--some-server-flag"], { connectionFile: "k.json", language: "typescript" }],
  ];
  it.each(good)("%j", (args, expected) => {
    expect(parseKernelArgs(args)).toEqual({ ok: true, ...expected });
  });

  const bad: [string[], RegExp][] = [
    [[], /^expected -f CONNECTION_FILE$/],
    [["-f"], /^-f expects a value$/],
    [["-f", "k.json", "--language", "python"], /^--language expects typescript or javascript, got "python"$/],
    [["-f", "k.json", "--language"], /^--language expects a value$/],
  ];
  it.each(bad)("%j is a usage error", (args, message) => {
    const parsed = parseKernelArgs(args);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});
