// tsloop's widgets rendered by a real widget frontend: @jupyter-widgets/html-manager (the ipywidgets 8
// renderer, controls 2.0.0) in Debian's Chromium, fed the kernel's messages live. The page's comms reach the
// kernel through this test (a Playwright binding → comm_msg on shell), so the round trip is real both ways:
// the slider renders from the kernel's comm_open, follows a cell's assignment, and a key press on its handle
// changes `.value` in the kernel and runs the cell's change handler; a click on the button runs `on("click")`.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KernelClient, kernelBuilt, parentId, plain, type Received } from "../helpers/kernel-client.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const ORIGIN = "http://tsloop-widgets.test";
const PAGE_DIR = resolve(__dirname, "..", "widgets-browser");
const MANAGER_DIST = join(dirname(require.resolve("@jupyter-widgets/html-manager/package.json")), "dist");
/** Files the page may load by name: the page's own, html-manager's dist, and anywidget's front end. */
const ALIASES: Record<string, string> = { "anywidget.js": resolve(__dirname, "..", "..", "node_modules", "anywidget", "dist", "index.js") };
const FORWARDED = new Set(["comm_open", "comm_msg", "comm_close", "display_data", "execute_result"]);

interface PageMessage {
  id: string;
  type: "comm_msg" | "comm_close";
  comm_id: string;
  data: Record<string, unknown>;
  buffers: string[];
}

