// Where the test JupyterLab lives: its sources, its build (inside its node_modules, so git, ESLint, tsc and
// npm ci treat it as disposable), and where the tests put screenshots.
import { join, resolve } from "node:path";

/** test/jupyterlab */
export const APP_DIR = resolve(__dirname, "..", "..");
/** The repository root. */
export const REPO_ROOT = resolve(APP_DIR, "..", "..");
/** Written by build.mjs; holds static/, schemas/, themes/ and the stamp. */
export const BUILD_DIR = join(APP_DIR, "node_modules", ".cache", "tsloop-lab");
/** Screenshots of every scenario (git-ignored). */
export const ARTIFACTS = join(REPO_ROOT, "test-artifacts", "jupyterlab");
