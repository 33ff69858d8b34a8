// `tsloop run` picks the kernel from the notebook's metadata: JavaScript notebooks (tsloop-js, jslab, IJavascript,
// Deno's JavaScript notebooks) run on tsloop-js, everything else on tsloop.
import { describe, expect, it } from "vitest";
import { notebookLanguage } from "../../../src/cli/run-command.js";

describe("notebookLanguage", () => {
  it.each([
    [{ kernelspec: { name: "tsloop-js", display_name: "JavaScript (tsloop)", language: "javascript" } }, "javascript"],
    [{ kernelspec: { name: "jslab", display_name: "JavaScript", language: "javascript" } }, "javascript"],
    [{ kernelspec: { name: "javascript", display_name: "Javascript (Node.js)", language: "javascript" }, language_info: { name: "javascript" } }, "javascript"],
    [{ language_info: { name: "JavaScript" } }, "javascript"],
    [{ kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } }, "typescript"],
    [{ kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } }, "typescript"],
    [{}, "typescript"],
  ])("%j → %s", (metadata, language) => {
    expect(notebookLanguage(metadata)).toBe(language);
  });
});
