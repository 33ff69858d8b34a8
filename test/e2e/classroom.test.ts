// A classroom on JupyterHub, end to end: Debian's jupyterhub on loopback with DummyAuthenticator and
// LocalProcessSpawner, five throwaway system users as students, tsloop installed for all of them by
// deploy/install-tsloop.sh. Every student, at the same time, goes through the hub's REST API and the proxied kernel
// websocket with @jupyterlab/services (the code JupyterLab runs): start a server, start a tsloop kernel, run a
// short exercise (a gather with a live timeline, a type error, its fix, a timer whose late output lands in its own
// cell), then stop the server. Kernels use ipc sockets (see test/hub/jupyterhub_config.py). Fails if a kernel cannot start, if a student sees another's output, or if a kernel
// outlives its server. Root only (it creates users): skips elsewhere, fails under CI when not root.
import { type Kernel, KernelManager, ServerConnection } from "@jupyterlab/services";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executable, shouldSkip } from "../helpers/jupyter-env.js";
import { Hub, type Student, SystemUsers, installForEveryone, processesOf, sharedTempDir } from "../helpers/jupyterhub.js";
import { type IOPub, type ProtocolCheck, Recorder, bounded, eventually, plain, run, validateAll } from "../helpers/services.js";

const STUDENTS = 5;
const TIMELINE = "application/vnd.tsloop.timeline.v1+json";

const isRoot = process.getuid?.() === 0;
if (!isRoot && !process.env.CI) process.stderr.write("classroom.test.ts: skipping: needs root (it creates system users for the students)\n");
const skip =
  (!isRoot && !process.env.CI) ||
  shouldSkip("classroom.test.ts", [executable("/usr/bin/jupyterhub", "jupyterhub"), executable("/usr/bin/configurable-http-proxy", "configurable-http-proxy"), executable("/usr/sbin/useradd", "passwd")]);

/** What one student did and saw. */
interface Outcome {
  student: Student;
  marker: string;
  kernel: Kernel.IKernelConnection;
  /** Every iopub message of every cell, to look for other students' markers. */
  seen: IOPub[];
  protocol: ProtocolCheck;
}

const text = (m: IOPub) => JSON.stringify(m.content);

/** One student's session: server, kernel, the exercise; returns what was seen (asserts as it goes). */
async function exercise(hub: Hub, student: Student, token: string): Promise<Outcome> {
  await hub.startServer(student.name, 150_000);
  const settings = ServerConnection.makeSettings({
    baseUrl: `${hub.url}user/${student.name}/`,
    wsUrl: `${hub.url.replace(/^http/, "ws")}user/${student.name}/`,
    token,
    appendToken: true,
    fetch,
  });
  const kernels = new KernelManager({ serverSettings: settings });
  const kernel = await bounded(kernels.startNew({ name: "tsloop" }), 60_000, `${student.name}: POST api/kernels`);
  const protocol = validateAll(kernel);
  await bounded(kernel.info, 120_000, `${student.name}: kernel_info_reply through the proxy`);
  const marker = `${student.name}-${randomBytes(4).toString("hex")}`;
  const seen: IOPub[] = [];
  const cell = async (code: string) => {
    const r = await run(kernel, code, 120_000);
    seen.push(...r.recorder.messages);
    return r;
  };

  // 1. A gather, with its live timeline (a display, then updates to it until the final one).
  const gather = await cell(
    `const student = ${JSON.stringify(marker)};\nconst squares = await Promise.all([1, 2, 3].map(async (n) => { await sleep(40 * n); return n * n; }));\nconsole.log(student, squares.join(","));\nsquares`,
  );
  expect(gather.content.status).toBe("ok");
  expect(gather.recorder.stdout).toBe(`${marker} 1,4,9\n`);
  expect(plain(gather.recorder.ofType("execute_result")[0])).toBe("[ 1, 4, 9 ]");
  const shown = gather.recorder.ofType("display_data").find((m) => TIMELINE in ((m.content as { data: object }).data ?? {}));
  const displayId = (shown?.content as { transient?: { display_id?: string } } | undefined)?.transient?.display_id;
  expect(displayId, "the gather cell shows a timeline with a display_id").toBeTruthy();
  const final = await gather.recorder.waitFor(
    (m) => m.header.msg_type === "update_display_data" && (m.content as { metadata?: { final?: boolean } }).metadata?.final === true,
    10_000,
    "the timeline's final update",
  );
  expect(final.content).toMatchObject({ transient: { display_id: displayId } });
  expect(JSON.stringify((final.content as { data: Record<string, unknown> }).data[TIMELINE])).toContain("Promise.all [3]");

  // 2. A type error, then its fix: the error names the types, the fix runs with the earlier cell's values.
  const wrong = await cell("const total: number = student;");
  expect(wrong.content.status).toBe("error");
  expect(JSON.stringify(wrong.recorder.ofType("error")[0]?.content)).toContain("Type 'string' is not assignable to type 'number'");
  const fixed = await cell("const total: number = squares.reduce((a, b) => a + b, 0);\ntotal");
  expect(fixed.content.status).toBe("ok");
  expect(plain(fixed.recorder.ofType("execute_result")[0])).toBe("14");

  // 3. A timer's late output lands in the cell that started it, while a later cell runs, not in the later one.
  const timer = await cell('setTimeout(() => console.log("late", student), 300);');
  expect(timer.content.status).toBe("ok");
  const laterFuture = kernel.requestExecute({ code: "await sleep(1000);\nstudent" }, false);
  const later = new Recorder(laterFuture);
  const late = await timer.recorder.waitFor((m) => m.header.msg_type === "stream", 15_000, "the timer's late output");
  expect((late.content as { text: string }).text).toBe(`late ${marker}\n`);
  expect(late.parent_header).toMatchObject({ msg_id: timer.future.msg.header.msg_id });
  const laterReply = await bounded(laterFuture.done, 30_000, "the later cell's reply");
  expect(laterReply.content.status).toBe("ok");
  expect(plain(later.ofType("execute_result")[0])).toBe(`'${marker}'`);
  expect(later.stdout).not.toContain("late");
  seen.push(...later.messages);
  for (const f of [gather.future, wrong.future, fixed.future, timer.future, laterFuture]) f.dispose();
  kernels.dispose();
  return { student, marker, kernel, seen, protocol };
}

