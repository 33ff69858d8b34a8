// Test tiers: unit tests (in-process, fast, fully parallel) and end-to-end tests (real kernel processes,
// real ZeroMQ clients, Debian's Jupyter), which get a longer timeout and at most two workers.
// test/jupyterlab has its own config (a JupyterLab build of its own) and is not run from here.
// `npm test` builds first: the e2e tests start `kernel/tsloop.js`, which loads `dist/`.
// Plain CommonJS (`module.exports`) because the package is CommonJS; only a type comes from vitest's ESM.
type ViteUserConfig = import("vitest/config", { with: { "resolution-mode": "import" } }).ViteUserConfig;

const vitestConfig: ViteUserConfig = {
  test: {
    pool: "forks",
    projects: [
      {
        test: {
          name: "unit",
          setupFiles: ["test/helpers/protocol-check.ts"],
          include: ["test/**/*.test.ts"],
          exclude: ["test/e2e/**", "test/reliability/**", "test/jupyterlab/**", "**/node_modules/**"],
          pool: "forks",
          testTimeout: 10_000,
          // Projects with different maxWorkers run as ordered groups: unit first, then e2e.
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: "e2e",
          setupFiles: ["test/helpers/protocol-check.ts"],
          // Everything that starts kernel processes: the protocol/frontend e2e tests and the reliability tests.
          include: ["test/e2e/**/*.test.ts", "test/reliability/**/*.test.ts"],
          pool: "forks",
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
};

module.exports = vitestConfig;
