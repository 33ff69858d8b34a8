// The compatibility layer for tslab and Deno notebooks: the runtime objects match the declarations the checker
// sees (a member added on one side only fails here), tslab's display calls become the messages tslab sends, a
// real tslab package in the notebook's folder wins over tsloop's, and the Deno global refuses anything but jupyter.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { Script } from "node:vm";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { createDeno, DENO_JUPYTER_MEMBERS } from "../../../src/runtime/compat/deno.js";
import { createTslabModule } from "../../../src/runtime/compat/tslab.js";
import { DENO_DTS, TSLAB_DTS } from "../../../src/runtime/compat/types.js";
import { DISPLAY_SYMBOL, render, settleAsyncDisplay } from "../../../src/runtime/display.js";
import { CompatModuleLoader, FallbackModules } from "../../../src/runtime/compat/fallback-modules.js";

type Emitted = { data: Record<string, unknown>; displayId: string | undefined; update: boolean };

function tslab() {
  const emitted: Emitted[] = [];
  let n = 0;
  const module = createTslabModule((data, displayId, update) => emitted.push({ data, displayId, update }), () => `id-${++n}`);
  return { module, emitted };
}

/** Names declared in a declaration text: exported values, and the members of the named interface. */
function declared(text: string) {
  const sf = ts.createSourceFile("d.ts", text, ts.ScriptTarget.Latest, true);
  const values = new Set<string>();
  const members = new Map<string, string[]>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableStatement(node)) for (const d of node.declarationList.declarations) values.add(d.name.getText(sf));
    if (ts.isFunctionDeclaration(node) && node.name) values.add(node.name.text);
    if (ts.isInterfaceDeclaration(node)) members.set(node.name.text, node.members.map((m) => (m.name ? m.name.getText(sf).replace(/^"|"$/g, "") : "")));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { values, members };
}

