// The runtime's patch table, through the real runtime: each patch alone installs and uninstalls back to the
// identical original; runtimes can be made and disposed one after another in one process (no "Cannot redefine
// property: __tsloop"), each leaving the process as it found it; and local TypeScript modules load through the
// kernel's own require hook, which leaves Error.prepareStackTrace and module resolution alone while tracebacks into
// the module still show its TypeScript lines.
import { mkdtempSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileCell } from "../../../src/compiler/cell-compiler.js";
import type { Header, JSONObject } from "../../../src/protocol/messages.js";
import { InterruptReceiver, createInterruptLine } from "../../../src/session/interrupt-line.js";
import { ProcessPatches, processPatches } from "../../../src/runtime/patches/owner.js";
import { type Patch, type Uninstall, isListener } from "../../../src/runtime/patches/table.js";
import { realSetTimeout } from "../../../src/runtime/real-timers.js";
import { Runtime } from "../../../src/runtime/runtime.js";

/** An owner that keeps the table it is given instead of installing it. */
class RecordingPatches extends ProcessPatches {
  table: readonly Patch[] = [];
  override install(table: readonly Patch[]): Uninstall {
    this.table = table;
    return () => undefined;
  }
}

type Published = { msgType: string; content: JSONObject };

function makeRuntime(options: { cwd?: string; patches?: ProcessPatches } = {}) {
  const published: Published[] = [];
  const runtime = new Runtime(
    { publish: (_parent, msgType, content) => void published.push({ msgType, content }), requestInput: () => Promise.reject(new Error("no stdin here")) },
    { cwd: options.cwd ?? process.cwd(), line: new InterruptReceiver(createInterruptLine()), ...(options.patches ? { patches: options.patches } : {}) },
  );
  return { runtime, published };
}

let count = 0;
async function run(runtime: Runtime, code: string, cwd = process.cwd()) {
  const executionCount = ++count;
  const fileName = join(cwd, `tsloop-cell-${executionCount}.ts`);
  const compiled = compileCell(code, fileName, { trace: true });
  if (!compiled.ok) throw new Error(`cell does not compile: ${JSON.stringify(compiled.diagnostics)}`);
  const parent: Header = { msg_id: `m${executionCount}`, session: "s", username: "u", date: new Date().toISOString(), msg_type: "execute_request", version: "5.3" };
  return runtime.run({ ...compiled.cell, source: code, fileName, executionCount, parent, silent: false, allowStdin: false, userExpressions: {} });
}

/** What each property of the table is now (its descriptor), and each listened event's listeners. */
function snapshot(table: readonly Patch[]) {
  return table.map((p) => (isListener(p) ? p.emitter.listeners(p.event) : Object.getOwnPropertyDescriptor(p.target, p.key)));
}

const recorded = new RecordingPatches();
const tableRuntime = makeRuntime({ patches: recorded }).runtime;
tableRuntime.dispose();
const TABLE = recorded.table.map((patch) => ({ name: patch.name, patch }));

describe("the runtime's patch table", () => {
  it("covers what the runtime changes in the process", () => {
    const names = TABLE.map((t) => t.name);
    for (const name of ["globalThis.setTimeout", "node:timers setTimeout", "node:timers/promises setTimeout", "Promise.all", "globalThis.console", "process.stdout.write", "process.exit", "process.emitWarning", "globalThis.__tsloop", "process uncaughtException listener", "process unhandledRejection listener"]) {
      expect(names).toContain(name);
    }
  });

  it.each(TABLE)("$name alone installs and uninstalls back to the identical original", ({ patch }) => {
    const owner = new ProcessPatches();
    const before = snapshot([patch]);
    const real = isListener(patch) ? undefined : Reflect.get(patch.target, patch.key);
    const uninstall = owner.install([patch]);
    if (isListener(patch)) expect(patch.emitter.listeners(patch.event)).toContain(patch.listener);
    else {
      const installed: unknown = Reflect.get(patch.target, patch.key);
      expect(installed).not.toBe(real);
      expect(installed, "a function is replaced by a function").toSatisfy((v) => typeof real !== "function" || typeof v === "function");
      expect(installed, "a new global is a value").not.toBeUndefined();
    }
    uninstall();
    expect(snapshot([patch])).toEqual(before);
    if (!isListener(patch)) expect(Reflect.get(patch.target, patch.key)).toBe(real);
  });
});

