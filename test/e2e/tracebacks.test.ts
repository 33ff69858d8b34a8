// Tracebacks through the real kernel show every frame at a cell line and nothing else: awaited async frames are
// mapped to `Cell In[n], line L`, the kernel's wrapper and plumbing (vm, AsyncLocalStorage) are gone, and an
// interrupted `await sleep(…)` points at the await with a caret.
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { kernelBuilt, parentId } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";

const frames = (traceback: unknown) => (traceback as string[]).map((l) => stripVTControlCharacters(l)).filter((l) => l.startsWith("    at "));
const text = (traceback: unknown) => stripVTControlCharacters((traceback as string[]).join("\n"));

describe.runIf(kernelBuilt())("tracebacks", () => {
  const session = useKernel("tracebacks");

  it("maps an awaited async frame to its cell line", async () => {
    const kernel = session();
    const r = await kernel.execute("async function f() {\n  await sleep(1);\n  throw new Error('deep');\n}\nawait f();");
    const n = r.reply.content.execution_count as number;
    expect(frames(r.reply.content.traceback)).toEqual([`    at f (Cell In[${n}], line 3:9)`, `    at Cell In[${n}], line 5:1`]);
  });

  it("shows no frame past the end of the line or at the next line (the kernel's wrapper)", async () => {
    const kernel = session();
    const thrown = await kernel.execute('throw new Error("boom")');
    const n = thrown.reply.content.execution_count as number;
    expect(frames(thrown.reply.content.traceback)).toEqual([`    at Cell In[${n}], line 1:7`]);
    const cell = await kernel.execute('void Promise.reject(new RangeError("x"));\nconsole.log("after");');
    const error = await kernel.waitFor((m) => m.header.msg_type === "error" && parentId(m) === cell.request.msg_id, 5000);
    expect(frames(error.content.traceback)).toEqual([`    at Cell In[${cell.reply.content.execution_count as number}], line 1:21`]);
  });

  it("shows a background error without the kernel's plumbing (vm, AsyncLocalStorage)", async () => {
    const kernel = session();
    const cell = await kernel.execute("const early = new Error('made in the cell');\nsetTimeout(() => {\n  throw early;\n}, 10);");
    const error = await kernel.waitFor((m) => m.header.msg_type === "error" && parentId(m) === cell.request.msg_id, 5000);
    expect(frames(error.content.traceback)).toEqual([`    at Cell In[${cell.reply.content.execution_count as number}], line 1:15`]);
    expect(text(error.content.traceback)).not.toMatch(/AsyncLocalStorage|node:|sigintHandlersWrap|tsloop-cell/);
  });

  it("shows the cell line of an interrupted await sleep(60_000), with its caret", async () => {
    const kernel = session();
    const cell = kernel.sendExecute("console.log('waiting');\nawait sleep(60_000);\nconsole.log('not reached');");
    await kernel.waitFor((m) => m.header.msg_type === "stream" && parentId(m) === cell.msg_id && String(m.content.text).includes("waiting"), 20_000);
    await kernel.request("control", "interrupt_request");
    const r = await kernel.collect(cell);
    const n = r.reply.content.execution_count as number;
    expect(r.reply.content.ename).toBe("Interrupted");
    expect(frames(r.reply.content.traceback)).toEqual([`    at Cell In[${n}], line 2:1`]);
    expect(text(r.reply.content.traceback)).toContain(`Cell In[${n}], line 2\n    1 console.log('waiting');\n--> 2 await sleep(60_000);\n      ^`);
    expect(text(r.reply.content.traceback)).not.toMatch(/Worker\.emit|node:/);
  });
});
