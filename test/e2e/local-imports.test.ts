// Local imports as TypeScript users write them (ts-node, tslab, Vite, bundlers), through the real kernel with type
// checking on: `./x` finds ./x.ts, ./x.tsx, ./x.js (typed by ./x.d.ts) and ./x/index.ts, for the type checker and at
// run time; `paths` from the notebook folder's tsconfig.json are honoured; `./x.ts` and `./x.js` keep working.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { kernelBuilt, plain } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";

const FILES: Record<string, string> = {
  "helpers.ts": "export function twice(n: number): number { return n * 2; }\n",
  "card.tsx": "export const fromTsx: string = 'tsx';\n",
  "plain.js": "export const fromJs = 'js';\n",
  "plain.d.ts": "export declare const fromJs: string;\n",
  "lib/sub/index.ts": "export const fromIndex: number = 7;\n",
  "lib/util.ts": "export const aliased: string = 'alias';\n",
  "thrower.ts": "export interface Shape {\n  a: number;\n}\nexport function boom(): never {\n  throw new Error('boom in a module');\n}\n",
  "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, jsx: "react-jsx", paths: { "@lib/*": ["./lib/*"] } } }),
};

describe.runIf(kernelBuilt())("local imports without extensions", () => {
  const session = useKernel("local-imports", {
    prepare: (dir) => {
      for (const [name, text] of Object.entries(FILES)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), text);
      }
    },
  });

  it("resolves ./helpers to helpers.ts for the type checker and at run time", async () => {
    const kernel = session();
    const r = await kernel.execute('import { twice } from "./helpers";\nconst n: number = twice(21);\nn');
    expect(r.reply.content.status, JSON.stringify(r.reply.content)).toBe("ok");
    expect(plain(r.outputs.results[0])).toBe("42");
    const typed = await kernel.execute('import { twice as t } from "./helpers";\nconst s: string = t(1);');
    expect(String(typed.reply.content.evalue)).toMatch(/TS2322/);
  });

  it("resolves .tsx, .js and folder index files, and tsconfig paths", async () => {
    const kernel = session();
    const r = await kernel.execute(
      'import { fromTsx } from "./card";\nimport { fromJs } from "./plain";\nimport { fromIndex } from "./lib/sub";\nimport { aliased } from "@lib/util";\n`${fromTsx} ${fromJs} ${fromIndex} ${aliased}`',
    );
    expect(r.reply.content.status, JSON.stringify(r.reply.content)).toBe("ok");
    expect(plain(r.outputs.results[0])).toBe("'tsx js 7 alias'");
  });

  it("keeps ./x.ts and ./x.js working", async () => {
    const kernel = session();
    const r = await kernel.execute('import { twice } from "./helpers.ts";\nimport { fromJs } from "./plain.js";\ntwice(fromJs.length)');
    expect(r.reply.content.status, JSON.stringify(r.reply.content)).toBe("ok");
    expect(plain(r.outputs.results[0])).toBe("4");
  });

  it("shows a traceback into a local module at the module's TypeScript line", async () => {
    const kernel = session();
    const r = await kernel.execute('import { boom } from "./thrower";\nboom();');
    expect(r.reply.content.status).toBe("error");
    const traceback = (r.reply.content.traceback as string[]).join("\n");
    expect(traceback).toMatch(/at boom \(.*thrower\.ts:5:9\)/);
    expect(traceback).toContain("Cell In[");
  });

  it("still reports an extensionless import that names no file", async () => {
    const kernel = session();
    const r = await kernel.execute('import { nothing } from "./missing";');
    expect(r.reply.content.status).toBe("error");
    expect(String(r.reply.content.evalue)).toMatch(/TS2307: Cannot find module '\.\/missing'/);
  });
});
