// Declarations of the cell API for the type checker: every cell sees these globals (and the `Deno` global of
// ./compat). They are generated at build time (scripts/declarations.mjs) from ./declarations/cell-api.ts and
// ./declarations/deno.ts, which the implementations satisfy: edit those, not the generated text.
import { CELL_API_GLOBALS, DENO_GLOBALS } from "./declarations/generated.js";

export const CELL_API_DTS = CELL_API_GLOBALS + DENO_GLOBALS;
