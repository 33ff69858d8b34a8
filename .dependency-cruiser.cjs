// The import rule (`npm run lint` runs it): no circle, and every arrow points down the layers drawn in
// docs/architecture.md. Each layer lists the src folders it may import; anything else in src is an arrow up.
// Type-only imports count: a circle of types is still a circle for whoever reads the code.
const LAYERS = {
  protocol: [],
  session: ["protocol"],
  wire: ["protocol"],
  analysis: ["protocol"],
  timeline: ["protocol"],
  compiler: ["protocol", "session", "analysis"],
  kernel: ["protocol", "session", "wire"],
  debugger: ["protocol", "session", "wire"],
  language: ["protocol", "session", "wire", "compiler", "analysis"],
  runtime: ["protocol", "session", "wire", "compiler", "analysis", "timeline"],
  interpreter: ["protocol", "session", "wire", "compiler", "analysis", "kernel", "language", "runtime"],
  host: ["protocol", "session", "wire", "compiler", "analysis", "timeline", "kernel", "debugger", "language", "runtime", "interpreter"],
  client: ["protocol", "wire"],
};

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "an import circle: the modules cannot be understood (or loaded) one after the other",
      from: { path: "^src/" },
      to: { circular: true },
    },
    ...Object.entries(LAYERS).map(([layer, below]) => ({
      name: `${layer}-imports-down-only`,
      severity: "error",
      comment: `src/${layer} may import only ${below.length ? below.map((l) => `src/${l}`).join(", ") : "nothing else in src"} (docs/architecture.md)`,
      from: { path: `^src/${layer}/` },
      to: { path: "^src/", pathNot: `^src/(${[layer, ...below].join("|")})/` },
    })),
    {
      name: "src-folder-has-a-layer",
      severity: "error",
      comment: "every src folder has a place in the layers (add it to LAYERS in .dependency-cruiser.cjs); cli is the top",
      from: { path: "^src/", pathNot: `^src/(${[...Object.keys(LAYERS), "cli"].join("|")})/` },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|node_modules)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    includeOnly: "^src/",
  },
};