describe.skipIf(skip)(`a classroom of ${STUDENTS} on JupyterHub (LocalProcessSpawner)`, () => {
  let base: string;
  let users: SystemUsers;
  let hub: Hub;
  const tokens = new Map<string, string>();
  let outcomes: Outcome[] = [];

  beforeAll(async () => {
    if (!isRoot) throw new Error("the classroom test needs root to create system users (CI runs as root)");
    base = sharedTempDir("classroom");
    const prefix = installForEveryone(base);
    users = new SystemUsers(base);
    const tag = randomBytes(3).toString("hex");
    for (let i = 1; i <= STUDENTS; i++) users.add(`tslc${tag}s${i}`);
    hub = await Hub.start({ dir: base, jupyterPath: join(prefix, "share", "jupyter") });
    for (const s of users.students) tokens.set(s.name, await hub.addUser(s.name));
  }, 180_000);

  afterAll(async () => {
    for (const o of outcomes) o.kernel.dispose();
    await hub?.stop();
    users?.remove();
    if (base) rmSync(base, { recursive: true, force: true });
  }, 60_000);

  it("every student starts a server and a tsloop kernel at once and runs the exercise through the hub's proxy", async () => {
    const settled = await Promise.allSettled(users.students.map((s) => exercise(hub, s, tokens.get(s.name) as string)));
    const failures = settled.flatMap((r, i) => (r.status === "rejected" ? [`${users.students[i]?.name}: ${(r.reason as Error).stack ?? String(r.reason)}`] : []));
    expect(failures, `hub log tail:\n${hub.log.slice(-4000)}`).toEqual([]);
    outcomes = settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(outcomes).toHaveLength(STUDENTS);
    for (const o of outcomes) {
      expect(o.protocol.checked, o.student.name).toBeGreaterThan(20);
      expect(o.protocol.violations, o.student.name).toEqual([]);
    }
  }, 300_000);

  it("no student receives another student's output", () => {
    expect(outcomes).toHaveLength(STUDENTS);
    for (const o of outcomes) {
      expect(o.seen.some((m) => text(m).includes(o.marker))).toBe(true);
      for (const other of outcomes) {
        if (other === o) continue;
        expect(o.seen.filter((m) => text(m).includes(other.marker)).map(text), `${o.student.name} saw ${other.student.name}'s output`).toEqual([]);
      }
    }
  });

  it("each student's history file is in their own home, owned by them, readable only by them, and holds their cells", () => {
    for (const o of outcomes) {
      const file = join(o.student.home, ".local", "share", "jupyter", "tsloop", "history.jsonl");
      expect(statSync(file).uid).toBe(o.student.uid);
      // Homes made by useradd are world-readable here; the file is not.
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, "utf8")).toContain(o.marker);
    }
  });

  it("stopping a student's server ends their kernel: no process of theirs is left", async () => {
    expect(outcomes).toHaveLength(STUDENTS);
    for (const o of outcomes) {
      const kernelsBefore = processesOf(o.student.uid).filter((p) => p.args.includes("tsloop.js"));
      expect(kernelsBefore, `${o.student.name}'s kernel process`).toHaveLength(1);
      // The hub's config asks for ipc sockets in a short runtime dir (the port-race workaround docs/jupyterhub.md gives).
      const connectionFile = / -f (\S+)/.exec(kernelsBefore[0]?.args ?? "")?.[1] ?? "";
      expect(connectionFile.startsWith(join(o.student.home, ".jr"))).toBe(true);
      expect(JSON.parse(readFileSync(connectionFile, "utf8"))).toMatchObject({ transport: "ipc" });
    }
    await Promise.all(outcomes.map((o) => hub.stopServer(o.student.name, 60_000)));
    for (const o of outcomes) {
      await eventually(() => processesOf(o.student.uid).length === 0, 15_000, `${o.student.name}'s processes exiting`).catch((err: Error) => {
        throw new Error(`${err.message}; still running: ${JSON.stringify(processesOf(o.student.uid))}`);
      });
    }
  }, 120_000);
});
