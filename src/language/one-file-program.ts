// A program of one parsed file and nothing else (no libraries, no module resolution): for what the parser and the
// binder alone can tell (is_complete's syntax errors, a declaration's JSDoc).
import ts from "typescript";

export function oneFileProgram(file: ts.SourceFile, options: ts.CompilerOptions = {}): ts.Program {
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === file.fileName ? file : undefined),
    getDefaultLibFileName: () => "lib.d.ts",
    writeFile: () => undefined,
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (name) => name === file.fileName,
    readFile: (name) => (name === file.fileName ? file.text : undefined),
  };
  return ts.createProgram({ rootNames: [file.fileName], options: { ...options, noLib: true, noResolve: true, types: [] }, host });
}