describe.runIf(kernelBuilt() && existsSync(CHROMIUM))("widgets in a real widget renderer (html-manager in Chromium)", () => {
  let kernel: KernelClient;
  let browser: Browser;
  let page: Page;
  /** Everything sent to the page, in kernel order (one evaluate at a time). */
  let toPage: Promise<unknown> = Promise.resolve();
  const pageErrors: string[] = [];

  const forward = (task: () => Promise<unknown>) => {
    toPage = toPage.then(task, task);
    return toPage;
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsloop-widgets-browser-"));
    kernel = await KernelClient.start({ cwd: dir, env: { JUPYTER_DATA_DIR: join(dir, "data") } });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000 });
    page = await browser.newPage();
    page.on("pageerror", (err) => pageErrors.push(err.message));
    page.on("console", (m) => {
      if (m.type() === "error") pageErrors.push(m.text());
    });
    await page.route(`${ORIGIN}/**`, async (route) => {
      const name = new URL(route.request().url()).pathname.slice(1);
      const file = [ALIASES[name] ?? "", join(PAGE_DIR, name), join(MANAGER_DIST, name)].find((f) => /^[\w.-]+$/.test(name) && f !== "" && existsSync(f));
      if (!file) return route.fulfill({ status: 404, body: "" });
      const type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript" : "application/octet-stream";
      return route.fulfill({ status: 200, contentType: type, body: readFileSync(file) });
    });
    await page.exposeFunction("__toKernel", (m: PageMessage) => {
      const header = kernel.send("shell", m.type, { comm_id: m.comm_id, data: m.data } as never);
      void kernel.idle(header.msg_id, 30_000).then(
        () => forward(() => page.evaluate((id) => (globalThis as unknown as { __idle(id: string): void }).__idle(id), m.id)),
        () => undefined,
      );
    });
    await page.goto(`${ORIGIN}/page.html`);
    await page.waitForFunction(() => typeof (globalThis as unknown as { __fromKernel?: unknown }).__fromKernel === "function");
    // Tap every message the kernel sends from now on (a waiter that never matches sees each one, in order).
    kernel
      .waitFor(
        (m) => {
          if (m.channel === "iopub" && FORWARDED.has(m.header.msg_type)) void forward(() => page.evaluate((msg) => (globalThis as unknown as { __fromKernel(m: unknown): Promise<void> }).__fromKernel(msg), serialise(m)));
          return false;
        },
        60 * 60_000,
      )
      .catch(() => undefined);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await kernel?.close();
  });

  const settled = async () => {
    await toPage;
  };

  it("renders a slider from the kernel's comm_open and display, and follows a cell's assignment", async () => {
    const cell = await kernel.execute("const s = new widgets.IntSlider({ value: 3, min: 1, max: 10, description: 'limit' });\ns.on('change', (v, old, info) => console.log(`limit ${old} -> ${v} (${info.source})`));\ns");
    expect(cell.reply.content.status).toBe("ok");
    await settled();
    const slider = page.locator(".output .widget-slider");
    await slider.waitFor({ timeout: 10_000 });
    expect(await slider.locator(".widget-label").textContent()).toBe("limit");
    await expect.poll(() => slider.locator(".widget-readout").textContent()).toBe("3");
    await kernel.execute("s.value = 8;");
    await settled();
    await expect.poll(() => slider.locator(".widget-readout").textContent()).toBe("8");
    await page.screenshot({ path: join(tmpdir(), "tsloop-widgets-slider.png") });
    expect(pageErrors).toEqual([]);
  });

  it("sends a user's key press on the slider to the kernel, which runs the cell's change handler", async () => {
    const defining = kernel.messages.find((m) => m.header.msg_type === "execute_input" && String(m.content.code).startsWith("const s = new widgets.IntSlider"));
    const handle = page.locator(".output .widget-slider .noUi-handle").first();
    await handle.focus();
    await page.keyboard.press("ArrowRight");
    const printed = await kernel.waitFor((m) => m.header.msg_type === "stream" && String(m.content.text).includes("limit 8 -> 9 (frontend)"));
    expect(parentId(printed)).toBe(parentId(defining as Received));
    expect(plain((await kernel.execute("s.value")).outputs.results[0])).toBe("9");
    await settled();
    expect(await page.locator(".output .widget-slider .widget-readout").textContent()).toBe("9");
    expect(pageErrors).toEqual([]);
  });

  it("runs on('click') when the rendered button is clicked", async () => {
    const cell = await kernel.execute("const b = new widgets.Button({ description: 'go', buttonStyle: 'primary' });\nb.on('click', () => console.log('clicked in the browser'));\nb");
    await settled();
    await page.locator(".output button.jupyter-button", { hasText: "go" }).click();
    const printed = await kernel.waitFor((m) => m.header.msg_type === "stream" && String(m.content.text).includes("clicked in the browser"));
    expect(parentId(printed)).toBe(cell.request.msg_id);
    expect(pageErrors).toEqual([]);
  });

  it("renders an anywidget-style widget with the anywidget front end, synced both ways", async () => {
    const code = `const counter = new widgets.AnyWidget({ esm: ${JSON.stringify(COUNTER_ESM)}, css: ".counter { color: rgb(255, 0, 0); }", state: { count: 0 } });\ncounter.on("change:count", (v) => console.log("count", v));\ncounter`;
    const cell = await kernel.execute(code);
    expect(cell.reply.content.status).toBe("ok");
    await settled();
    const button = page.locator(".output button.counter");
    await button.waitFor({ timeout: 10_000 });
    expect(await button.textContent()).toBe("count is 0");
    expect(await button.evaluate((b) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(b).color)).toBe("rgb(255, 0, 0)");
    await button.click();
    const printed = await kernel.waitFor((m) => m.header.msg_type === "stream" && String(m.content.text).includes("count 1"));
    expect(parentId(printed)).toBe(cell.request.msg_id);
    await kernel.execute("counter.count = 10;");
    await settled();
    await expect.poll(() => button.textContent()).toBe("count is 10");
    expect(pageErrors).toEqual([]);
  });

  it("shows a progress() bar that ends full, with the success style", async () => {
    await kernel.execute("await progress([1, 2, 3].map((x) => sleep(10 * x, x)), { label: 'steps' });");
    await settled();
    const bar = page.locator(".output .widget-hprogress").last();
    await bar.waitFor({ timeout: 10_000 });
    expect(await bar.locator(".widget-label").textContent()).toBe("steps");
    await expect.poll(() => bar.locator(".progress-bar").getAttribute("class")).toContain("progress-bar-success");
    expect(pageErrors).toEqual([]);
  });
});

const COUNTER_ESM = `export default {
  render({ model, el }) {
    const button = document.createElement("button");
    button.className = "counter";
    const show = () => { button.textContent = "count is " + model.get("count"); };
    button.onclick = () => { model.set("count", model.get("count") + 1); model.save_changes(); };
    model.on("change:count", show);
    show();
    el.appendChild(button);
  },
};`;

/** A received message as plain JSON for the page (buffers as base64). */
function serialise(m: Received) {
  return { header: m.header, parent_header: m.parent_header, metadata: m.metadata, content: m.content, buffers: (m.buffers ?? []).map((b) => Buffer.from(b).toString("base64")) };
}
