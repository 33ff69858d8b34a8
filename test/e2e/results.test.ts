// A cell's value as the user sees it, through the real kernel: values the cell API returns only for chaining are
// not echoed (IPython's display() returns nothing), and stack traces inside a previewed Error or rejected Promise
// go through the same source mapping and frame filter as tracebacks.
import { describe, expect, it } from "vitest";
import { kernelBuilt, plain } from "../helpers/kernel-client.js";
import { useKernel } from "../helpers/session.js";

describe.runIf(kernelBuilt())("a cell's value", () => {
  const session = useKernel("results");

  it("does not echo the handle when display(x) is the cell's last expression, and still returns it", async () => {
    const kernel = session();
    const r = await kernel.execute('display(html("<b>shown once</b>"))');
    expect(r.reply.content.status).toBe("ok");
    expect(r.outputs.displays).toHaveLength(1);
    expect(r.outputs.results).toHaveLength(0);
    const kept = await kernel.execute('const handle = display("first");\nhandle.update("second");\ntypeof handle.displayId');
    expect(plain(kept.outputs.results[0])).toBe("'string'");
  });

  it("does not display a widget again for set/on/off returned for chaining, nor a comm for onMessage, but shows the widget itself", async () => {
    const kernel = session();
    await kernel.execute("const slider = new widgets.IntSlider({ value: 3 });");
    for (const call of ["slider.on('change', () => {})", "slider.set({ value: 4 })", "slider.off('change')"]) {
      const r = await kernel.execute(call);
      expect(r.reply.content.status, call).toBe("ok");
      expect(r.outputs.results, call).toHaveLength(0);
    }
    const shown = await kernel.execute("slider");
    expect(shown.outputs.results[0]?.content.data).toHaveProperty(["application/vnd.jupyter.widget-view+json"]);
    const comm = await kernel.execute("const link = tsloop.comms.open('i18.echo');\nlink.onMessage(() => {})");
    expect(comm.reply.content.status, JSON.stringify(comm.reply.content)).toBe("ok");
    expect(comm.outputs.results).toHaveLength(0);
    const map = await kernel.execute("new Map<string, number>().set('k', 1)");
    expect(plain(map.outputs.results[0])).toBe("Map(1) { 'k' => 1 }");
  });

  it("previews a rejected promise with its frames mapped to cell lines and the kernel's frames removed", async () => {
    const kernel = session();
    const r = await kernel.execute("void 0;\nPromise.reject(new RangeError('x'))");
    const text = plain(r.outputs.results[0]) ?? "";
    expect(text).toMatch(/^Promise \{\n {2}<rejected> RangeError: x\n {6}at Cell In\[\d+\], line 2:16\n\}$/);
    expect(text).not.toMatch(/tsloop-cell|sigintHandlersWrap|node:|dist\/runtime|runtime\.js/);
  });

  it("previews an Error value with cell frames only", async () => {
    const kernel = session();
    const r = await kernel.execute("function make() {\n  return new TypeError('as a value');\n}\nmake()");
    expect(plain(r.outputs.results[0])).toMatch(/^TypeError: as a value\n {4}at make \(Cell In\[\d+\], line 2:10\)\n {4}at Cell In\[\d+\], line 4:1$/);
  });

  it("prints a logged error's stack with cell frames only", async () => {
    const kernel = session();
    const r = await kernel.execute("function parse(text: string): unknown {\n  return JSON.parse(text);\n}\ntry {\n  parse('{');\n} catch (err) {\n  console.log(err);\n}");
    const n = r.reply.content.execution_count as number;
    expect(r.outputs.stdout).toMatch(/^SyntaxError: /);
    expect(r.outputs.stdout).toContain(`    at parse (Cell In[${n}], line 2:15)\n    at Cell In[${n}], line 5:3`);
    expect(r.outputs.stdout).not.toMatch(/tsloop-cell|sigintHandlersWrap|node:|runtime\.js|AsyncLocalStorage/);
  });
});
