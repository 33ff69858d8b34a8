// The JupyterLab UI tests (tests/*.spec.ts — not *.test.ts, so the root `npm test` leaves them to run.sh): each
// file starts its own server, kernels and browser, so at most two files run at once on the 2-core CI machine.
// Plain CommonJS like the root config; only a type comes from vitest's ESM.
type ViteUserConfig = import("vitest/config", { with: { "resolution-mode": "import" } }).ViteUserConfig;

const labConfig: ViteUserConfig = {
  test: {
    root: __dirname,
    include: ["tests/**/*.spec.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
};

module.exports = labConfig;