describe("the tslab module tsloop provides", () => {
  it("has exactly the members its declarations give the checker", () => {
    const { module } = tslab();
    const d = declared(TSLAB_DTS);
    expect(new Set(Object.keys(module))).toEqual(d.values);
    expect(Object.keys(module.display).sort()).toEqual([...(d.members.get("Display") ?? [])].sort());
    expect(Object.keys(module.newDisplay()).sort()).toEqual([...(d.members.get("Display") ?? [])].sort());
    expect(Object.keys(module.versions).sort()).toEqual([...(d.members.get("Versions") ?? [])].sort());
  });

  it("sends one display_data per display call, with bytes base64-encoded and no display id", () => {
    const { module, emitted } = tslab();
    module.display.html("<b>x</b>");
    module.display.png(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    module.display.gif(new Uint8Array([1, 2, 3]).subarray(1));
    module.display.raw("application/x-thing", "as is");
    module.display.raw("application/vnd.custom+json", JSON.stringify({ bytes: 75 }));
    expect(emitted).toEqual([
      { data: { "text/html": "<b>x</b>" }, displayId: undefined, update: false },
      { data: { "image/png": "iVBORw==" }, displayId: undefined, update: false },
      { data: { "image/gif": Buffer.from([2, 3]).toString("base64") }, displayId: undefined, update: false },
      { data: { "application/x-thing": "as is" }, displayId: undefined, update: false },
      { data: { "application/vnd.custom+json": { bytes: 75 } }, displayId: undefined, update: false },
    ]);
  });

  it("makes newDisplay() show one output and replace it in place on every later call, whatever the mime type", () => {
    const { module, emitted } = tslab();
    const a = module.newDisplay();
    const b = module.newDisplay();
    a.text("0%");
    b.markdown("other");
    a.text("50%");
    a.html("<b>done</b>");
    expect(emitted.map((e) => [e.displayId, e.update])).toEqual([["id-1", false], ["id-2", false], ["id-1", true], ["id-1", true]]);
    expect(emitted.at(-1)?.data).toEqual({ "text/html": "<b>done</b>" });
  });

  it("refuses data that is neither text nor bytes, saying what it expected", () => {
    const { module } = tslab();
    expect(() => module.display.png("iVBOR" as unknown as Uint8Array)).toThrow(/expects a Uint8Array or Buffer, got string/);
    expect(() => module.display.raw("text/plain", 5 as unknown as string)).toThrow(/string or a Uint8Array/);
  });

  it("reports tsloop's, TypeScript's and Node's versions under tslab's keys", () => {
    const { module } = tslab();
    expect(module.versions.typescript).toBe(ts.version);
    expect(module.versions.node).toBe(process.version);
    expect(module.versions.tslab).toMatch(/^\d+\.\d+\.\d+/);
    expect(module.isJupyterEnv()).toBe(true);
  });
});

describe("FallbackModules (the kernel's own modules by bare name)", () => {
  const shim = { shim: true };
  const folder = (withPackage: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), "tsloop-compat-"));
    if (withPackage) {
      mkdirSync(join(dir, "node_modules", "tslab"), { recursive: true });
      writeFileSync(join(dir, "node_modules", "tslab", "package.json"), JSON.stringify({ name: "tslab", main: "index.js" }));
      writeFileSync(join(dir, "node_modules", "tslab", "index.js"), "exports.real = true;\n");
    }
    return dir;
  };

  it("gives the kernel's module to require and import when the folder has no such package, made once", async () => {
    let made = 0;
    const modules = new FallbackModules(folder(false), { tslab: () => (made++, shim) });
    expect(modules.require("tslab")?.exports).toBe(shim);
    expect(await modules.import("tslab")).toEqual({ shim: true, default: shim });
    expect(made).toBe(1);
    expect(modules.require("tslab/other")).toBeUndefined();
    expect(modules.import("node:fs")).toBeUndefined();
  });

  it("answers the runtime's require and import through CompatModuleLoader, and other names as before", async () => {
    const loader = new CompatModuleLoader(folder(false), { tslab: () => shim });
    expect(loader.require("tslab")).toBe(shim);
    expect((await loader.import("tslab", (s) => import(s))).shim).toBe(true);
    expect((loader.require("node:path") as { sep: string }).sep).toBe("/");
  });

  it("lets a tslab package installed in the notebook's folder win", () => {
    const modules = new FallbackModules(folder(true), { tslab: () => shim });
    expect(modules.require("tslab")).toBeUndefined();
    expect(modules.import("tslab")).toBeUndefined();
  });
});

