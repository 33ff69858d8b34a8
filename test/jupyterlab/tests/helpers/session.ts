// One JupyterLab per test file: a private JupyterEnv with the tsloop kernelspec, the lab server, Debian's
// Chromium and a page with JupyterLab restored — started in beforeAll, torn down in afterAll. Skips (outside CI
// only) when a Debian package or the build is missing, saying what to install.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { CHROMIUM, launchChromium } from "../../../helpers/browser.js";
import { JupyterEnv, type Need, executable, pythonModule, shouldSkip } from "../../../helpers/jupyter-env.js";
import { Lab } from "./lab-page.js";
import { LabServer } from "./lab-server.js";
import { ARTIFACTS, BUILD_DIR } from "./paths.js";

export interface LabSession {
  jupyter: JupyterEnv;
  server: LabServer;
  browser: Browser;
  lab: Lab;
}

const BUILD: Need = {
  what: `the JupyterLab build in ${BUILD_DIR}`,
  debian: "(run test/jupyterlab/run.sh)",
  present: () => existsSync(join(BUILD_DIR, "stamp")),
};

/** Whether this test file should skip (never in CI: there a missing piece fails the tests). */
export function labMissing(file: string, extra: Need[] = []): boolean {
  return shouldSkip(file, [pythonModule("jupyterlab_server", "python3-jupyterlab-server"), executable(CHROMIUM, "chromium"), BUILD, ...extra]);
}

/** Registers beforeAll/afterAll hooks; call the returned function inside tests. */
export function useLab(label: string): () => LabSession {
  // Filled in as each piece starts, so that afterAll stops whatever did start when beforeAll fails half way.
  const parts: Partial<LabSession> = {};
  let session: LabSession | undefined;
  beforeAll(async () => {
    parts.jupyter = JupyterEnv.create(`lab-${label}`);
    parts.server = await LabServer.start(parts.jupyter);
    parts.browser = await launchChromium();
    parts.lab = await Lab.open(parts.browser, parts.server);
    session = { jupyter: parts.jupyter, server: parts.server, browser: parts.browser, lab: parts.lab };
  }, 90_000);
  // A failed test leaves a picture of what the page showed.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== "fail" || !session) return;
    const name = `failed-${label}-${ctx.task.name}`.replace(/[^\w.-]+/g, "-").slice(0, 100);
    await session.lab.screenshot(name).catch(() => undefined);
  });
  afterAll(async () => {
    const problems = parts.lab?.unexpectedErrors() ?? [];
    if (problems.length > 0) process.stderr.write(`${label}: the page reported:\n  ${problems.join("\n  ")}\n`);
    await parts.browser?.close();
    await parts.server?.stop();
    parts.jupyter?.dispose();
    // The server's log (with the kernels' stderr) next to the screenshots, for CI.
    if (parts.server) {
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(join(ARTIFACTS, `${label}-server.log`), parts.server.log);
    }
  }, 60_000);
  return () => {
    if (!session) throw new Error("the JupyterLab session did not start (see beforeAll)");
    return session;
  };
}
