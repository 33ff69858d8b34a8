// Cells keep what ran, as IPython does: after a run-time throw, the declarations whose initialisers completed
// stay defined for the runtime and the type checker; the others are not defined; a cell the type checker or the
// compiler rejects defines nothing. Through the real kernel, type checking on.
import { describe, expect, it } from "vitest";
import { kernelBuilt, plain } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";

describe.runIf(kernelBuilt())("a cell that throws keeps what ran", () => {
  const session = useKernel("cell-state");

  it("keeps a function declared in a cell whose call then throws, for the runtime and the checker", async () => {
    const kernel = session();
    const failed = await kernel.execute("async function load(id: number): Promise<string> {\n  await sleep(10);\n  throw new Error(`load ${id} failed`);\n}\nawait load(1);");
    expect(failed.reply.content.status).toBe("error");
    expect(failed.reply.content.evalue).toBe("load 1 failed");
    const again = await kernel.execute("const loaded: Promise<string> = load(2).catch((e: Error) => e.message);\nawait loaded");
    expect(again.reply.content.status, JSON.stringify(again.reply.content)).toBe("ok");
    expect(plain(again.outputs.results[0])).toBe("'load 2 failed'");
  });

  it("keeps const, let, var and classes whose initialisers completed, and drops the rest", async () => {
    const kernel = session();
    const failed = await kernel.execute(
      "const before = 1, alsoBefore = 'two';\nlet counter = 3;\nvar total = 4;\nclass Box { v = 5 }\nconst broken: number = JSON.parse('{');\nconst after = 6;\nclass Late {}",
    );
    expect(failed.reply.content.ename).toBe("SyntaxError");
    const kept = await kernel.execute("counter += 1;\nconst sum: number = before + counter + total + new Box().v;\n`${sum} ${alsoBefore}`");
    expect(kept.reply.content.status, JSON.stringify(kept.reply.content)).toBe("ok");
    expect(plain(kept.outputs.results[0])).toBe("'14 two'");
    for (const name of ["broken", "after", "Late"]) {
      const missing = await kernel.execute(`${name}`);
      expect(missing.reply.content.status).toBe("error");
      expect(String(missing.reply.content.evalue)).toMatch(new RegExp(`Cannot find name '${name}'`));
    }
    expect(plain((await kernel.execute("// @ts-nocheck\ntypeof after")).outputs.results[0])).toBe("'undefined'");
  });

  it("gives a re-declared name back its earlier value and type when the new initialiser never ran", async () => {
    const kernel = session();
    await kernel.execute("const shape = { kind: 'old' as const };");
    const failed = await kernel.execute("throw new Error('first');\nconst shape = 42;");
    expect(failed.reply.content.status).toBe("error");
    const r = await kernel.execute("const k: 'old' = shape.kind;\nk");
    expect(r.reply.content.status, JSON.stringify(r.reply.content)).toBe("ok");
    expect(plain(r.outputs.results[0])).toBe("'old'");
  });

  it("defines nothing when the type checker rejects the cell", async () => {
    const kernel = session();
    const rejected = await kernel.execute("const typed = 1;\nconst wrong: string = 2;");
    expect(rejected.reply.content.status).toBe("error");
    const r = await kernel.execute("// @ts-nocheck\ntypeof typed");
    expect(plain(r.outputs.results[0])).toBe("'undefined'");
    expect(String((await kernel.execute("typed")).reply.content.evalue)).toMatch(/Cannot find name 'typed'/);
  });

  it("defines nothing when the compiler rejects the cell", async () => {
    const kernel = session();
    const rejected = await kernel.execute("const parsed = 1;\nconst = ;");
    expect(rejected.reply.content.ename).toBe("SyntaxError");
    expect(plain((await kernel.execute("// @ts-nocheck\ntypeof parsed")).outputs.results[0])).toBe("'undefined'");
  });
});