describe("the Deno global", () => {
  const published: unknown[][] = [];
  const deno = createDeno({ emit: (...a) => published.push(["display", ...a]), broadcast: (...a) => published.push(["broadcast", ...a]) }) as {
    jupyter: {
      $display: symbol;
      display(obj: unknown, options?: object): Promise<void>;
      format(obj: unknown): Promise<unknown>;
      html(strings: TemplateStringsArray, ...values: unknown[]): unknown;
      image(pathOrBytes: string | Uint8Array): unknown;
      broadcast(msgType: string, content: object, extra?: object): Promise<void>;
      kernel?: unknown;
    };
    readTextFile?: unknown;
  };

  it("has exactly the jupyter members its declarations give the checker", () => {
    const d = declared(DENO_DTS);
    for (const name of DENO_JUPYTER_MEMBERS) expect(d.values.has(name), name).toBe(true);
    expect([...d.values].sort()).toEqual([...DENO_JUPYTER_MEMBERS].sort());
    expect(deno.jupyter.$display).toBe(DISPLAY_SYMBOL);
  });

  it("throws when a cell reads any other Deno member, naming what is supported", () => {
    // A cell's script is named tsloop-cell-<n>.ts (or .js) by the session interpreter.
    const inCell = (code: string, file = "/notebook/tsloop-cell-7.ts") => new Script(`(Deno) => ${code}`, { filename: file }).runInThisContext() as (d: unknown) => unknown;
    expect(() => inCell("Deno.readTextFile")(deno)).toThrow(/Deno\.readTextFile is not available in tsloop.*Deno\.jupyter\.display, Deno\.jupyter\.format/);
    expect(() => inCell("Deno.jupyter.kernel", "/notebook/tsloop-cell-8.js")(deno)).toThrow(/Deno\.jupyter\.kernel is not available/);
  });

  it("reads as absent for library code that probes for Deno (runtime detection must not fail)", () => {
    const library = new Script("(Deno) => typeof Deno !== 'undefined' && Deno.build != null ? 'deno' : 'node'", { filename: "/notebook/node_modules/sdk/platform.js" }).runInThisContext() as (d: unknown) => string;
    expect(library(deno)).toBe("node");
    expect(deno.readTextFile).toBeUndefined();
  });

  it("displays a raw bundle, updates by display_id, and formats values through the display protocol", async () => {
    published.length = 0;
    await deno.jupyter.display({ "text/markdown": "# hi" }, { raw: true, display_id: "d1" });
    await deno.jupyter.display({ "text/markdown": "# bye" }, { raw: true, display_id: "d1", update: true });
    const html = deno.jupyter.html`<b>${1 + 1}</b>${undefined}` as Record<symbol, () => unknown>;
    expect(await deno.jupyter.format(html)).toEqual({ "text/html": "<b>2</b>", "text/plain": "<HTML>" });
    const asyncDisplay = { [DISPLAY_SYMBOL]: () => Promise.resolve({ "text/plain": "later" }) };
    await deno.jupyter.display(asyncDisplay);
    expect(published).toEqual([
      ["display", { "text/markdown": "# hi" }, "d1", false],
      ["display", { "text/markdown": "# bye" }, "d1", true],
      ["display", { "text/plain": "later" }, undefined, false],
    ]);
    await expect(deno.jupyter.display({}, { update: true })).rejects.toThrow(/needs the display_id/);
  });

  it("shows PNG and JPEG bytes as images and refuses other bytes", () => {
    const png = deno.jupyter.image(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0])) as Record<symbol, () => Record<string, string>>;
    expect(Object.keys(png[DISPLAY_SYMBOL]?.() ?? {})).toContain("image/png");
    const jpeg = deno.jupyter.image(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])) as Record<symbol, () => Record<string, string>>;
    expect(Object.keys(jpeg[DISPLAY_SYMBOL]?.() ?? {})).toContain("image/jpeg");
    expect(() => deno.jupyter.image(new Uint8Array([1, 2, 3]))).toThrow(/neither a PNG nor a JPEG/);
  });

  it("publishes broadcast messages with metadata and buffers", async () => {
    published.length = 0;
    await deno.jupyter.broadcast("comm_msg", { comm_id: "c", data: {} }, { metadata: { m: 1 }, buffers: [new Uint8Array([7])] });
    expect(published).toEqual([["broadcast", "comm_msg", { comm_id: "c", data: {} }, { m: 1 }, [Buffer.from([7])]]]);
  });
});

describe("a cell result whose display method is async (Deno's protocol allows it)", () => {
  it("renders the awaited bundle, with the value's text/plain when the bundle has none", async () => {
    const later = { async [DISPLAY_SYMBOL]() { return { "text/html": "<i>later</i>" }; } };
    expect(render((await settleAsyncDisplay(later)).value).data).toEqual({ "text/html": "<i>later</i>", "text/plain": expect.stringContaining("Symbol(Jupyter.display)") as unknown });
  });

  it("leaves other values alone, without calling their display method", async () => {
    let calls = 0;
    const sync = { [DISPLAY_SYMBOL]: () => (calls++, { "text/plain": "now" }) };
    expect((await settleAsyncDisplay(sync)).value).toBe(sync);
    expect((await settleAsyncDisplay(42)).value).toBe(42);
    const promise = Promise.resolve(1);
    expect((await settleAsyncDisplay(promise)).value).toBe(promise);
    expect(calls).toBe(0);
  });

  it("refuses, saying what to do, a non-async method that returns a promise", () => {
    expect(() => render({ [DISPLAY_SYMBOL]: () => Promise.resolve({}) })).toThrow(/returned a promise.*await Deno\.jupyter\.display/);
  });
});
