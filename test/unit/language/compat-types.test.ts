// What the checker sees of the compatibility layer: `import … from "tslab"` resolves to tsloop's declarations when no
// tslab package is installed, a real package's own types win when one is, and `Deno.jupyter` is typed (other Deno
// members are type errors that name the member).
import { describe, expect, it } from "vitest";
import { SessionLanguageService } from "../../../src/language/session-service.js";
import { CELL_API_DTS } from "../../../src/runtime/api-types.js";
import { TSLAB_DTS } from "../../../src/runtime/compat/types.js";
import { SESSION_TIMEOUT, notebookDir } from "./helpers.js";

const session = (files: Record<string, string> = {}) =>
  new SessionLanguageService({ cwd: notebookDir(files), extraGlobals: CELL_API_DTS, fallbackModules: { tslab: TSLAB_DTS } });
const messages = (s: SessionLanguageService, code: string) => s.check(code, "c").filter((d) => d.category === "error").map((d) => d.message);

describe("types of the tslab and Deno compatibility layer", () => {
  it("checks tslab's display API against tsloop's declarations, across cells", { timeout: SESSION_TIMEOUT }, () => {
    const s = session();
    const first = 'import * as tslab from "tslab";\nconst d = tslab.newDisplay();\nd.text("1");\ntslab.display.png(Buffer.from([1]));\nconst v: string = tslab.versions.typescript;';
    expect(messages(s, first)).toEqual([]);
    s.commit(first, 1);
    expect(messages(s, "d.html('<b>ok</b>'); tslab.isJupyterEnv();")).toEqual([]);
    expect(messages(s, "tslab.display.png('base64 text');")).toEqual([expect.stringMatching(/not assignable to parameter of type 'Uint8Array/)]);
    expect(messages(s, "tslab.display.video('x');")).toEqual([expect.stringMatching(/Property 'video' does not exist/)]);
    // The other import forms tslab's users write (the module is CommonJS, as tslab's is).
    expect(messages(s, 'import lab from "tslab";\nimport { display, newDisplay } from "tslab";\nlab.display.text("x"); display.html("y"); newDisplay().text("z");')).toEqual([]);
  });

  it("uses the types of a tslab package installed in the notebook's folder instead", { timeout: SESSION_TIMEOUT }, () => {
    const s = session({
      "node_modules/tslab/package.json": JSON.stringify({ name: "tslab", main: "index.js", types: "index.d.ts" }),
      "node_modules/tslab/index.d.ts": "export declare const onlyInTheRealPackage: number;\n",
    });
    expect(messages(s, 'import * as tslab from "tslab";\nconst n: number = tslab.onlyInTheRealPackage;')).toEqual([]);
    expect(messages(s, 'import * as tslab from "tslab";\ntslab.newDisplay();')).toEqual([expect.stringMatching(/Property 'newDisplay' does not exist/)]);
  });

  it("types Deno.jupyter and rejects other Deno members", { timeout: SESSION_TIMEOUT }, () => {
    const s = session();
    expect(messages(s, 'await Deno.jupyter.display({ "text/plain": "x" }, { raw: true });\nconst h = Deno.jupyter.html`<b>${1}</b>`;\nconst sym: symbol = Deno.jupyter.$display;')).toEqual([]);
    expect(messages(s, "Deno.readTextFile('x');")).toEqual([expect.stringMatching(/Property 'readTextFile' does not exist on type 'typeof Deno'/)]);
  });
});
