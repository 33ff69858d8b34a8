// tsloop behind a real Jupyter server, driven by the code JupyterLab itself runs: @jupyterlab/services
// (SessionManager, KernelManager, KernelConnection over the server's websocket) against Debian's jupyter_server
// with the kernelspec `tsloop install --prefix` wrote. Outputs of every kind, late output and display updates on
// the originating cell's future while a later cell runs, interrupt/restart/shutdown through the server's REST
// API, and completion/inspection over the websocket. (In Node, @jupyterlab/services opens its websocket with `ws`.)
import { type Kernel, type KernelMessage, KernelManager, ServerConnection, SessionManager, type Session } from "@jupyterlab/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JupyterEnv, alive, pythonModule, shouldSkip } from "../helpers/jupyter-env.js";
import { JupyterServer } from "../helpers/jupyter-server.js";
import { type ProtocolCheck, Recorder, bounded, eventually, plain, run, validateAll } from "../helpers/services.js";

const skip = shouldSkip("jupyter-server.test.ts", [pythonModule("jupyter_server", "python3-jupyter-server")]);

describe.skipIf(skip)("tsloop in Debian's jupyter_server, driven by @jupyterlab/services", () => {
  let jupyter: JupyterEnv;
  let server: JupyterServer;
  let settings: ServerConnection.ISettings;
  let sessions: SessionManager;
  let kernels: KernelManager;
  let session: Session.ISessionConnection;
  let kernel: Kernel.IKernelConnection;
  let protocol: ProtocolCheck;

  beforeAll(async () => {
    jupyter = JupyterEnv.create("server");
    server = await JupyterServer.start({ kind: "jupyter_server", jupyter });
    settings = ServerConnection.makeSettings({
      baseUrl: server.baseUrl,
      wsUrl: server.wsUrl,
      token: server.token,
      appendToken: true,
      fetch,
    });
    kernels = new KernelManager({ serverSettings: settings });
    sessions = new SessionManager({ serverSettings: settings, kernelManager: kernels });
    await bounded(Promise.all([kernels.ready, sessions.ready]), 10_000, "the managers' first refresh");
    // A notebook session, as JupyterLab opens one.
    session = await sessions.startNew({ path: "frontends.ipynb", type: "notebook", name: "frontends.ipynb", kernel: { name: "tsloop" } });
    if (!session.kernel) throw new Error("the session has no kernel");
    kernel = session.kernel;
    protocol = validateAll(kernel);
    const info = await bounded(kernel.info, 20_000, "kernel_info_reply");
    expect(info.language_info.name).toBe("typescript");
  }, 60_000);

  afterAll(async () => {
    await session?.shutdown().catch(() => undefined);
    sessions?.dispose();
    kernels?.dispose();
    await server?.stop();
    jupyter?.dispose();
  });

  it("the server lists the tsloop kernelspec from JUPYTER_PATH", async () => {
    const specs = (await (await server.api("api/kernelspecs")).json()) as { kernelspecs: Record<string, { spec: Record<string, unknown> }> };
    expect(specs.kernelspecs.tsloop?.spec).toMatchObject({ display_name: "TypeScript (tsloop)", language: "typescript", interrupt_mode: "message" });
  });

  it("a cell's stream, display_data and execute_result reach its future", async () => {
    const { recorder, content } = await run(kernel, 'console.log("hello from tsloop");\ndisplay(html("<i>rich</i>"));\n6 * 7');
    expect(content.status).toBe("ok");
    expect(recorder.stdout).toBe("hello from tsloop\n");
    expect(recorder.ofType("display_data")[0]?.content).toMatchObject({ data: { "text/html": "<i>rich</i>" } });
    const result = recorder.ofType("execute_result")[0];
    expect(plain(result)).toBe("42");
    expect((result?.content as { execution_count: number }).execution_count).toBe(content.execution_count);
    expect(recorder.ofType("execute_input")[0]?.content).toMatchObject({ execution_count: content.execution_count });
  });

  it("late output of a timer in cell 1 reaches cell 1's future while cell 2 runs", async () => {
    const cell1 = await run(kernel, 'setTimeout(() => console.log("late from cell 1"), 300);');
    expect(cell1.content.status).toBe("ok");
    expect(cell1.recorder.stdout).toBe("");
    const started = Date.now();
    const cell2Future = kernel.requestExecute({ code: 'await sleep(1200); "cell 2 done"' }, false);
    const cell2 = new Recorder(cell2Future);
    const late = await cell1.recorder.waitFor((m) => m.header.msg_type === "stream", 5_000, "late stream on cell 1");
    expect((late.content as { text: string }).text).toBe("late from cell 1\n");
    expect(late.parent_header).toMatchObject({ msg_id: cell1.future.msg.header.msg_id });
    // It arrived while cell 2 was still running.
    expect(cell2.ofType("execute_result")).toHaveLength(0);
    const reply2 = await bounded(cell2Future.done, 10_000, "cell 2's reply");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(reply2.content.status).toBe("ok");
    expect(plain(cell2.ofType("execute_result")[0])).toBe("'cell 2 done'");
    expect(cell2.stdout).not.toContain("late from cell 1");
    // No status messages wrap the late output.
    expect(cell1.recorder.ofType("status").map((m) => (m.content as { execution_state: string }).execution_state)).toEqual(["busy", "idle"]);
    cell1.future.dispose();
    cell2Future.dispose();
  });

  it("update_display_data from a timer reaches the displaying cell's future with the same display_id", async () => {
    const cell = await run(kernel, 'const h = display(html("<b>a</b>"));\nsetTimeout(() => h.update(html("<b>b</b>")), 300);');
    expect(cell.content.status).toBe("ok");
    const shown = cell.recorder.ofType("display_data")[0];
    expect(shown?.content).toMatchObject({ data: { "text/html": "<b>a</b>" } });
    const displayId = (shown?.content as { transient?: { display_id?: string } }).transient?.display_id;
    expect(displayId).toBeTruthy();
    // The cell's live timeline (a pending timer) updates its own display meanwhile: wait for this display's update.
    const update = await cell.recorder.waitFor(
      (m) => m.header.msg_type === "update_display_data" && (m.content as { transient?: { display_id?: string } }).transient?.display_id === displayId,
      5_000,
      "update_display_data of the html display",
    );
    expect(update.content).toMatchObject({ data: { "text/html": "<b>b</b>" }, transient: { display_id: displayId } });
    expect(update.parent_header).toMatchObject({ msg_id: cell.future.msg.header.msg_id });
    cell.future.dispose();
  });

  it("complete and inspect over the websocket see a variable declared in an earlier cell", async () => {
    const declared = await run(kernel, 'interface Point { x: number; y: number }\nconst greetingText: string = "hi";\nconst origin: Point = { x: 0, y: 0 };');
    expect(declared.content.status).toBe("ok");
    declared.future.dispose();

    const completed = await bounded(kernel.requestComplete({ code: "greetingT", cursor_pos: 9 }), 10_000, "complete_reply");
    expect(completed.content.status).toBe("ok");
    const completion = completed.content as KernelMessage.ICompleteReplyMsg["content"] & { status: "ok" };
    expect(completion.matches).toContain("greetingText");
    expect(completion).toMatchObject({ cursor_start: 0, cursor_end: 9 });

    const members = await bounded(kernel.requestComplete({ code: "origin.", cursor_pos: 7 }), 10_000, "complete_reply for members");
    expect((members.content as { matches: string[] }).matches).toEqual(expect.arrayContaining(["x", "y"]));

    const inspected = await bounded(kernel.requestInspect({ code: "origin", cursor_pos: 3, detail_level: 0 }), 10_000, "inspect_reply");
    expect(inspected.content).toMatchObject({ status: "ok", found: true });
    expect(String((inspected.content as { data: Record<string, unknown> }).data["text/plain"])).toMatch(/origin.*Point/s);
  });

  it("an interrupt through the REST API stops while (true) {} and the session keeps its variables", async () => {
    const before = await run(kernel, 'const kept = "still here";');
    expect(before.content.status).toBe("ok");
    before.future.dispose();

    const spin = kernel.requestExecute({ code: "while (true) {}" }, false);
    const spinning = new Recorder(spin);
    // Interrupt once the cell is running, not while it is still queued.
    await spinning.waitFor((m) => m.header.msg_type === "execute_input", 10_000, "execute_input of the spinning cell");
    await bounded(kernel.interrupt(), 10_000, "POST /api/kernels/<id>/interrupt");
    const reply = await bounded(spin.done, 10_000, "the interrupted cell's reply");
    expect(reply.content).toMatchObject({ status: "error" });
    expect(spinning.ofType("error")).toHaveLength(1);
    spin.dispose();

    const after = await run(kernel, "kept");
    expect(after.content.status).toBe("ok");
    expect(plain(after.recorder.ofType("execute_result")[0])).toBe("'still here'");
    after.future.dispose();
  });

  it("a restart through the REST API gives a fresh session: variables gone, execution count from 1", async () => {
    const before = await run(kernel, "const beforeRestart = 1; beforeRestart");
    expect(before.content.execution_count).toBeGreaterThan(1);
    before.future.dispose();
    const pidsBefore = server.kernelPids();
    expect(pidsBefore).toHaveLength(1);

    await bounded(kernel.restart(), 30_000, "POST /api/kernels/<id>/restart");
    await bounded(kernel.info, 20_000, "kernel_info after restart");
    const [oldPid] = pidsBefore;
    await eventually(() => oldPid === undefined || !alive(oldPid), 10_000, `the old kernel process ${oldPid} exiting`);

    const first = await run(kernel, "1 + 1");
    expect(first.content).toMatchObject({ status: "ok", execution_count: 1 });
    first.future.dispose();
    const gone = await run(kernel, "typeof (globalThis as any).beforeRestart");
    expect(plain(gone.recorder.ofType("execute_result")[0])).toBe("'undefined'");
    gone.future.dispose();
    const pidsAfter = server.kernelPids();
    expect(pidsAfter).toHaveLength(1);
    expect(pidsAfter).not.toEqual(pidsBefore);
  });

  it("the spec validator saw every message the session's kernel connection received", () => {
    // Each test's violations are asserted by the shared fixture (test/helpers/protocol-check.ts) as it ends.
    expect(protocol.checked).toBeGreaterThan(20);
  });

  it("shutting a kernel down removes it from the server and leaves no tsloop process", async () => {
    const own = await bounded(kernels.startNew({ name: "tsloop" }), 20_000, "POST /api/kernels");
    await bounded(own.info, 20_000, "kernel_info of the second kernel");
    const ran = await run(own, "setInterval(() => {}, 1000); 'running'");
    expect(plain(ran.recorder.ofType("execute_result")[0])).toBe("'running'");
    ran.future.dispose();
    const sessionPid = server.kernelPids();
    expect(sessionPid).toHaveLength(2);

    const listed = async () => ((await (await server.api("api/kernels")).json()) as { id: string }[]).map((k) => k.id);
    expect(await listed()).toContain(own.id);
    await bounded(own.shutdown(), 20_000, "DELETE /api/kernels/<id>");
    expect(await listed()).not.toContain(own.id);
    await eventually(() => server.kernelPids().length === 1, 10_000, "the shut-down kernel's process exiting");

    await bounded(session.shutdown(), 20_000, "DELETE /api/sessions/<id>");
    expect(await listed()).toEqual([]);
    for (const pid of sessionPid) await eventually(() => !alive(pid), 10_000, `kernel process ${pid} exiting`);
    expect(server.kernelPids()).toEqual([]);
  });
});
