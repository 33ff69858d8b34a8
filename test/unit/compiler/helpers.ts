// Shared helpers for the cell compiler tests: compile-or-fail, the body of the async wrapper with whitespace
// normalised (for readable tables), and a fake runtime that runs compiled cells in a fresh vm context.
import vm from "node:vm";
import { compileCell } from "../../../src/compiler/cell-compiler.js";
import type { CompiledCell } from "../../../src/compiler/types.js";

/** Compiles and fails the test on diagnostics. */
export function compile(code: string, fileName = "/notebook/cell.ts"): CompiledCell {
  const result = compileCell(code, fileName);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(code)} to compile, got ${JSON.stringify(result.diagnostics)}`);
  return result.cell;
}

export function normalise(js: string): string {
  return js.replace(/\s+/g, " ").trim();
}

const PROLOGUE = '(async () => { "use strict";';
const EPILOGUE = "})();";

/** `__tsloop.defined("a", "b");` after each top-level declaration (tested on their own, left out of the tables). */
const DEFINED = /\s*__tsloop\.defined\((?:"[^"]*"(?:, )?)+\);/g;

/** The statements inside `(async () => { "use strict"; … })();`, whitespace normalised; the `defined` markers
 *  are left out unless asked for. */
export function bodyOf(js: string, options: { markers?: boolean } = {}): string {
  const text = normalise(js);
  const start = text.indexOf(PROLOGUE);
  if (start === -1 || !text.endsWith(EPILOGUE)) throw new Error(`not a cell script: ${text}`);
  const body = text.slice(start + PROLOGUE.length, text.length - EPILOGUE.length).trim();
  return options.markers === true ? body : body.replace(DEFINED, "").trim();
}

/** The guard every loop body starts with. */
export const GUARD = "if (__tsloop.flag[0] !== 0) __tsloop.interrupted();";

/** `__tsloop.import("m", s => import(s))` */
export function load(specifier: string, options?: string): string {
  return `__tsloop.import("${specifier}", s => import(s${options === undefined ? "" : `, ${options}`}))`;
}

/** The error the fake runtime's `interrupted()` throws. */
export class Interrupted extends Error {
  override name = "Interrupted";
}

/** A fresh vm context with a fake `__tsloop`, and `run(code)` doing what the runtime does with a cell:
 *  create the declared globals, evaluate the script, await its promise. */
export function createNotebook(modules: Record<string, Record<string, unknown>> = {}) {
  const flag = new Int32Array(1);
  const cellGlobals = {
    flag,
    interrupted(): never {
      throw new Interrupted("interrupted");
    },
    async import(specifier: string, loader: (s: string) => Promise<unknown>) {
      return modules[specifier] ?? ((await loader(specifier)) as Record<string, unknown>);
    },
    default: (ns: Record<string, unknown>) => ("default" in ns ? ns.default : ns),
    named: (ns: Record<string, unknown>, name: string) => ns[name],
    require: (specifier: string) => modules[specifier],
    defined: () => undefined,
  };
  const globals: Record<string, unknown> = {
    __tsloop: cellGlobals,
    setTimeout,
    raiseInterrupt: () => Atomics.store(flag, 0, 1),
  };
  const context = vm.createContext(globals);
  let count = 0;

  async function run(code: string, fileName = `/notebook/cell-${++count}.ts`): Promise<unknown> {
    const cell = compile(code, fileName);
    for (const name of cell.plan.declared) if (!(name in globals)) globals[name] = undefined;
    const script = new vm.Script(cell.js, {
      filename: fileName,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    return await (script.runInContext(context) as Promise<unknown>);
  }

  return { run, flag, globals };
}