describe("runtimes made and disposed in one process", () => {
  it("runs cells in two runtimes one after another, each leaving the process as it found it", async () => {
    const before = snapshot(recorded.table);
    const setTimeoutBefore = globalThis.setTimeout;
    for (const word of ["first", "second"]) {
      const { runtime, published } = makeRuntime();
      expect(globalThis.setTimeout).not.toBe(setTimeoutBefore);
      expect(processPatches.real(globalThis, "setTimeout")).toBe(setTimeoutBefore);
      const outcome = await run(runtime, `console.log("${word}");\nawait new Promise((r) => setTimeout(r, 1));\n40 + 2`);
      expect(outcome.status).toBe("ok");
      runtime.output.flush();
      expect(published.filter((p) => p.msgType === "stream").map((p) => p.content.text)).toEqual([`${word}\n`]);
      runtime.dispose();
      runtime.dispose();
      expect(snapshot(recorded.table)).toEqual(before);
      expect(globalThis.setTimeout).toBe(setTimeoutBefore);
    }
  });

  it("gives the kernel's own timers the real setTimeout while the runtime is installed", async () => {
    const { runtime } = makeRuntime();
    try {
      await new Promise((resolve) => realSetTimeout(resolve, 1));
      expect(processPatches.real(globalThis, "setTimeout")).not.toBe(globalThis.setTimeout);
    } finally {
      runtime.dispose();
    }
  });
});

describe("the __tsloop global", () => {
  it("is read-only for a cell that declares a variable of that name, as it was when it could not be redefined", async () => {
    const { runtime } = makeRuntime();
    try {
      const globals: unknown = Reflect.get(globalThis, "__tsloop");
      const declared = await run(runtime, "var __tsloop = 1;");
      expect(declared.status === "error" && declared.evalue).toMatch(/Cannot assign to read only property '__tsloop'/);
      expect(Reflect.get(globalThis, "__tsloop")).toBe(globals);
      const after = await run(runtime, "let n = 0;\nfor (let i = 0; i < 3; i++) n += i;\nn");
      expect(after.status === "ok" && after.result?.data["text/plain"]).toBe("3");
    } finally {
      runtime.dispose();
    }
  });
});

describe("local TypeScript modules", () => {
  it("load through the kernel's require hook, leave the process's stack and resolve hooks alone, and map tracebacks to TS lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsloop-patches-"));
    writeFileSync(join(dir, "mod.ts"), 'export interface Shape {\n  a: number;\n}\nexport type Name = string;\nexport function boom(): never {\n  throw new Error("boom in module");\n}\n');
    const hooks = () => ({ prepare: Error.prepareStackTrace, resolve: (Module as unknown as { _resolveFilename: unknown })._resolveFilename, emit: process.emit });
    const extensions = (Module as unknown as { _extensions: Record<string, unknown> })._extensions;
    const before = hooks();
    const jsLoader = extensions[".js"];
    const { runtime } = makeRuntime({ cwd: dir });
    try {
      const outcome = await run(runtime, 'import { boom } from "./mod";\nboom();', dir);
      expect(outcome.status).toBe("error");
      const traceback = outcome.status === "error" ? outcome.traceback.join("\n") : "";
      expect(traceback).toContain("boom in module");
      expect(traceback).toContain(`at boom (${join(dir, "mod.ts")}:6:9)`);
      expect(hooks()).toEqual(before);
      expect(typeof extensions[".ts"]).toBe("function");
    } finally {
      runtime.dispose();
    }
    expect(Object.hasOwn(extensions, ".ts")).toBe(false);
    expect(extensions[".js"]).toBe(jsLoader);
  });

  it("refuses a .ts module in a \"type\": \"module\" folder, as ts-node's hook did (ERR_REQUIRE_ESM)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsloop-patches-esm-"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(join(dir, "esm.ts"), "export const x: number = 1;\n");
    const { runtime } = makeRuntime({ cwd: dir });
    try {
      const outcome = await run(runtime, 'import { x } from "./esm";\nx', dir);
      expect(outcome.status === "error" && outcome.evalue).toMatch(/^Must use import to load ES Module: .*esm\.ts/);
    } finally {
      runtime.dispose();
    }
  });
});
