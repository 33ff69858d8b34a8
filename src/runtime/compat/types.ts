// Declarations for the checker of what ./tslab.ts and ./deno.ts provide at run time. TSLAB_DTS is the module a
// cell's `import … from "tslab"` resolves to when no real tslab package is installed (see the language host's
// fallback modules); DENO_DTS is appended to the cell API's globals. Both are generated at build time
// (scripts/declarations.mjs) from ../declarations/tslab.ts and ../declarations/deno.ts, which the
// implementations satisfy; unit tests tie them to the run-time objects too.
export { DENO_GLOBALS as DENO_DTS, TSLAB_MODULE as TSLAB_DTS } from "../declarations/generated.js";
