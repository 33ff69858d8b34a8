// What the cell compiler returns. A compiled cell is the contract between the compiler (language worker) and the
// runtime (main thread), so it is declared with the threads' contract in src/session/contract.ts.
import type { CellDiagnostic, CompiledCell } from "../session/contract.js";

export type { CellDiagnostic, CompiledCell };

export type CompileResult = { ok: true; cell: CompiledCell } | { ok: false; diagnostics: CellDiagnostic[] };
